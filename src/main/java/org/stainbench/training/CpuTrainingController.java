package org.stainbench.training;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.NotRealData;
import org.stainbench.catalog.Stain;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobRequest;
import org.stainbench.shell.Names;

/** Launching the CPU colour-map training: a small real training that needs no GPU. */
@Controller
class CpuTrainingController {

    private final Catalog catalog;
    private final Runs runs;
    private final JobQueue jobs;

    CpuTrainingController(Catalog catalog, Runs runs, JobQueue jobs) {
        this.catalog = catalog;
        this.runs = runs;
        this.jobs = jobs;
    }

    record Form(
            String experiment,
            String runName,
            Long sourceDatasetId,
            Long targetDatasetId,
            String split,
            Integer epochs,
            Integer steps,
            Integer batch,
            Integer projections,
            Double learningRate,
            Long seed,
            Long applyToDatasetId) {

        static Form defaults() {
            return new Form("colour-map", "", null, null, "train", 5, 40, 2048, 32, 0.02, 0L, null);
        }

        List<String> problems(Catalog catalog) {
            List<String> p = new ArrayList<>();
            if (experiment == null || experiment.isBlank()) {
                p.add("Give the experiment a name.");
            }
            for (String[] n : new String[][] {{"The experiment name", experiment}, {"The run name", runName}}) {
                try {
                    Names.check(n[0], n[1]);
                } catch (IllegalArgumentException e) {
                    p.add(e.getMessage());
                }
            }
            LoraForm.tooLong(p, "The experiment name", experiment, Runs.MAX_EXPERIMENT_NAME);
            LoraForm.tooLong(p, "The run name", runName, Runs.MAX_RUN_NAME);
            Dataset s = sourceDatasetId == null
                    ? null
                    : catalog.dataset(sourceDatasetId).orElse(null);
            Dataset t = targetDatasetId == null
                    ? null
                    : catalog.dataset(targetDatasetId).orElse(null);
            if (s == null || s.stain() != Stain.HE) {
                p.add("Choose the H&E dataset to learn from.");
            }
            if (t == null || t.stain() != Stain.IHC) {
                p.add("Choose the real IHC dataset whose colours to match.");
            }
            // training data and the colour target are real tiles, never a generated set
            for (Dataset d : java.util.Arrays.asList(s, t)) {
                if (d != null && !d.real()) {
                    try {
                        catalog.requireReal(d.id(), d == s ? "the H&E training data" : "the real IHC target");
                    } catch (NotRealData e) {
                        p.add(e.getMessage());
                    }
                }
            }
            if (!List.of("train", "test", "all").contains(split == null ? "" : split)) {
                p.add("Split side must be train, test or all.");
            } else if (s != null && !"all".equals(split) && !s.hasSplit()) {
                p.add("Dataset '" + s.name() + "' has no train/test split yet: split it, or learn from all of it.");
            }
            check(p, "Epochs", epochs, 1, 200);
            check(p, "Steps per epoch", steps, 1, 10_000);
            check(p, "Pixels per step", batch, 16, 1_000_000);
            check(p, "Projections", projections, 1, 1024);
            if (learningRate == null || !(learningRate > 0) || learningRate > 1) {
                p.add("The learning rate is a number above 0 and at most 1.");
            }
            if (seed == null || seed < 0) {
                p.add("The seed is a whole number ≥ 0.");
            }
            if (applyToDatasetId != null && catalog.dataset(applyToDatasetId).isEmpty()) {
                p.add("The dataset to generate on does not exist.");
            }
            return p;
        }

        private static void check(List<String> p, String what, Integer v, int min, int max) {
            if (v == null || v < min || v > max) {
                p.add(what + " must be a whole number from " + min + " to " + max + ".");
            }
        }
    }

    @GetMapping("/training/cpu")
    String form(Model model) {
        return page(Form.defaults(), List.of(), model);
    }

    @PostMapping("/training/cpu")
    String launch(@ModelAttribute Form form, Principal me, Model model, RedirectAttributes flash) {
        List<String> problems = form.problems(catalog);
        if (!problems.isEmpty()) {
            return page(form, problems, model);
        }
        Dataset source = catalog.dataset(form.sourceDatasetId()).orElseThrow();
        Dataset target = catalog.dataset(form.targetDatasetId()).orElseThrow();
        long experimentId = runs.experimentNamed(form.experiment().trim());
        String name = form.runName() == null || form.runName().isBlank()
                ? "colour-map-seed" + form.seed()
                : form.runName().trim();
        Tracking.RunInfo run = runs.createRun(
                experimentId,
                me.getName(),
                name,
                Map.of("stainbench.kind", "colour-map", "stainbench.dataset_id", String.valueOf(source.id())));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("method", "colour map (OD-space linear), Adam on sliced Wasserstein-2");
        params.put("source_dataset", source.name());
        params.put("target_dataset", target.name());
        params.put("split", form.split());
        params.put("epochs", String.valueOf(form.epochs()));
        params.put("steps_per_epoch", String.valueOf(form.steps()));
        params.put("pixels_per_step", String.valueOf(form.batch()));
        params.put("projections", String.valueOf(form.projections()));
        params.put(
                "lr",
                java.math.BigDecimal.valueOf(form.learningRate())
                        .stripTrailingZeros()
                        .toPlainString());
        params.put("seed", String.valueOf(form.seed()));
        runs.log(run, params, Map.of());
        Map<String, String> job = new LinkedHashMap<>();
        job.put("run", run.uuid());
        job.put("source", String.valueOf(source.id()));
        job.put("target", String.valueOf(target.id()));
        job.put("split", form.split());
        job.put("epochs", String.valueOf(form.epochs()));
        job.put("steps", String.valueOf(form.steps()));
        job.put("batch", String.valueOf(form.batch()));
        job.put("projections", String.valueOf(form.projections()));
        job.put("lr", String.valueOf(form.learningRate()));
        job.put("seed", String.valueOf(form.seed()));
        job.put("by", me.getName());
        if (form.applyToDatasetId() != null) {
            job.put("applyTo", String.valueOf(form.applyToDatasetId()));
        }
        long jobId = jobs.submit(JobRequest.embedded(
                ColourMapJob.TYPE, "Colour map " + name + " on " + source.name(), job, me.getName()));
        runs.log(run, Map.of(), Map.of("stainbench.job_id", String.valueOf(jobId)));
        runs.recordLaunch(run, me.getName(), "Launched CPU colour-map training '" + name + "' (job #" + jobId + ")");
        flash.addFlashAttribute("message", "Training '" + name + "' queued as job #" + jobId + ".");
        return "redirect:/runs/" + run.uuid();
    }

    private String page(Form form, List<String> problems, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("problems", problems);
        model.addAttribute("heDatasets", catalog.realDatasets(Stain.HE));
        model.addAttribute("ihcDatasets", catalog.realDatasets(Stain.IHC));
        return "training/cpu";
    }
}
