package org.stainbench.jobs;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Pages: the queue ({@code /jobs}, filters and paging), a job ({@code /jobs/{id}}: spec, timeline, attempts,
 * live log tail, outputs, cancel, retry, clone-and-edit), a new command job, command templates and
 * {@code /nodes}. GETs are for supervisors too; every change needs a member (security configuration).
 */
@Controller
class JobsController {

    static final int PAGE_SIZE = 25;
    static final int LOG_TAIL_BYTES = 64 * 1024;

    private final JobQueue queue;
    private final JobViews views;
    private final JobLogs logs;
    private final CommandTemplates templates;
    private final AgentService agents;
    private final SlurmClusters slurm;

    JobsController(
            JobQueue queue,
            JobViews views,
            JobLogs logs,
            CommandTemplates templates,
            AgentService agents,
            SlurmClusters slurm) {
        this.queue = queue;
        this.views = views;
        this.logs = logs;
        this.templates = templates;
        this.agents = agents;
        this.slurm = slurm;
    }

    /** The form behind "new job" and "clone and edit". */
    record JobForm(
            String title,
            String command,
            String environment,
            String outputs,
            String inputs,
            Integer gpus,
            Long gpuMemoryMb,
            Integer cpus,
            Long memoryMb,
            Long timeLimitMinutes,
            String mlflowRunId,
            String executor) {

        Resources resources() {
            return new Resources(
                    gpus == null ? 0 : gpus,
                    gpuMemoryMb == null ? 0 : gpuMemoryMb,
                    cpus == null ? 1 : cpus,
                    memoryMb == null ? 1024 : memoryMb,
                    Duration.ofMinutes(timeLimitMinutes == null ? 60 : timeLimitMinutes));
        }
    }

    /** Whose jobs the queue shows: {@code launched} (default: every job but the automatic ones), mine, or all. */
    static final List<String> SHOW = List.of("launched", "mine", "all");

    @GetMapping("/jobs")
    String list(
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String show,
            @RequestParam(defaultValue = "0") int page,
            Principal who,
            Model model) {
        if (state != null
                && !state.isBlank()
                && java.util.Arrays.stream(JobState.values())
                        .noneMatch(s -> s.name().equals(state))) {
            model.addAttribute("error", "Unknown state '" + state + "'.");
            return list(null, type, show, 0, who, model);
        }
        String whose = show == null || show.isBlank() ? SHOW.get(0) : show;
        if (!SHOW.contains(whose)) {
            model.addAttribute("error", "Unknown choice show='" + show + "': use launched, mine or all.");
            return list(state, type, null, 0, who, model);
        }
        List<String> automatic = queue.automaticTypes();
        model.addAttribute(
                "jobs",
                views.page(
                        state,
                        type,
                        "mine".equals(whose) ? who.getName() : null,
                        "all".equals(whose) ? List.of() : automatic,
                        Math.max(0, page),
                        PAGE_SIZE));
        model.addAttribute("show", whose);
        model.addAttribute("automaticTypes", automatic);
        model.addAttribute("state", state == null ? "" : state);
        model.addAttribute("type", type == null ? "" : type);
        model.addAttribute("states", JobState.values());
        model.addAttribute("types", views.types());
        model.addAttribute("counts", views.stateCounts());
        return "jobs/list";
    }

    @GetMapping("/jobs/{id:\\d+}")
    String show(@PathVariable long id, Model model) {
        JobRow job = job(id);
        model.addAttribute("job", job);
        model.addAttribute("spec", CommandSpec.of(job.spec()));
        model.addAttribute("events", views.events(id));
        model.addAttribute("attempts", views.attempts(id));
        model.addAttribute("outputs", views.outputs(id));
        model.addAttribute("why", views.whyWaiting(job).orElse(null));
        model.addAttribute("log", logs.tail(id, LOG_TAIL_BYTES));
        model.addAttribute("logBytes", logs.size(id));
        return "jobs/show";
    }

    /** The live log tail's full-page twin: the whole job page. */
    @GetMapping("/jobs/{id:\\d+}/log")
    String log(@PathVariable long id, Model model) {
        return show(id, model);
    }

    /** The live log tail: a fragment for htmx polling. */
    @HxRequest
    @GetMapping("/jobs/{id:\\d+}/log")
    String logFragment(@PathVariable long id, Model model) {
        JobRow job = job(id);
        model.addAttribute("job", job);
        model.addAttribute("log", logs.tail(id, LOG_TAIL_BYTES));
        model.addAttribute("logBytes", logs.size(id));
        return "jobs/show :: log";
    }

    @GetMapping("/jobs/{id:\\d+}/outputs/{outputId:\\d+}")
    ResponseEntity<InputStreamResource> output(@PathVariable long id, @PathVariable long outputId) throws IOException {
        JobViews.Output o = views.output(id, outputId)
                .orElseThrow(() ->
                        new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND, "No such output."));
        // the row records the output's artifact store key (jobs/<id>/attempt-<n>/<name>)
        java.util.OptionalLong size;
        try {
            size = agents.outputSize(o.path());
        } catch (IllegalArgumentException e) {
            size = java.util.OptionalLong.empty();
        }
        if (size.isEmpty()) {
            throw new ResponseStatusException(
                    org.springframework.http.HttpStatus.NOT_FOUND, "The output file is gone.");
        }
        String name = Path.of(o.name()).getFileName().toString();
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(size.getAsLong())
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name.replace("\"", "") + "\"")
                .body(new InputStreamResource(agents.openOutput(o.path())));
    }

    @PostMapping("/jobs/{id:\\d+}/cancel")
    String cancel(@PathVariable long id, Principal who, RedirectAttributes flash) {
        JobRow job = job(id);
        if (job.state().isFinal()) {
            flash.addFlashAttribute("error", "Job " + id + " has already ended (" + job.state() + ").");
        } else {
            queue.cancel(job, who.getName());
            flash.addFlashAttribute("message", "Cancel requested for job " + id + ".");
        }
        return "redirect:/jobs/" + id;
    }

    @PostMapping("/jobs/{id:\\d+}/retry")
    String retry(@PathVariable long id, Principal who, RedirectAttributes flash) {
        JobRow job = job(id);
        if (!job.state().isFinal()) {
            flash.addFlashAttribute("error", "Job " + id + " has not ended; only an ended job can be retried.");
        } else if (!job.state().retryable()) {
            flash.addFlashAttribute(
                    "error",
                    "Job " + id + " succeeded; only a failed, cancelled or lost job can be "
                            + "retried (clone it to run it again).");
        } else if (queue.retry(job, who.getName())) {
            flash.addFlashAttribute("message", "Job " + id + " is queued again.");
        }
        return "redirect:/jobs/" + id;
    }

    @GetMapping("/jobs/new")
    String newJob(@RequestParam(required = false) Long from, Model model) {
        if (!model.containsAttribute("form")) {
            JobForm form = new JobForm("", "", "", "", "", 0, 0L, 1, 1024L, 60L, "", "agent");
            if (from != null) {
                JobRow job = job(from);
                CommandSpec spec = CommandSpec.of(job.spec());
                if (spec == null) {
                    model.addAttribute("error", "Job " + from + " is embedded work; only command jobs can be cloned.");
                } else {
                    Resources r = job.resources();
                    form = new JobForm(
                            job.title(),
                            spec.command(),
                            EnvLines.lines(spec.environment()),
                            String.join("\n", spec.outputs()),
                            String.join("\n", spec.inputs()),
                            r.gpus(),
                            r.gpuMemoryMb(),
                            r.cpus(),
                            r.memoryMb(),
                            Math.max(1L, r.timeLimit().toMinutes()),
                            spec.mlflowRunId() == null ? "" : spec.mlflowRunId(),
                            job.executor() == Executor.SLURM ? "slurm" : "agent");
                }
            }
            model.addAttribute("form", form);
        }
        model.addAttribute("from", from);
        model.addAttribute("slurmEnabled", slurm.enabled());
        return "jobs/new";
    }

    @PostMapping("/jobs")
    String submit(JobForm form, @RequestParam(required = false) Long from, Principal who, RedirectAttributes flash) {
        try {
            Resources resources = form.resources();
            boolean useSlurm = "slurm".equals(form.executor());
            if (useSlurm && !slurm.enabled()) {
                throw new IllegalArgumentException("No Slurm cluster is configured (stainbench.slurm.mode).");
            }
            long id = queue.launch(
                    new CommandJob(
                            "command",
                            form.title(),
                            form.command(),
                            EnvLines.parseEnv(form.environment()),
                            EnvLines.split(form.inputs()),
                            EnvLines.split(form.outputs()),
                            resources,
                            who.getName(),
                            form.mlflowRunId() == null || form.mlflowRunId().isBlank()
                                    ? null
                                    : form.mlflowRunId().trim(),
                            useSlurm),
                    from);
            flash.addFlashAttribute("message", "Job " + id + " queued.");
            return "redirect:/jobs/" + id;
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            flash.addFlashAttribute("form", form);
            return from == null ? "redirect:/jobs/new" : "redirect:/jobs/new?from=" + from;
        }
    }

    @GetMapping("/nodes")
    String nodes(Model model) {
        model.addAttribute("nodes", views.nodes());
        model.addAttribute("slurm", slurm.enabled() ? slurm.partitions() : null);
        model.addAttribute("slurmEnabled", slurm.enabled());
        return "jobs/nodes";
    }

    private JobRow job(long id) {
        return queue.row(id)
                .orElseThrow(() -> new ResponseStatusException(
                        org.springframework.http.HttpStatus.NOT_FOUND, "No job " + id + "."));
    }
}
