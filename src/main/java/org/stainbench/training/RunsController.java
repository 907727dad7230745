package org.stainbench.training;

import java.io.IOException;
import java.nio.file.Path;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.stainbench.shell.Dependants;

/** Pages for tracked runs: a list per experiment and a run page with curves, params, tags and images. */
@Controller
class RunsController {

    private final TrackingStore store;
    private final MlflowArtifacts artifacts;
    private final org.stainbench.checkpoints.Checkpoints checkpoints;
    private final EpochSection epochs;
    private final org.stainbench.jobs.JobQueue jobs;
    private final java.time.Clock clock;
    private final Runs lifecycle;
    private final org.stainbench.jobs.NodeAvailability nodes;
    private final RunTable table;
    private final TileScrubber scrubber;

    RunsController(TrackingStore store, MlflowArtifacts artifacts, org.stainbench.checkpoints.Checkpoints checkpoints,
            EpochSection epochs, org.stainbench.jobs.JobQueue jobs, java.time.Clock clock, Runs lifecycle,
            org.stainbench.jobs.NodeAvailability nodes, RunTable table, TileScrubber scrubber) {
        this.nodes = nodes;
        this.scrubber = scrubber;
        this.lifecycle = lifecycle;
        this.table = table;
        this.store = store;
        this.artifacts = artifacts;
        this.checkpoints = checkpoints;
        this.epochs = epochs;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * The runs table: sorted, filtered and paged in SQL by {@link RunTable}, with the params and latest metrics chosen
     * as columns; every choice is a URL parameter, so the view is a permalink. A bad parameter re-renders the table
     * unfiltered with the message next to its field (400).
     */
    @GetMapping("/runs")
    String runs(@RequestParam(required = false) Long experiment, @RequestParam(defaultValue = "0") int page,
            @RequestParam(required = false) String filter, @RequestParam(required = false) String sort,
            @RequestParam(required = false) String dir, @RequestParam(name = "col", required = false) List<String> cols,
            Model model, HttpServletResponse response) {
        List<Tracking.Experiment> experiments = store.experiments(true);
        List<Long> ids = experiment != null ? List.of(experiment) : experiments.stream().map(Tracking.Experiment::id).toList();
        RunTable.View view;
        RunTable.Page found;
        try {
            view = RunTable.view(experiment, filter, sort, dir, cols, page);
            found = table.page(ids, view);
        } catch (RunTable.Invalid e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("fieldError", Map.of(e.field(), e.getMessage()));
            view = RunTable.view(experiment, null, null, null, List.of(), 0);
            found = table.page(ids, view);
            if (e.field().equals("filter")) {
                model.addAttribute("filterText", filter);
            }
        }
        List<Tracking.Run> slice = found.runs().stream().map(store::full).toList();
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
        slice.forEach(r -> { String w = waiting(r); if (w != null) waiting.put(r.info().uuid(), w); });
        model.addAttribute("waiting", waiting);
        model.addAttribute("keys", table.keys(ids));
        if (!model.containsAttribute("filterText")) {
            model.addAttribute("filterText", view.filter());
        }
        return "runs/list";
    }

    @GetMapping("/runs/{uuid}")
    String run(@PathVariable String uuid, Model model, Authentication auth)
            throws IOException {
        // a deleted run's page opens for admins only, with the "deleted by … — restore" banner
        Tracking.RunInfo info = store.run(uuid).filter(r -> !r.lifecycleStage().equals("deleted") || isAdmin(auth))
                .orElseThrow(NotFound::new);
        Tracking.Run full = store.full(info);
        model.addAttribute("run", full);
        model.addAttribute("deletion", store.deletion(info.id()).orElse(null));
        model.addAttribute("progress", progress(full));
        model.addAttribute("waiting", waiting(full));
        epochs.fill(model, full, model.getAttribute("epochForm") instanceof EpochSection.Form f ? f : null);
        model.addAttribute("experiment", store.requireExperiment(info.experimentId()));
        model.addAttribute("histories", store.allHistories(info));
        model.addAttribute("scrubber", scrubber.of(uuid));
        model.addAttribute("checkpoints", checkpoints.all().stream().filter(c -> uuid.equals(c.runUuid()))
                .sorted(java.util.Comparator.comparing(c -> c.epoch() == null ? 0 : c.epoch())).toList());
        try (var files = artifacts.filesOf(info)) {
            List<String> names = files.map(Path::toString).map(s -> s.replace('\\', '/')).toList();
            model.addAttribute("artifacts", names);
            model.addAttribute("images", names.stream().filter(RunsController::isImage).toList());
        }
        return "runs/detail";
    }

    /**
     * A RUNNING run whose job still waits in the queue: how it waits ("queued — no node online"), issue 18; null when
     * the run is not running, has no job, or its job has started.
     */
    private String waiting(Tracking.Run run) {
        String jobId = run.tags().get("stainbench.job_id");
        if (!"RUNNING".equals(run.info().status()) || jobId == null || !jobId.matches("\\d{1,18}")) {
            return null;
        }
        return nodes.waiting(Long.parseLong(jobId)).orElse(null);
    }

    /** The delete confirmation: names the run's queued or running job (then no button), else one Delete button. */
    @GetMapping("/runs/{uuid}/delete")
    String confirmDelete(@PathVariable String uuid, Model model, Authentication auth) {
        requireMember(auth);
        Tracking.RunInfo info = activeRun(uuid);
        return confirm(info, lifecycle.dependantsOf(info), model);
    }

    private static String confirm(Tracking.RunInfo run, List<Dependants.Dependant> dependants, Model model) {
        return confirmPage(model, new Dependants.Dependant("run", run.name(), "/runs/" + run.uuid()), dependants,
                "/runs/" + run.uuid() + "/delete",
                "Its metrics, artifacts and images are kept; its epoch checkpoints stay registered.");
    }

    @PostMapping("/runs/{uuid}/delete")
    String delete(@PathVariable String uuid, Principal who, Model model, HttpServletResponse response,
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
        requireMember(auth);
        Tracking.Experiment e = activeExperiment(id);
        return confirm(e, lifecycle.dependantsOf(e), model);
    }

    private String confirm(Tracking.Experiment e, List<Dependants.Dependant> dependants, Model model) {
        int n = store.activeRuns(e.id()).size();
        return confirmPage(model, new Dependants.Dependant("experiment", e.name(), "/runs?experiment=" + e.id()),
                dependants, "/runs/experiments/" + e.id() + "/delete",
                "Its " + n + (n == 1 ? " run is" : " runs are") + " deleted with it and come back with it.");
    }

    @PostMapping("/runs/experiments/{id}/delete")
    String deleteExperiment(@PathVariable long id, Principal who, Model model, HttpServletResponse response,
            RedirectAttributes flash) {
        Tracking.Experiment e = activeExperiment(id);
        try {
            lifecycle.deleteExperiment(e, who.getName());
        } catch (Dependants.Blocked x) {
            return blocked(x, response, model, confirm(e, x.dependants(), model));
        } catch (IllegalArgumentException x) {
            flash.addFlashAttribute("error", x.getMessage());
            return "redirect:/runs";
        }
        flash.addFlashAttribute("message", "Experiment '" + e.name() + "' and its runs deleted. An admin can restore them.");
        return "redirect:/runs";
    }

    /** The shared confirmation page ({@code trash/confirm}) of every "delete …" here. */
    private static String confirmPage(Model model, Dependants.Dependant subject, List<Dependants.Dependant> dependants,
            String action, String also) {
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

    private static void requireMember(Authentication auth) {
        if (auth == null || auth.getAuthorities().stream().noneMatch(a -> a.getAuthority().equals("ROLE_MEMBER"))) {
            throw new AccessDeniedException("Deleting needs the member role.");
        }
    }

    private Tracking.Experiment activeExperiment(long id) {
        return store.experiment(id).filter(e -> e.lifecycleStage().equals("active")).orElseThrow(NotFound::new);
    }

    private Tracking.RunInfo activeRun(String uuid) {
        return store.run(uuid).filter(r -> !r.lifecycleStage().equals("deleted")).orElseThrow(NotFound::new);
    }

    private static boolean isAdmin(Authentication auth) {
        return auth != null && auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
    }

    /** Throughput and time left: from the run's job progress, else steps per second of its longest curve. */
    record Progress(long done, long total, String unit, String rate, java.time.Duration eta) {
    }

    Progress progress(Tracking.Run run) {
        String jobId = run.tags().get("stainbench.job_id");
        var job = jobId == null || !jobId.matches("\\d+") ? java.util.Optional.<org.stainbench.jobs.JobSummary>empty()
                : jobs.find(Long.parseLong(jobId));
        if (job.isPresent() && job.get().startedAt() != null && job.get().progressDone() > 0) {
            var j = job.get();
            java.time.Instant end = j.finishedAt() != null ? j.finishedAt() : clock.instant();
            double seconds = Math.max(1e-3, java.time.Duration.between(j.startedAt(), end).toMillis() / 1000.0);
            double rate = j.progressDone() / seconds;
            String unit = j.progressUnit() == null ? "steps" : j.progressUnit();
            java.time.Duration eta = j.finishedAt() == null && j.progressTotal() > j.progressDone() && rate > 0
                    ? java.time.Duration.ofSeconds((long) Math.ceil((j.progressTotal() - j.progressDone()) / rate))
                    : null;
            return new Progress(j.progressDone(), j.progressTotal(), unit, String.format(java.util.Locale.ROOT,
                    "%.1f %s/s", rate, unit), eta);
        }
        List<Tracking.Metric> longest = store.allHistories(run.info()).values().stream()
                .max(java.util.Comparator.comparingInt(List::size)).orElse(List.of());
        if (longest.size() < 2) {
            return null;
        }
        Tracking.Metric a = longest.get(0);
        Tracking.Metric b = longest.get(longest.size() - 1);
        double seconds = (b.timestamp() - a.timestamp()) / 1000.0;
        if (seconds <= 0 || b.step() <= a.step()) {
            return null;
        }
        return new Progress(b.step(), 0, "steps", String.format(java.util.Locale.ROOT, "%.1f steps/s",
                (b.step() - a.step()) / seconds), null);
    }

    /** The curves of a run as JSON for the chart (polled while the run is active). */
    @GetMapping("/runs/{uuid}/metrics.json")
    @ResponseBody
    Map<String, List<Tracking.Metric>> metrics(@PathVariable String uuid) {
        return store.allHistories(store.run(uuid).orElseThrow(NotFound::new));
    }

    @GetMapping("/runs/{uuid}/artifacts/{*path}")
    ResponseEntity<?> artifact(@PathVariable String uuid, @PathVariable String path) throws IOException {
        Tracking.RunInfo info = store.run(uuid).orElseThrow(NotFound::new);
        return artifacts.download(info, path).orElseThrow(NotFound::new);
    }

    /** Any number of runs side by side: differing params, final metrics, overlaid curves; or seed groups. */
    @GetMapping("/runs/compare")
    String compare(@RequestParam(name = "run", required = false) List<String> ids,
            @RequestParam(defaultValue = "false") boolean seeds, Model model) {
        List<Tracking.Run> runs = load(ids);
        model.addAttribute("runs", runs);
        model.addAttribute("seeds", seeds);
        model.addAttribute("differing", SeedGroups.differingParams(runs));
        List<List<Tracking.Run>> groups = seeds ? SeedGroups.group(runs) : runs.stream().map(List::of).toList();
        List<GroupRow> rows = new java.util.ArrayList<>();
        for (List<Tracking.Run> g : groups) {
            rows.add(new GroupRow(label(g, seeds), g.stream().map(r -> r.info().uuid()).toList(), SeedGroups.finals(g)));
        }
        java.util.Set<String> keys = new java.util.TreeSet<>();
        rows.forEach(r -> keys.addAll(r.finals().keySet()));
        model.addAttribute("rows", rows);
        model.addAttribute("metricKeys", keys);
        model.addAttribute("query", ids == null ? "" : String.join("&", ids.stream().map(i -> "run=" + i).toList()));
        List<EvalTable> evals = evaluationTables(runs);
        model.addAttribute("evalTables", evals);
        return "runs/compare";
    }

    /** The evaluated epochs of the compared runs under one protocol fingerprint: one row per run and epoch. */
    record EvalTable(String fingerprint, String shortFingerprint, List<Map<String, String>> metrics, List<EvalRow> rows,
            List<Map<String, String>> evaluations) {
    }

    /** {@code cells}: metric key → "mean ± std"; {@code best}: the metric keys where this row is the table's best. */
    record EvalRow(String run, String runUuid, int epoch, String checkpoint, String href, Map<String, String> cells,
            java.util.Set<String> best) {
    }

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
                EvalTable t = byFingerprint.computeIfAbsent(s.fingerprint(), fp -> new EvalTable(fp,
                        fp.startsWith("unrecorded-") ? "unrecorded" : org.stainbench.evaluation.ProtocolFingerprint.shortOf(fp),
                        new java.util.ArrayList<>(), new java.util.ArrayList<>(), new java.util.ArrayList<>()));
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
                        cells.put(k, String.format(java.util.Locale.ROOT, "%.4g", v[0])
                                + (v.length > 2 && v[2] > 1 ? String.format(java.util.Locale.ROOT, " ± %.2g", v[1]) : ""));
                        means.computeIfAbsent(rowKey, x -> new java.util.HashMap<>()).put(k, v[0]);
                    });
                    t.rows().add(new EvalRow(r.info().name(), r.info().uuid(), p.epoch(), p.checkpoint(), p.href(), cells,
                            new java.util.HashSet<>()));
                }
            }
        }
        List<EvalTable> out = byFingerprint.values().stream().filter(t -> !t.rows().isEmpty()).toList();
        for (EvalTable t : out) {
            for (Map<String, String> m : t.metrics()) {
                String k = m.get("key");
                if (k.equals(org.stainbench.evaluation.Metric.KID_STD.key())) {
                    continue; // a dispersion, never marked best
                }
                double best = Double.POSITIVE_INFINITY;
                int at = -1;
                for (int i = 0; i < t.rows().size(); i++) {
                    Double v = means.getOrDefault(t.fingerprint() + "|" + i, Map.of()).get(k);
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
    Map<String, List<Series>> curves(@RequestParam(name = "run", required = false) List<String> ids,
            @RequestParam(defaultValue = "false") boolean seeds, @RequestParam(defaultValue = "std") String band) {
        List<Tracking.Run> runs = load(ids);
        List<List<Tracking.Run>> groups = seeds ? SeedGroups.group(runs) : runs.stream().map(List::of).toList();
        Map<String, List<Series>> out = new TreeMap<>();
        for (List<Tracking.Run> g : groups) {
            Map<String, List<List<Tracking.Metric>>> byKey = new TreeMap<>();
            for (Tracking.Run r : g) {
                store.allHistories(r.info()).forEach((k, h) -> byKey.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(h));
            }
            String label = label(g, seeds);
            byKey.forEach((k, histories) -> {
                List<double[]> points = SeedGroups.curve(histories).stream().map(p -> {
                    SeedGroups.Summary sm = p.summary();
                    double lo = band.equals("minmax") ? sm.min() : sm.mean() - sm.std();
                    double hi = band.equals("minmax") ? sm.max() : sm.mean() + sm.std();
                    return new double[] {p.step(), sm.mean(), lo, hi, sm.n()};
                }).toList();
                out.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(new Series(label, points));
            });
        }
        return out;
    }

    private List<Tracking.Run> load(List<String> ids) {
        if (ids == null) {
            return List.of();
        }
        return ids.stream().distinct().map(id -> store.run(id).orElseThrow(NotFound::new)).map(store::full).toList();
    }

    private static String label(List<Tracking.Run> group, boolean seeds) {
        String first = group.get(0).info().name();
        return seeds ? first + (group.size() > 1 ? " (+" + (group.size() - 1) + " seeds)" : "") : first;
    }

    /** One line of the compare chart: points are [step, mean, low, high, n]. */
    record Series(String label, List<double[]> points) {
    }

    record GroupRow(String label, List<String> runIds, Map<String, SeedGroups.Summary> finals) {
    }

    /** The images of the run's gallery: the types artifacts are served inline as ({@link MlflowArtifacts#serve}). */
    static boolean isImage(String name) {
        return MlflowArtifacts.inlineType(name) != null;
    }

    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NOT_FOUND)
    static class NotFound extends RuntimeException {
        NotFound() {
            super("No such run.");
        }
    }
}
