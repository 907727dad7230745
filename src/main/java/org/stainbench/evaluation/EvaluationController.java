package org.stainbench.evaluation;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.RunNames;
import org.stainbench.evaluation.features.StandardExtractors;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.jobs.JobQueue;

/** Evaluation list and form, an evaluation's comparison table and charts, exports, extractors, sheet import. */
@Controller
class EvaluationController {

    static final int PAGE = 30;
    static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    private final Evaluations evaluations;
    private final Extractors extractors;
    private final Catalog catalog;
    private final JobQueue jobs;
    private final Agreements agreements;
    private final RunNames runNames;

    EvaluationController(
            Evaluations evaluations,
            Extractors extractors,
            Catalog catalog,
            JobQueue jobs,
            Agreements agreements,
            RunNames runNames) {
        this.runNames = runNames;
        this.agreements = agreements;
        this.evaluations = evaluations;
        this.extractors = extractors;
        this.catalog = catalog;
        this.jobs = jobs;
    }

    @GetMapping("/evaluations")
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        return list(page, model, false);
    }

    @HxRequest
    @GetMapping("/evaluations")
    String listFragment(@RequestParam(defaultValue = "0") int page, Model model) {
        return list(page, model, true);
    }

    private String list(int page, Model model, boolean hx) {
        int p = Math.max(0, page);
        List<Evaluation> rows = evaluations.list(p * PAGE, PAGE);
        model.addAttribute("page", new PageImpl<>(rows, PageRequest.of(p, PAGE), evaluations.count()));
        model.addAttribute(
                "againstGenerated",
                rows.stream()
                        .filter(evaluations::againstGeneratedSet)
                        .map(Evaluation::id)
                        .collect(java.util.stream.Collectors.toSet()));
        model.addAttribute("ihcDatasets", catalog.realDatasets(Stain.IHC));
        model.addAttribute("sets", evaluations.readySets());
        model.addAttribute("extractors", extractors.all());
        model.addAttribute("lab", Protocol.lab());
        model.addAttribute("bootstrapDefault", evaluations.defaultBootstrapResamples());
        return hx ? "evaluations/list :: table" : "evaluations/list";
    }

    /**
     * The new-evaluation form: what to compare, then the protocol — the lab's preset ({@code preset=lab}) or every
     * field by hand.
     */
    record NewEvaluationForm(
            String name,
            Long realDataset,
            List<Long> sets,
            Long extractor,
            String preset,
            Integer tilesPerSide,
            Integer archives,
            Integer cropSize,
            Integer cropsPerTile,
            String seeds,
            Integer kidSubsets,
            Integer kidSubsetSize,
            Integer batchSize,
            String tileRule,
            String bootstrapResamples) {

        boolean lab() {
            return "lab".equals(preset);
        }

        /** The hand-filled protocol (before the facade's checks); every field but the batch size is needed. */
        Protocol protocol() {
            if (tilesPerSide == null
                    || archives == null
                    || cropSize == null
                    || cropsPerTile == null
                    || kidSubsets == null
                    || kidSubsetSize == null) {
                throw new IllegalArgumentException("Fill in every protocol field, or choose the lab's preset.");
            }
            return new Protocol(
                    tilesPerSide,
                    archives,
                    cropSize,
                    cropsPerTile,
                    Protocol.parseSeeds(seeds),
                    kidSubsets,
                    kidSubsetSize,
                    batchSize == null ? 16 : batchSize);
        }
    }

    @PostMapping("/evaluations")
    String create(NewEvaluationForm form, Principal who, RedirectAttributes flash) {
        try {
            Protocol p = form.lab()
                    ? evaluations.forNew(Protocol.lab(), "first", form.bootstrapResamples())
                    : evaluations.forNew(form.protocol(), form.tileRule(), form.bootstrapResamples());
            Evaluation e = evaluations.create(
                    form.name(), form.realDataset(), form.sets(), form.extractor(), p, who.getName());
            flash.addFlashAttribute("message", "Evaluation '" + e.name() + "' queued.");
            return "redirect:/evaluations/" + e.id();
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/evaluations";
        }
    }

    @PostMapping("/evaluations/import")
    String importSheet(@RequestParam(required = false) MultipartFile sheet, Principal who, RedirectAttributes flash)
            throws IOException {
        if (sheet == null || sheet.isEmpty()) {
            flash.addFlashAttribute("error", "Choose the results sheet (.xlsx) to import.");
            return "redirect:/evaluations";
        }
        try (InputStream in = sheet.getInputStream()) {
            Evaluation e = evaluations.importSheet(sheet.getOriginalFilename(), in, who.getName());
            flash.addFlashAttribute(
                    "message", "Imported '" + sheet.getOriginalFilename() + "' as an imported evaluation.");
            return "redirect:/evaluations/" + e.id();
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/evaluations";
        }
    }

    @GetMapping("/evaluations/{id:\\d+}")
    String detail(@PathVariable long id, Model model, jakarta.servlet.http.HttpServletResponse response) {
        return detail(id, model, response, false);
    }

    @HxRequest
    @GetMapping("/evaluations/{id:\\d+}")
    String detailFragment(@PathVariable long id, Model model, jakarta.servlet.http.HttpServletResponse response) {
        return detail(id, model, response, true);
    }

    private String detail(long id, Model model, jakarta.servlet.http.HttpServletResponse response, boolean hx) {
        Evaluations.Comparison c = evaluations.comparison(id);
        model.addAttribute("c", c);
        model.addAttribute("replicates", evaluations.replicates(c));
        model.addAttribute("ev", c.evaluation());
        model.addAttribute("againstGenerated", evaluations.againstGeneratedSet(c.evaluation()));
        model.addAttribute("related", hx ? List.of() : evaluations.related(id));
        model.addAttribute(
                "job",
                c.evaluation().jobId() == null
                        ? null
                        : jobs.find(c.evaluation().jobId()).orElse(null));
        model.addAttribute("featuresWhere", evaluations.featuresWhere(id).orElse(null));
        model.addAttribute("featuresJob", evaluations.featuresJob(id).orElse(null));
        model.addAttribute("chart", JSON.writeValueAsString(chartData(c, runNames)));
        model.addAttribute("agreement", hx || !"DONE".equals(c.evaluation().status()) ? List.of() : agreements.of(id));
        model.addAttribute("agreementResamples", agreements.resamples());
        model.addAttribute("agreementSeed", agreements.seed());
        if (hx && !List.of("QUEUED", "RUNNING").contains(c.evaluation().status())) {
            // finished while the page was polling: reload it whole, with the table and charts
            response.setHeader("HX-Refresh", "true");
        }
        return hx ? "evaluations/detail :: status" : "evaluations/detail";
    }

    /** Data for the charts: per metric the rows' means, stds and per-seed points; per run the epoch curve. */
    static Map<String, Object> chartData(Evaluations.Comparison c) {
        return chartData(c, u -> u == null || u.length() <= 8 ? u : u.substring(0, 8));
    }

    /** {@link #chartData(Evaluations.Comparison)} with each run's name for the legend ({@code runs[].name}). */
    static Map<String, Object> chartData(Evaluations.Comparison c, RunNames names) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> metrics = new java.util.ArrayList<>();
        for (Metric m : c.metrics()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("key", m.key());
            mm.put("label", m.label());
            List<Double> mean = new java.util.ArrayList<>();
            List<Double> std = new java.util.ArrayList<>();
            List<List<Double>> seeds = new java.util.ArrayList<>();
            List<Boolean> invariant = new java.util.ArrayList<>();
            List<Boolean> best = new java.util.ArrayList<>();
            for (Evaluations.Row r : c.rows()) {
                var s = r.cell(m);
                mean.add(s == null ? null : s.mean());
                std.add(s == null ? null : s.shownStd());
                invariant.add(s != null && s.seedInvariant());
                best.add(s != null && s.best());
                seeds.add(r.seeds().getOrDefault(m, List.of()).stream()
                        .map(v -> v.value())
                        .toList());
            }
            mm.put("ranked", m.ranked());
            mm.put("mean", mean);
            mm.put("std", std);
            mm.put("seed_invariant", invariant);
            mm.put("best", best);
            mm.put("seeds", seeds);
            metrics.add(mm);
        }
        out.put("labels", c.rows().stream().map(r -> r.subject().label()).toList());
        out.put("metrics", metrics);
        List<Map<String, Object>> runs = new java.util.ArrayList<>();
        c.epochRuns().forEach((run, rows) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("run", run);
            r.put("name", names.label(run));
            r.put("epochs", rows.stream().map(x -> x.subject().epoch()).toList());
            Map<String, List<Double>> byMetric = new LinkedHashMap<>();
            for (Metric m : c.metrics()) {
                byMetric.put(
                        m.key(),
                        rows.stream()
                                .map(x -> x.get(m) == null ? null : x.get(m).mean())
                                .toList());
            }
            r.put("values", byMetric);
            runs.add(r);
        });
        out.put("runs", runs);
        return out;
    }

    @GetMapping("/evaluations/{id:\\d+}/export.csv")
    ResponseEntity<byte[]> csv(@PathVariable long id, java.security.Principal who) {
        String body = evaluations.csvExport(id, who.getName());
        return download(body, "evaluation-" + id + ".csv", "text/csv");
    }

    @GetMapping("/evaluations/{id:\\d+}/export.tex")
    ResponseEntity<byte[]> latex(@PathVariable long id, java.security.Principal who) {
        String body = evaluations.latexExport(id, who.getName());
        return download(body, "evaluation-" + id + ".tex", "application/x-tex");
    }

    private static ResponseEntity<byte[]> download(String body, String name, String type) {
        return ResponseEntity.ok()
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(name).build().toString())
                .contentType(MediaType.parseMediaType(type + ";charset=UTF-8"))
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    // extractors

    @GetMapping("/evaluations/extractors")
    String extractorList(Model model) {
        Map<Long, Long> cached = new LinkedHashMap<>();
        for (Extractor e : extractors.all()) {
            cached.put(e.id(), extractors.cachedFeatures(e.id()));
        }
        model.addAttribute("extractors", extractors.all());
        model.addAttribute("cached", cached);
        model.addAttribute("filters", ResizeFilter.values());
        model.addAttribute("fidKnown", StandardExtractors.FID_INCEPTION_SHA256 != null);
        model.addAttribute("fidName", StandardExtractors.FID_INCEPTION_NAME);
        return "evaluations/extractors";
    }

    /** The register-extractor form: name, input geometry and normalisation, then the model as an upload or a path. */
    record ExtractorForm(
            String name,
            Integer inputHeight,
            Integer inputWidth,
            ResizeFilter filter,
            Double scale,
            Double offset,
            String mean,
            String std,
            Integer outputDim,
            MultipartFile model,
            String modelPath) {

        Extractors.NewExtractor extractor() {
            return new Extractors.NewExtractor(
                    name,
                    inputHeight,
                    inputWidth,
                    filter,
                    scale,
                    offset,
                    triple(mean, "mean"),
                    triple(std, "std"),
                    outputDim);
        }
    }

    @PostMapping("/evaluations/extractors")
    String register(ExtractorForm form, Principal who, RedirectAttributes flash) throws IOException {
        MultipartFile model = form.model();
        boolean upload = model != null && !model.isEmpty();
        try (InputStream in = upload ? model.getInputStream() : null) {
            Extractor e = extractors.register(
                    form.extractor(), upload ? model.getOriginalFilename() : null, in, form.modelPath(), who.getName());
            flash.addFlashAttribute(
                    "message",
                    "Extractor '" + e.name() + "' registered (sha256 " + e.shortSha() + "…"
                            + e.standardName().map(s -> ", recognised as " + s).orElse("") + ").");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/evaluations/extractors";
    }

    @PostMapping("/evaluations/extractors/{id:\\d+}/features")
    String uploadFeatures(
            @PathVariable long id,
            @RequestParam(required = false) MultipartFile features,
            @RequestParam(required = false) String tileIds,
            Principal who,
            RedirectAttributes flash)
            throws IOException {
        if (features == null || features.isEmpty()) {
            flash.addFlashAttribute("error", "Choose the .npy file of features.");
            return "redirect:/evaluations/extractors";
        }
        try (InputStream in = features.getInputStream()) {
            int n = extractors.uploadFeatures(id, in, tileIds, who.getName());
            flash.addFlashAttribute("message", n + " feature vectors stored.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/evaluations/extractors";
    }

    static double[] triple(String s, String what) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String[] p = s.trim().split("[,\\s]+");
        if (p.length != 3) {
            throw new IllegalArgumentException("Give the channel " + what + " as three numbers (R, G, B).");
        }
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Double.parseDouble(p[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p[i] + "' is not a number (channel " + what + ").");
            }
        }
        return v;
    }
}
