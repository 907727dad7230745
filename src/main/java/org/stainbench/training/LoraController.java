package org.stainbench.training;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
import org.stainbench.jobs.CommandJob;
import org.stainbench.jobs.CommandText;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.NodeAvailability;
import org.stainbench.jobs.Resources;
import org.stainbench.shell.FieldProblem;

/**
 * Launching a LoRA training: the form with the team's defaults, a preview of the rendered command (htmx
 * fragment, or the whole page without htmx), and the launch, which creates the tracked run (parameters
 * logged) and submits the command to a node agent or Slurm with {@code MLFLOW_RUN_ID} of that run.
 */
@Controller
class LoraController {

    private final Catalog catalog;
    private final Runs runs;
    private final JobQueue jobs;
    private final NodeAvailability nodes;

    LoraController(Catalog catalog, Runs runs, JobQueue jobs, NodeAvailability nodes) {
        this.nodes = nodes;
        this.catalog = catalog;
        this.runs = runs;
        this.jobs = jobs;
    }

    @GetMapping("/training/new")
    String form(Model model) {
        LoraForm defaults = LoraForm.defaults();
        // "train" fails on a dataset with no split (the demo's is never split): default to "all" unless every dataset
        // offered has a split
        List<Dataset> datasets = catalog.realDatasets();
        boolean allSplit = !datasets.isEmpty() && datasets.stream().allMatch(Dataset::hasSplit);
        return page(defaults.withSplit(allSplit ? "train" : "all"), List.of(), null, model);
    }

    @PostMapping("/training/new/preview")
    String preview(@ModelAttribute LoraForm form, Model model) {
        return page(form, problems(form), render(form), model);
    }

    @HxRequest
    @PostMapping("/training/new/preview")
    String previewFragment(@ModelAttribute LoraForm form, Model model) {
        List<FieldProblem> problems = problems(form);
        model.addAttribute("problems", FieldProblem.messages(problems));
        model.addAttribute("fieldProblems", problems);
        model.addAttribute("command", render(form));
        return "training/new :: preview";
    }

    /** The form's own checks, then those that need the chosen dataset (it exists, is real, has the split side). */
    List<FieldProblem> problems(LoraForm form) {
        List<FieldProblem> problems = form.checks();
        if (!problems.isEmpty() || form.datasetId() == null) {
            return problems;
        }
        Dataset dataset = catalog.dataset(form.datasetId()).orElse(null);
        if (dataset == null) {
            return List.of(new FieldProblem("datasetId", "The chosen dataset does not exist."));
        }
        if (!dataset.real()) {
            try {
                catalog.requireReal(dataset.id(), "the training data");
            } catch (NotRealData e) {
                return List.of(new FieldProblem("datasetId", e.getMessage()));
            }
        }
        if (!"all".equals(form.split()) && !dataset.hasSplit()) {
            return List.of(new FieldProblem(
                    "split",
                    "Dataset '" + dataset.name() + "' has no train/test split yet: "
                            + "split it on its page, or choose split side “all”."));
        }
        return problems;
    }

    @PostMapping("/training")
    String launch(@ModelAttribute LoraForm form, Principal me, Model model, RedirectAttributes flash) {
        List<FieldProblem> problems = problems(form);
        String command = problems.isEmpty() ? render(form) : null;
        if (!problems.isEmpty() || command == null) {
            return page(
                    form,
                    problems.isEmpty()
                            ? List.of(new FieldProblem("commandTemplate", "The command could not be rendered."))
                            : problems,
                    command,
                    model);
        }
        Dataset dataset = catalog.dataset(form.datasetId()).orElseThrow();
        String stain = stainCode(dataset);
        long experimentId = runs.experimentNamed(form.experiment().trim());
        String runName = form.runName() == null || form.runName().isBlank()
                ? "lora-r" + form.rank() + "-seed" + form.seed()
                : form.runName().trim();
        Tracking.RunInfo run = runs.createRun(
                experimentId,
                me.getName(),
                runName,
                Map.of("stainbench.kind", "lora", "stainbench.dataset_id", String.valueOf(dataset.id())));
        Map<String, String> params = form.parameters(dataset.name(), stain);
        runs.log(run, params, Map.of());
        Resources resources =
                new Resources(form.gpus(), 0, form.cpus(), form.memoryGb() * 1024L, Duration.ofHours(form.hours()));
        long jobId = jobs.submitCommand(new CommandJob(
                "train",
                "LoRA " + runName + " on " + dataset.name(),
                command,
                Map.of("STAINBENCH_DATASET_ID", String.valueOf(dataset.id()), "STAINBENCH_SPLIT", form.split()),
                List.of(),
                form.checkpointFiles(dataset.name(), stain),
                resources,
                me.getName(),
                run.uuid(),
                "slurm".equals(form.executor())));
        runs.log(run, Map.of(), Map.of("stainbench.job_id", String.valueOf(jobId)));
        runs.recordLaunch(
                run,
                me.getName(),
                "Launched LoRA training '" + runName + "' on " + dataset.name() + " (job #" + jobId + ")");
        flash.addFlashAttribute("message", "Launched '" + runName + "' as job #" + jobId + ".");
        return "redirect:/runs/" + run.uuid();
    }

    private String page(LoraForm form, List<FieldProblem> problems, String command, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("problems", FieldProblem.messages(problems));
        model.addAttribute("fieldProblems", problems);
        // warn before queueing GPU work that no online node agent can take (Slurm queues it on the cluster)
        model.addAttribute(
                "noNode",
                "slurm".equals(form.executor())
                        ? null
                        : nodes.whyNoNode(new Resources(
                                        form.gpus() == null ? 0 : Math.max(0, form.gpus()),
                                        0,
                                        form.cpus() == null ? 1 : Math.max(1, form.cpus()),
                                        (form.memoryGb() == null ? 1 : Math.max(1, form.memoryGb())) * 1024L,
                                        Duration.ofHours(1)))
                                .orElse(null));
        model.addAttribute("command", command);
        model.addAttribute("datasets", catalog.realDatasets());
        model.addAttribute("flows", LoraForm.FLOWS);
        model.addAttribute("precisions", LoraForm.PRECISIONS);
        return "training/new";
    }

    /** The rendered command, with placeholder dataset values until a dataset is chosen. */
    private String render(LoraForm form) {
        Dataset d = form.datasetId() == null
                ? null
                : catalog.dataset(form.datasetId()).orElse(null);
        try {
            return CommandText.render(
                    form.commandTemplate() == null ? "" : form.commandTemplate(),
                    form.parameters(d == null ? "DATASET" : d.name(), d == null ? "STAIN" : stainCode(d)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String stainCode(Dataset d) {
        return d.stain() == Stain.IHC && d.marker() != null && !d.marker().isBlank()
                ? d.marker().toLowerCase(Locale.ROOT)
                : d.stain() == Stain.HE ? "he" : "ihc";
    }
}
