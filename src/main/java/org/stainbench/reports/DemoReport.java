package org.stainbench.reports;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.DemoDatasets;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.EvaluationJobTypes;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Subject;
import org.stainbench.jobs.JobFinished;
import org.stainbench.jobs.JobState;

/**
 * The demo project's report: when an evaluation against the demo CK7 dataset finishes (the demo's evaluation, or the
 * first one a person runs there), the report "Demo: how close to CK7?" is composed from it — a text block, the
 * comparison table, the FID chart and a random gallery of the evaluated checkpoints on the demo H&amp;E dataset — once.
 */
@Component
class DemoReport {

    private static final Logger log = LoggerFactory.getLogger(DemoReport.class);
    static final String TITLE = "Demo: how close to CK7?";

    private final Reports reports;
    private final Evaluations evaluations;
    private final Catalog catalog;

    DemoReport(Reports reports, Evaluations evaluations, Catalog catalog) {
        this.reports = reports;
        this.evaluations = evaluations;
        this.catalog = catalog;
    }

    @EventListener
    synchronized void finished(JobFinished e) {
        if (!EvaluationJobTypes.EVALUATION.equals(e.type()) || e.state() != JobState.SUCCEEDED || e.params() == null) {
            return;
        }
        try {
            long id = Long.parseLong(e.params().getOrDefault("evaluationId", ""));
            compose(id);
        } catch (IllegalArgumentException x) {
            log.warn("No demo report from job {}: {}", e.jobId(), x.getMessage());
        }
    }

    /** Composes the demo report from the evaluation if it is a finished one against the demo CK7 and there is none yet. */
    Optional<Report> compose(long evaluationId) {
        Optional<Dataset> ck7 = named(DemoDatasets.CK7);
        Optional<Evaluation> ev = evaluations.find(evaluationId);
        if (ck7.isEmpty()
                || ev.isEmpty()
                || !"DONE".equals(ev.get().status())
                || !Objects.equals(ev.get().realDatasetId(), ck7.get().id())
                || reports.byTitle(TITLE).isPresent()) {
            return Optional.empty();
        }
        List<Long> checkpoints = evaluations.subjects(evaluationId).stream()
                .map(Subject::checkpointId)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        Report r = reports.create(
                TITLE,
                """
                How close do the demo project's checkpoints get to CK7? The generated sets of each compared checkpoint
                (classical baselines such as Reinhard colour transfer and stain remapping, or epochs of the demo's CPU
                colour-map run) were compared with the demo CK7 tiles under the evaluation *%s*: lower is better for
                every metric. The demo's feature extractor has random weights, so the numbers show the loop working;
                they are not comparable with published FID.

                This report was composed when the evaluation finished; it shows live data until a member freezes it.
                """
                        .formatted(ev.get().name()),
                "demo");
        reports.addBlock(r.id(), BlockKind.TABLE, BlockSettings.table(evaluationId, List.of()), "demo");
        reports.addBlock(r.id(), BlockKind.CHART, BlockSettings.chart(evaluationId, "fid", "bar"), "demo");
        if (!checkpoints.isEmpty()) {
            reports.addBlock(
                    r.id(),
                    BlockKind.GALLERY,
                    BlockSettings.gallery(
                            "random", named(DemoDatasets.HE).map(Dataset::id).orElse(null), checkpoints, 1L, 4),
                    "demo");
        }
        log.info("Demo report '{}' composed from evaluation {}", TITLE, evaluationId);
        return Optional.of(r);
    }

    private Optional<Dataset> named(String name) {
        return catalog.datasets().stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
