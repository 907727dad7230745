package org.stainbench.training;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.stainbench.evaluation.Metric;
import org.stainbench.evaluation.ProtocolFingerprint;
import org.stainbench.shell.Dependants;

/** Pages for tracked runs: a list per experiment and a run page with curves, params, tags and images. */
@Controller
class RunsController {

    private final RunArtifacts artifacts;
    private final EpochSection epochs;
    private final Runs lifecycle;
    private final RunPage page;

    RunsController(RunArtifacts artifacts, EpochSection epochs, Runs lifecycle, RunPage page) {
        this.lifecycle = lifecycle;
        this.page = page;
        this.artifacts = artifacts;
        this.epochs = epochs;
    }

    /**
     * The runs table: sorted, filtered and paged in SQL by {@link RunTable}, with the params and latest metrics chosen
     * as columns; every choice is a URL parameter, so the view is a permalink. A bad parameter re-renders the table
     * unfiltered with the message next to its field (400).
     */
    @GetMapping("/runs")
    String runs(
            @RequestParam(required = false) Long experiment,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(required = false) String filter,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) String dir,
            @RequestParam(name = "col", required = false) List<String> cols,
            Model model,
            HttpServletResponse response) {
        List<Tracking.Experiment> experiments = lifecycle.activeExperiments();
        List<Long> ids = experiment != null
                ? List.of(experiment)
                : experiments.stream().map(Tracking.Experiment::id).toList();
        RunTable.View view;
        RunTable.Page found;
        try {
            view = RunTable.view(experiment, filter, sort, dir, cols, page);
            found = lifecycle.page(ids, view);
        } catch (RunTable.Invalid e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("fieldError", Map.of(e.field(), e.getMessage()));
            view = RunTable.view(experiment, null, null, null, List.of(), 0);
            found = lifecycle.page(ids, view);
            if (e.field().equals("filter")) {
                model.addAttribute("filterText", filter);
            }
        }
        List<Tracking.Run> slice = lifecycle.full(found.runs());
        Page<Tracking.Run> runs = new PageImpl<>(slice, PageRequest.of(view.page(), RunTable.PAGE_SIZE), found.total());
        Map<Long, String> names = new TreeMap<>();
        experiments.forEach(e -> names.put(e.id(), e.name()));
        model.addAttribute("runs", runs);
        model.addAttribute("experiments", experiments);
        model.addAttribute("experimentNames", names);
        model.addAttribute("experiment", experiment);
        model.addAttribute("view", view);
        model.addAttribute("cells", RunTable.cells(slice, view.columns()));
        Map<String, String> waiting = new TreeMap<>();
        slice.forEach(r -> {
            String w = this.page.waiting(r);
            if (w != null) {
                waiting.put(r.info().uuid(), w);
            }
        });
        model.addAttribute("waiting", waiting);
        model.addAttribute("keys", lifecycle.columnKeys(ids));
        if (!model.containsAttribute("filterText")) {
            model.addAttribute("filterText", view.filter());
        }
        return "runs/list";
    }

    @GetMapping("/runs/{uuid}")
    String run(@PathVariable String uuid, Model model, Authentication auth) throws IOException {
        return page.fill(uuid, model, auth);
    }

    /** The delete confirmation: names the run's queued or running job (then no button), else one Delete button. */
    @GetMapping("/runs/{uuid}/delete")
    String confirmDelete(@PathVariable String uuid, Model model, Authentication auth) {
        lifecycle.checkMayDelete(auth);
        Tracking.RunInfo info = activeRun(uuid);
        return confirm(info, lifecycle.dependantsOf(info), model);
    }

    private static String confirm(Tracking.RunInfo run, List<Dependants.Dependant> dependants, Model model) {
        return confirmPage(
                model,
                new Dependants.Dependant("run", run.name(), "/runs/" + run.uuid()),
                dependants,
                "/runs/" + run.uuid() + "/delete",
                "Its metrics, artifacts and images are kept; its epoch checkpoints stay registered.");
    }

    @PostMapping("/runs/{uuid}/delete")
    String delete(
            @PathVariable String uuid,
            Principal who,
            Model model,
            HttpServletResponse response,
            RedirectAttributes flash) {
        Tracking.RunInfo info = activeRun(uuid);
        try {
            lifecycle.delete(info, who.getName());
        } catch (Dependants.Blocked e) {
            return blocked(e, response, model, confirm(info, e.dependants(), model));
        }
        flash.addFlashAttribute("message", "Run '" + info.name() + "' deleted. An admin can restore it.");
        return "redirect:/runs";
    }

    /** The experiment's delete confirmation: names the queued or running jobs of its runs, else one Delete button. */
    @GetMapping("/runs/experiments/{id}/delete")
    String confirmDeleteExperiment(@PathVariable long id, Model model, Authentication auth) {
        lifecycle.checkMayDelete(auth);
        Tracking.Experiment e = activeExperiment(id);
        return confirm(e, lifecycle.dependantsOf(e), model);
    }

    private String confirm(Tracking.Experiment e, List<Dependants.Dependant> dependants, Model model) {
        int n = lifecycle.activeRunCount(e.id());
        return confirmPage(
                model,
                new Dependants.Dependant("experiment", e.name(), "/runs?experiment=" + e.id()),
                dependants,
                "/runs/experiments/" + e.id() + "/delete",
                "Its " + n + (n == 1 ? " run is" : " runs are") + " deleted with it and come back with it.");
    }

    @PostMapping("/runs/experiments/{id}/delete")
    String deleteExperiment(
            @PathVariable long id, Principal who, Model model, HttpServletResponse response, RedirectAttributes flash) {
        Tracking.Experiment e = activeExperiment(id);
        try {
            lifecycle.deleteExperiment(e, who.getName());
        } catch (Dependants.Blocked x) {
            return blocked(x, response, model, confirm(e, x.dependants(), model));
        } catch (IllegalArgumentException x) {
            flash.addFlashAttribute("error", x.getMessage());
            return "redirect:/runs";
        }
        flash.addFlashAttribute(
                "message", "Experiment '" + e.name() + "' and its runs deleted. An admin can restore them.");
        return "redirect:/runs";
    }

    /** The shared confirmation page ({@code trash/confirm}) of every "delete …" here. */
    private static String confirmPage(
            Model model,
            Dependants.Dependant subject,
            List<Dependants.Dependant> dependants,
            String action,
            String also) {
        model.addAttribute("subject", subject);
        model.addAttribute("dependants", dependants);
        model.addAttribute("action", action);
        model.addAttribute("also", also);
        return "trash/confirm";
    }

    /** A refused delete: the confirmation page again, with the reason, as 409. */
    private static String blocked(Dependants.Blocked e, HttpServletResponse response, Model model, String page) {
        response.setStatus(HttpServletResponse.SC_CONFLICT);
        model.addAttribute("error", e.getMessage());
        return page;
    }

    private Tracking.Experiment activeExperiment(long id) {
        return lifecycle
                .experiment(id)
                .filter(e -> e.lifecycleStage().equals("active"))
                .orElseThrow(NotFound::new);
    }

    private Tracking.RunInfo activeRun(String uuid) {
        return lifecycle
                .run(uuid)
                .filter(r -> !r.lifecycleStage().equals("deleted"))
                .orElseThrow(NotFound::new);
    }

    /** The run page's chart width in buckets when the page does not say ({@link Downsample}). */
    static final int CHART_WIDTH = 800;

    /**
     * The curves of a run for the chart, reduced per pixel: {@code width} buckets (at most
     * {@link Downsample#MAX_WIDTH}) over the steps [{@code from}, {@code to}] (default: all), at most
     * {@code 2 × width} points per curve, exact once the range holds fewer; with {@code after}, only the points past
     * that step (what the 5 s poll of a RUNNING run fetches). Shape: key → {steps, values, total, exact}; a value
     * is a number or "NaN"/"Infinity"/"-Infinity".
     */
    @GetMapping("/runs/{uuid}/metrics.json")
    @ResponseBody
    Map<String, Map<String, Object>> metrics(
            @PathVariable String uuid,
            @RequestParam(required = false) Long from,
            @RequestParam(required = false) Long to,
            @RequestParam(required = false) Integer width,
            @RequestParam(required = false) Long after) {
        Tracking.RunInfo info = lifecycle.run(uuid).orElseThrow(NotFound::new);
        int w = chartWidth(width);
        if (from != null && to != null && from > to) {
            throw new org.springframework.web.server.ResponseStatusException(
                    org.springframework.http.HttpStatus.BAD_REQUEST, "from must not be larger than to");
        }
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        lifecycle.curves(info, from, to, w, after).forEach((k, c) -> {
            Map<String, Object> curve = new java.util.LinkedHashMap<>();
            curve.put("steps", c.steps());
            curve.put("values", jsonValues(c.values()));
            curve.put("total", c.total());
            curve.put("exact", c.exact());
            out.put(k, curve);
        });
        return out;
    }

    /** {@code width} of a chart request: 1 to {@link Downsample#MAX_WIDTH}, else 400 naming the field. */
    static int chartWidth(Integer width) {
        if (width == null) {
            return CHART_WIDTH;
        }
        if (width < 1 || width > Downsample.MAX_WIDTH) {
            throw new org.springframework.web.server.ResponseStatusException(
                    org.springframework.http.HttpStatus.BAD_REQUEST,
                    "width must be between 1 and " + Downsample.MAX_WIDTH + " pixels");
        }
        return width;
    }

    /** Finite values as numbers, the others as MLflow writes them ("NaN", "Infinity", "-Infinity"). */
    private static Object[] jsonValues(double[] values) {
        Object[] out = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            out[i] = Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "Infinity" : "-Infinity") : (Object) v;
        }
        return out;
    }

    @GetMapping("/runs/{uuid}/artifacts/{*path}")
    ResponseEntity<?> artifact(@PathVariable String uuid, @PathVariable String path) throws IOException {
        Tracking.RunInfo info = lifecycle.run(uuid).orElseThrow(NotFound::new);
        return artifacts.download(info, path).map(ArtifactResponses::serve).orElseThrow(NotFound::new);
    }

    /** Any number of runs side by side: differing params, final metrics, overlaid curves; or seed groups. */
    @GetMapping("/runs/compare")
    String compare(
            @RequestParam(name = "run", required = false) List<String> ids,
            @RequestParam(defaultValue = "false") boolean seeds,
            Model model) {
        List<Tracking.Run> runs = load(ids);
        model.addAttribute("runs", runs);
        model.addAttribute("seeds", seeds);
        model.addAttribute("differing", SeedGroups.differingParams(runs));
        List<List<Tracking.Run>> groups =
                seeds ? SeedGroups.group(runs) : runs.stream().map(List::of).toList();
        List<GroupRow> rows = new java.util.ArrayList<>();
        for (List<Tracking.Run> g : groups) {
            rows.add(new GroupRow(
                    label(g, seeds), g.stream().map(r -> r.info().uuid()).toList(), SeedGroups.finals(g)));
        }
        java.util.Set<String> keys = new java.util.TreeSet<>();
        rows.forEach(r -> keys.addAll(r.finals().keySet()));
        model.addAttribute("rows", rows);
        model.addAttribute("metricKeys", keys);
        model.addAttribute(
                "query",
                ids == null
                        ? ""
                        : String.join("&", ids.stream().map(i -> "run=" + i).toList()));
        List<EvalTable> evals = evaluationTables(runs);
        model.addAttribute("evalTables", evals);
        return "runs/compare";
    }

    /** The evaluated epochs of the compared runs under one protocol fingerprint: one row per run and epoch. */
    record EvalTable(
            String fingerprint,
            String shortFingerprint,
            List<Map<String, String>> metrics,
            List<EvalRow> rows,
            List<Map<String, String>> evaluations) {}

    /** {@code cells}: metric key → "mean ± std"; {@code best}: the metric keys where this row is the table's best. */
    record EvalRow(
            String run,
            String runUuid,
            int epoch,
            String checkpoint,
            String href,
            Map<String, String> cells,
            java.util.Set<String> best) {}

    /**
     * The evaluation metrics (FID, KID, …) of every evaluated epoch checkpoint of the runs, one table per protocol
     * fingerprint: values are only ever set side by side when they were measured the same way. Per quality metric the lowest
     * mean of a table is marked (lower is better for all of them; KID's subset std is a dispersion and not marked).
     */
    List<EvalTable> evaluationTables(List<Tracking.Run> runs) {
        Map<String, EvalTable> byFingerprint = new java.util.LinkedHashMap<>();
        Map<String, Map<String, Double>> means = new java.util.HashMap<>();
        for (Tracking.Run r : runs) {
            EpochSection.Chart chart = epochs.chart(r.info().uuid());
            for (EpochSection.Series s : chart.series()) {
                EvalTable t = byFingerprint.computeIfAbsent(
                        s.fingerprint(),
                        fp -> new EvalTable(
                                fp,
                                fp.startsWith("unrecorded-") ? "unrecorded" : ProtocolFingerprint.shortOf(fp),
                                new java.util.ArrayList<>(),
                                new java.util.ArrayList<>(),
                                new java.util.ArrayList<>()));
                for (Map<String, String> m : chart.metrics()) {
                    if (t.metrics().stream().noneMatch(x -> x.get("key").equals(m.get("key")))
                            && s.points().stream().anyMatch(p -> p.values().containsKey(m.get("key")))) {
                        t.metrics().add(m);
                    }
                }
                for (Long ev : s.evaluations()) {
                    if (t.evaluations().stream().noneMatch(x -> x.get("href").equals("/evaluations/" + ev))) {
                        t.evaluations().add(Map.of("href", "/evaluations/" + ev, "label", "#" + ev));
                    }
                }
                for (EpochSection.Point p : s.points()) {
                    if (p.values().isEmpty()) {
                        continue;
                    }
                    Map<String, String> cells = new TreeMap<>();
                    String rowKey = t.fingerprint() + "|" + t.rows().size();
                    p.values().forEach((k, v) -> {
                        cells.put(
                                k,
                                String.format(java.util.Locale.ROOT, "%.4g", v[0])
                                        + (v.length > 2 && v[2] > 1
                                                ? String.format(java.util.Locale.ROOT, " ± %.2g", v[1])
                                                : ""));
                        means.computeIfAbsent(rowKey, x -> new java.util.HashMap<>())
                                .put(k, v[0]);
                    });
                    t.rows()
                            .add(new EvalRow(
                                    r.info().name(),
                                    r.info().uuid(),
                                    p.epoch(),
                                    p.checkpoint(),
                                    p.href(),
                                    cells,
                                    new java.util.HashSet<>()));
                }
            }
        }
        List<EvalTable> out =
                byFingerprint.values().stream().filter(t -> !t.rows().isEmpty()).toList();
        for (EvalTable t : out) {
            for (Map<String, String> m : t.metrics()) {
                String k = m.get("key");
                if (k.equals(Metric.KID_STD.key())) {
                    continue; // a dispersion, never marked best
                }
                double best = Double.POSITIVE_INFINITY;
                int at = -1;
                for (int i = 0; i < t.rows().size(); i++) {
                    Double v = means.getOrDefault(t.fingerprint() + "|" + i, Map.of())
                            .get(k);
                    if (v != null && v < best) {
                        best = v;
                        at = i;
                    }
                }
                if (at >= 0 && t.rows().size() > 1) {
                    t.rows().get(at).best().add(k);
                }
            }
        }
        return out;
    }

    /** Curves for the compare page: per run, or per seed group as mean with a std or min–max band. */
    @GetMapping("/runs/compare/curves.json")
    @ResponseBody
    Map<String, List<Series>> curves(
            @RequestParam(name = "run", required = false) List<String> ids,
            @RequestParam(defaultValue = "false") boolean seeds,
            @RequestParam(defaultValue = "std") String band,
            @RequestParam(required = false) Integer width) {
        int w = chartWidth(width);
        List<Tracking.Run> runs = load(ids);
        List<List<Tracking.Run>> groups =
                seeds ? SeedGroups.group(runs) : runs.stream().map(List::of).toList();
        Map<String, List<Series>> out = new TreeMap<>();
        for (List<Tracking.Run> g : groups) {
            Map<String, List<List<Tracking.Metric>>> byKey = new TreeMap<>();
            for (Tracking.Run r : g) {
                lifecycle.histories(r.info()).forEach((k, h) -> byKey.computeIfAbsent(
                                k, x -> new java.util.ArrayList<>())
                        .add(h));
            }
            String label = label(g, seeds);
            byKey.forEach((k, histories) -> {
                List<double[]> points = SeedGroups.curve(histories).stream()
                        .map(p -> {
                            SeedGroups.Summary sm = p.summary();
                            double lo = band.equals("minmax") ? sm.min() : sm.mean() - sm.std();
                            double hi = band.equals("minmax") ? sm.max() : sm.mean() + sm.std();
                            return new double[] {p.step(), sm.mean(), lo, hi, sm.n()};
                        })
                        .toList();
                out.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(new Series(label, reduce(points, w)));
            });
        }
        return out;
    }

    private List<Tracking.Run> load(List<String> ids) {
        if (ids == null) {
            return List.of();
        }
        return lifecycle.full(ids.stream()
                .distinct()
                .map(id -> lifecycle.run(id).orElseThrow(NotFound::new))
                .toList());
    }

    /** A compare series ([step, mean, low, high, n] points) reduced per pixel on its mean ({@link Downsample}). */
    static List<double[]> reduce(List<double[]> points, int width) {
        if (points.size() <= 2L * width) {
            return points;
        }
        long[] steps = new long[points.size()];
        double[] means = new double[points.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = (long) points.get(i)[0];
            means[i] = points.get(i)[1];
        }
        int[] kept = Downsample.minMax(steps, means, steps[0], steps[steps.length - 1], width);
        List<double[]> out = new java.util.ArrayList<>(kept.length);
        for (int i : kept) {
            out.add(points.get(i));
        }
        return out;
    }

    private static String label(List<Tracking.Run> group, boolean seeds) {
        String first = group.get(0).info().name();
        return seeds ? first + (group.size() > 1 ? " (+" + (group.size() - 1) + " seeds)" : "") : first;
    }

    /** One line of the compare chart: points are [step, mean, low, high, n]. */
    record Series(String label, List<double[]> points) {}

    record GroupRow(String label, List<String> runIds, Map<String, SeedGroups.Summary> finals) {}

    /** The images of the run's gallery: the types artifacts are served inline as ({@link ArtifactResponses#serve}). */
    static boolean isImage(String name) {
        return ArtifactResponses.inlineType(name) != null;
    }

    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NOT_FOUND)
    static class NotFound extends RuntimeException {
        NotFound() {
            super("No such run.");
        }
    }
}
