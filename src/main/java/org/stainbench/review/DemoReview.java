package org.stainbench.review;

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
 * The demo project's review session: when the demo's own evaluation (made by the demo, against the demo CK7 dataset)
 * finishes, a two-alternative forced-choice session "Demo: which tile is real?" is created over the checkpoints it
 * compared (their generated sets on the demo H&amp;E against real demo CK7 tiles), once. It has no raters and no
 * answers: a member adds pathologist accounts, whose answers then feed the evaluation page's "which metric agrees with
 * the pathologists?" section (nothing is made up for them).
 */
@Component
class DemoReview {

    private static final Logger log = LoggerFactory.getLogger(DemoReview.class);
    static final String NAME = "Demo: which tile is real?";
    static final String DEMO_USER = "demo";
    /** Generated tiles per checkpoint, each paired with a real CK7 tile. */
    static final int PER_CHECKPOINT = 3;

    private final Reviews reviews;
    private final ReviewStore store;
    private final Evaluations evaluations;
    private final Catalog catalog;

    DemoReview(Reviews reviews, ReviewStore store, Evaluations evaluations, Catalog catalog) {
        this.reviews = reviews;
        this.store = store;
        this.evaluations = evaluations;
        this.catalog = catalog;
    }

    @EventListener
    synchronized void finished(JobFinished e) {
        if (!EvaluationJobTypes.EVALUATION.equals(e.type()) || e.state() != JobState.SUCCEEDED || e.params() == null) {
            return;
        }
        try {
            create(Long.parseLong(e.params().getOrDefault("evaluationId", "")));
        } catch (IllegalArgumentException x) {
            log.warn("No demo review session from job {}: {}", e.jobId(), x.getMessage());
        }
    }

    /** Creates the demo session over the evaluation's checkpoints if it is the demo's finished evaluation and there is none. */
    Optional<ReviewSession> create(long evaluationId) {
        Optional<Dataset> he = named(DemoDatasets.HE);
        Optional<Dataset> ck7 = named(DemoDatasets.CK7);
        Optional<Evaluation> ev = evaluations.find(evaluationId);
        if (he.isEmpty()
                || ck7.isEmpty()
                || ev.isEmpty()
                || !"DONE".equals(ev.get().status())
                || !DEMO_USER.equals(ev.get().createdBy())
                || !Objects.equals(ev.get().realDatasetId(), ck7.get().id())
                || store.nameTaken(NAME)) {
            return Optional.empty();
        }
        List<Long> checkpoints = evaluations.subjects(evaluationId).stream()
                .map(Subject::checkpointId)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        if (checkpoints.isEmpty()) {
            return Optional.empty();
        }
        ReviewSession s = reviews.create(
                new Reviews.NewSession(
                        NAME,
                        ReviewMode.TWO_AFC,
                        "A real CK7 tile and a generated one side by side: pick the real one (the arrow keys work). "
                                + "The demo's tiles are synthetic, so this session shows the workflow, not a study.",
                        null,
                        false,
                        ReviewSession.RANDOM,
                        he.get().id(),
                        checkpoints,
                        PER_CHECKPOINT,
                        ck7.get().id(),
                        0,
                        0,
                        1L,
                        List.of()),
                DEMO_USER);
        log.info(
                "Demo review session '{}' created over {} checkpoints of evaluation {}",
                NAME,
                checkpoints.size(),
                evaluationId);
        return Optional.of(s);
    }

    private Optional<Dataset> named(String name) {
        return catalog.datasets().stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
