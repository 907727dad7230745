package org.stainbench.checkpoints;

import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveIngested;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.DemoDatasets;

/**
 * The demo project gains the two baselines: once every archive of the catalog's demo H&amp;E and CK7 datasets is
 * ingested, "Reinhard (demo)" and "Stain remap (demo)" are registered and applied to the demo H&amp;E dataset, so
 * the galleries have columns out of the box. Both are also applied to the demo's real-tissue H&amp;E dataset once its
 * archives are ingested (12 tiles of 256 px: a few seconds), so that the first gallery and the dashboard's tile strip
 * show pathology, not procedural tiles (issue 18).
 */
@Component
class DemoBaselines {

    private static final Logger log = LoggerFactory.getLogger(DemoBaselines.class);
    static final String REINHARD = "Reinhard (demo)";
    static final String REMAP = "Stain remap (demo)";

    private final Catalog catalog;
    private final Checkpoints checkpoints;
    private final CheckpointStore store;

    DemoBaselines(Catalog catalog, Checkpoints checkpoints, CheckpointStore store) {
        this.catalog = catalog;
        this.checkpoints = checkpoints;
        this.store = store;
    }

    @EventListener
    synchronized void ingested(ArchiveIngested e) {
        registerBaselines(e);
        applyToRealTissue();
    }

    /**
     * The demo baselines on the real-tissue H&amp;E dataset, once: when both exist and its archives are all ingested
     * (whichever comes last), and neither was applied there yet.
     */
    private void applyToRealTissue() {
        Optional<Dataset> real = named(DemoDatasets.REAL_HE);
        if (real.isEmpty() || !allReady(real.get())) {
            return;
        }
        for (String name : List.of(REINHARD, REMAP)) {
            store.findByName(name)
                    .filter(c -> checkpoints.sets(c.id()).stream()
                            .noneMatch(g -> g.sourceDatasetId() == real.get().id()))
                    .ifPresent(c -> {
                        checkpoints.applyBaseline(c.id(), real.get().id(), "demo");
                        log.info("Demo baseline '{}' queued on '{}'", name, DemoDatasets.REAL_HE);
                    });
        }
    }

    private void registerBaselines(ArchiveIngested e) {
        Optional<Dataset> he = named(DemoDatasets.HE);
        Optional<Dataset> ck7 = named(DemoDatasets.CK7);
        if (he.isEmpty()
                || ck7.isEmpty()
                || (e.datasetId() != he.get().id() && e.datasetId() != ck7.get().id())
                || store.findByName(REINHARD).isPresent()
                || !allReady(he.get())
                || !allReady(ck7.get())) {
            return;
        }
        Checkpoint r = checkpoints.createBaseline(
                CheckpointKind.REINHARD,
                REINHARD,
                ck7.get().id(),
                null,
                null,
                "Reinhard colour transfer to the demo CK7 dataset's L*a*b* statistics.",
                "demo");
        Checkpoint s = checkpoints.createBaseline(
                CheckpointKind.STAIN_REMAP,
                REMAP,
                null,
                1.0,
                1.0,
                "Hematoxylin kept, eosin density mapped to DAB.",
                "demo");
        checkpoints.applyBaseline(r.id(), he.get().id(), "demo");
        checkpoints.applyBaseline(s.id(), he.get().id(), "demo");
        log.info("Demo baselines registered and queued on '{}'", DemoDatasets.HE);
    }

    private Optional<Dataset> named(String name) {
        return catalog.datasets().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    private boolean allReady(Dataset d) {
        List<Archive> a = catalog.archives(d.id());
        return !a.isEmpty() && a.stream().allMatch(x -> x.status() == ArchiveStatus.READY);
    }
}
