package org.stainbench.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobSummary;
import org.stainbench.jobs.NodeAvailability;

/**
 * The run page's model ({@code runs/detail}): the run with its latest metrics, its progress, the epoch section,
 * checkpoints, artifacts and the chart's metric keys (the curves themselves come reduced from
 * {@code /runs/{uuid}/metrics.json}). Shared by {@link RunsController} and {@link EpochEvaluationController}, so no
 * controller calls another.
 */
@Component
class RunPage {

    private final Runs lifecycle;
    private final RunArtifacts artifacts;
    private final Checkpoints checkpoints;
    private final EpochSection epochs;
    private final JobQueue jobs;
    private final java.time.Clock clock;
    private final NodeAvailability nodes;
    private final TileScrubber scrubber;

    RunPage(
            Runs lifecycle,
            RunArtifacts artifacts,
            Checkpoints checkpoints,
            EpochSection epochs,
            JobQueue jobs,
            java.time.Clock clock,
            NodeAvailability nodes,
            TileScrubber scrubber) {
        this.lifecycle = lifecycle;
        this.artifacts = artifacts;
        this.checkpoints = checkpoints;
        this.epochs = epochs;
        this.jobs = jobs;
        this.clock = clock;
        this.nodes = nodes;
        this.scrubber = scrubber;
    }

    /** Fills the model of the run page ({@code runs/detail}) and names the view; 404 for an unknown run. */
    String fill(String uuid, Model model, Authentication auth) throws IOException {
        // a deleted run's page opens for admins only, with the "deleted by … — restore" banner
        Tracking.RunInfo info = lifecycle.visibleRun(uuid, auth).orElseThrow(RunsController.NotFound::new);
        Tracking.Run full = lifecycle.full(info);
        model.addAttribute("run", full);
        model.addAttribute("deletion", lifecycle.deletion(info).orElse(null));
        model.addAttribute("progress", progress(full));
        model.addAttribute("waiting", waiting(full));
        epochs.fill(model, full, model.getAttribute("epochForm") instanceof EpochSection.Form f ? f : null);
        model.addAttribute(
                "experiment", lifecycle.experiment(info.experimentId()).orElseThrow(RunsController.NotFound::new));
        model.addAttribute("metricKeys", lifecycle.metricKeys(info));
        model.addAttribute("chartWidth", RunsController.CHART_WIDTH);
        model.addAttribute("scrubber", scrubber.of(uuid));
        model.addAttribute(
                "checkpoints",
                checkpoints.all().stream()
                        .filter(c -> uuid.equals(c.runUuid()))
                        .sorted(java.util.Comparator.comparing(c -> c.epoch() == null ? 0 : c.epoch()))
                        .toList());
        try (var files = artifacts.filesOf(info)) {
            List<String> names =
                    files.map(Path::toString).map(s -> s.replace('\\', '/')).toList();
            model.addAttribute("artifacts", names);
            model.addAttribute(
                    "images", names.stream().filter(RunsController::isImage).toList());
        }
        return "runs/detail";
    }

    /**
     * A RUNNING run whose job still waits in the queue: how it waits ("queued — no node online"), issue 18; null when
     * the run is not running, has no job, or its job has started.
     */
    String waiting(Tracking.Run run) {
        String jobId = run.tags().get("stainbench.job_id");
        if (!"RUNNING".equals(run.info().status()) || jobId == null || !jobId.matches("\\d{1,18}")) {
            return null;
        }
        return nodes.waiting(Long.parseLong(jobId)).orElse(null);
    }

    /** Throughput and time left: from the run's job progress, else steps per second of its longest curve. */
    record Progress(long done, long total, String unit, String rate, java.time.Duration eta) {}

    Progress progress(Tracking.Run run) {
        String jobId = run.tags().get("stainbench.job_id");
        var job = jobId == null || !jobId.matches("\\d+")
                ? java.util.Optional.<JobSummary>empty()
                : jobs.find(Long.parseLong(jobId));
        if (job.isPresent() && job.get().startedAt() != null && job.get().progressDone() > 0) {
            var j = job.get();
            java.time.Instant end = j.finishedAt() != null ? j.finishedAt() : clock.instant();
            double seconds = Math.max(
                    1e-3, java.time.Duration.between(j.startedAt(), end).toMillis() / 1000.0);
            double rate = j.progressDone() / seconds;
            String unit = j.progressUnit() == null ? "steps" : j.progressUnit();
            java.time.Duration eta = j.finishedAt() == null && j.progressTotal() > j.progressDone() && rate > 0
                    ? java.time.Duration.ofSeconds((long) Math.ceil((j.progressTotal() - j.progressDone()) / rate))
                    : null;
            return new Progress(
                    j.progressDone(),
                    j.progressTotal(),
                    unit,
                    String.format(java.util.Locale.ROOT, "%.1f %s/s", rate, unit),
                    eta);
        }
        Tracking.Metric[] ends = lifecycle.progressPoints(run.info()).orElse(null);
        if (ends == null) {
            return null;
        }
        Tracking.Metric a = ends[0];
        Tracking.Metric b = ends[1];
        double seconds = (b.timestamp() - a.timestamp()) / 1000.0;
        if (seconds <= 0 || b.step() <= a.step()) {
            return null;
        }
        return new Progress(
                b.step(),
                0,
                "steps",
                String.format(java.util.Locale.ROOT, "%.1f steps/s", (b.step() - a.step()) / seconds),
                null);
    }
}
