package org.stainbench.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.ArchiveIngested;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.DemoDatasets;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.evaluation.Extractors;
import org.stainbench.jobs.JobFinished;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobRequest;
import org.stainbench.jobs.JobState;

/**
 * When the demo project's datasets are ingested, the demo gains one CPU colour-map training run (4 short
 * epochs, each applied to the demo H&amp;E dataset), launched like any other through its job; once trained, its epochs
 * are evaluated against the demo CK7 dataset (the review module then adds the demo's review session over them).
 */
@Component
class DemoTraining {

    private static final Logger log = LoggerFactory.getLogger(DemoTraining.class);
    static final String EXPERIMENT = "colour-map (demo)";
    static final String RUN = "colour-map-demo";
    /**
     * Epochs of the demo run: four, so that the demo's evaluation and its review session share the four checkpoints
     * the "which metric agrees with the pathologists?" section needs at least.
     */
    static final int EPOCHS = 4;

    private final Catalog catalog;
    private final TrackingStore store;
    private final JobQueue jobs;
    private final EpochEvaluations epochEvaluations;
    private final EpochSection section;
    private final Extractors extractors;
    private final boolean enabled;
    private final Checkpoints checkpoints;

    DemoTraining(
            Catalog catalog,
            TrackingStore store,
            JobQueue jobs,
            EpochEvaluations epochEvaluations,
            EpochSection section,
            @org.springframework.context.annotation.Lazy Extractors extractors,
            @org.springframework.beans.factory.annotation.Value("${stainbench.demo.training:true}") boolean enabled,
            Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
        this.catalog = catalog;
        this.store = store;
        this.jobs = jobs;
        this.epochEvaluations = epochEvaluations;
        this.section = section;
        this.extractors = extractors;
        this.enabled = enabled;
    }

    /**
     * When the demo run has trained, its epochs are evaluated against the demo CK7 dataset (generated sets of each
     * epoch on the demo H&amp;E already exist: the job applied them), with the demo's random-weight extractor and a
     * protocol that fits the demo's small archives.
     */
    @EventListener
    synchronized void trained(JobFinished e) {
        if (!enabled || !ColourMapJob.TYPE.equals(e.type()) || e.state() != JobState.SUCCEEDED) {
            return;
        }
        Optional<Tracking.RunInfo> run = store.run(e.params().get("run")).filter(r -> RUN.equals(r.name()));
        Optional<Dataset> he = named(DemoDatasets.HE);
        Optional<Dataset> ck7 = named(DemoDatasets.CK7);
        if (run.isEmpty()
                || he.isEmpty()
                || ck7.isEmpty()
                || !epochEvaluations.ofRun(run.get().uuid()).isEmpty()) {
            return;
        }
        try {
            Tracking.Run full = store.full(run.get());
            var extractor = extractors.demo("demo");
            var epochs = epochEvaluations.epochCheckpoints(run.get().uuid());
            EpochSection.Form f =
                    section.defaults(full, epochs, List.of(he.get()), List.of(ck7.get()), List.of(extractor));
            // three seeds instead of the form's five: the demo should finish quickly; the lab's tile rule chosen
            // explicitly (with the patient bootstrap of new evaluations), so the demo's page shows both kinds of value:
            // seed-invariant ones (FID, stain distances: the same tiles for every seed) and bootstrap intervals
            EpochSection.Form demo = f.withSeeds("0-2").withTileRule("first");
            epochEvaluations.request(
                    run.get().uuid(),
                    demo.epochs(),
                    he.get().id(),
                    ck7.get().id(),
                    extractor.id(),
                    section.protocol(demo),
                    null,
                    "demo");
            log.info("Demo run's epochs {} queued for evaluation", f.epochs());
        } catch (IllegalArgumentException ex) {
            log.warn("The demo run's epochs were not evaluated: {}", ex.getMessage());
        }
        applyEpochsToRealTissue();
    }

    /**
     * Each epoch of the demo run on the real-tissue H&amp;E too (12 small tiles each), once, when both the epochs and that
     * dataset are ready (whichever comes last): the dashboard's strip of the best one shows tissue (issue 18).
     */
    private void applyEpochsToRealTissue() {
        Optional<Dataset> real = named(DemoDatasets.REAL_HE).filter(this::allReady);
        Optional<Tracking.RunInfo> run = store.experimentByName(EXPERIMENT)
                .flatMap(x -> store.activeRuns(x.id()).stream()
                        .filter(r -> RUN.equals(r.name()))
                        .findFirst());
        if (!enabled || real.isEmpty() || run.isEmpty()) {
            return;
        }
        for (var c : epochEvaluations.epochCheckpoints(run.get().uuid()).values()) {
            if (checkpoints.sets(c.id()).stream()
                    .anyMatch(g -> g.sourceDatasetId() == real.get().id())) {
                continue;
            }
            try {
                checkpoints.applyBaseline(c.id(), real.get().id(), "demo");
            } catch (IllegalArgumentException ex) {
                log.warn("Demo epoch '{}' not applied to '{}': {}", c.name(), DemoDatasets.REAL_HE, ex.getMessage());
            }
        }
    }

    @EventListener
    synchronized void ingested(ArchiveIngested e) {
        if (named(DemoDatasets.REAL_HE).map(d -> d.id() == e.datasetId()).orElse(false)) {
            applyEpochsToRealTissue();
        }
        Optional<Dataset> he = named(DemoDatasets.HE);
        Optional<Dataset> ck7 = named(DemoDatasets.CK7);
        if (!enabled
                || he.isEmpty()
                || ck7.isEmpty()
                || (e.datasetId() != he.get().id() && e.datasetId() != ck7.get().id())
                || !allReady(he.get())
                || !allReady(ck7.get())
                || store.experimentByName(EXPERIMENT).isPresent()) {
            return;
        }
        long experiment = store.createExperiment(EXPERIMENT, null, Map.of());
        Tracking.RunInfo run = store.createRun(
                experiment,
                "demo",
                null,
                RUN,
                Map.of(
                        "stainbench.kind",
                        "colour-map",
                        "stainbench.dataset_id",
                        String.valueOf(he.get().id())));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("method", "colour map (OD-space linear), Adam on sliced Wasserstein-2");
        params.put("source_dataset", DemoDatasets.HE);
        params.put("target_dataset", DemoDatasets.CK7);
        params.put("split", "all");
        params.put("epochs", Integer.toString(EPOCHS));
        params.put("steps_per_epoch", "20");
        params.put("pixels_per_step", "1024");
        params.put("projections", "16");
        params.put("lr", "0.03");
        params.put("seed", "0");
        store.logBatch(run.uuid(), List.of(), params, Map.of());
        Map<String, String> job = Map.of(
                "run",
                run.uuid(),
                "source",
                String.valueOf(he.get().id()),
                "target",
                String.valueOf(ck7.get().id()),
                "split",
                "all",
                "epochs",
                Integer.toString(EPOCHS),
                "steps",
                "20",
                "batch",
                "1024",
                "projections",
                "16",
                "lr",
                "0.03",
                "seed",
                "0");
        Map<String, String> withApply = new LinkedHashMap<>(job);
        withApply.put("applyTo", String.valueOf(he.get().id()));
        withApply.put("by", "demo");
        long id = jobs.submit(JobRequest.embedded(
                ColourMapJob.TYPE, "Colour map " + RUN + " on " + DemoDatasets.HE, withApply, "demo"));
        store.logBatch(run.uuid(), List.of(), Map.of(), Map.of("stainbench.job_id", String.valueOf(id)));
        log.info("Demo colour-map training queued as job {}", id);
    }

    private Optional<Dataset> named(String name) {
        return catalog.datasets().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    private boolean allReady(Dataset d) {
        var archives = catalog.archives(d.id());
        return !archives.isEmpty() && archives.stream().allMatch(a -> a.status() == ArchiveStatus.READY);
    }
}
