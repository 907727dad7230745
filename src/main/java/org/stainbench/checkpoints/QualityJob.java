package org.stainbench.checkpoints;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveIngested;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.TileInfo;
import org.stainbench.jobs.JobContext;
import org.stainbench.jobs.JobHandler;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobRequest;
import org.stainbench.tiles.QualityMeasures;

/**
 * Quality measures of generated tiles. Decision: computed here, by a "tile-quality" job queued when the catalog
 * publishes {@link ArchiveIngested} for an archive of a generated set's dataset — the catalog's ingest stays as
 * it is, and the measures live in this module's {@code tile_quality} table (one row per tile). Re-runnable: the
 * archive's rows are replaced in one statement batch.
 */
@Component
class QualityJob implements JobHandler {

    private final CheckpointStore store;
    private final CatalogTiles tiles;
    private final org.springframework.beans.factory.ObjectProvider<Catalog> catalog;
    private final org.springframework.beans.factory.ObjectProvider<JobQueue> jobs;

    QualityJob(
            CheckpointStore store,
            CatalogTiles tiles,
            org.springframework.beans.factory.ObjectProvider<Catalog> catalog,
            org.springframework.beans.factory.ObjectProvider<JobQueue> jobs) {
        this.catalog = catalog;
        this.store = store;
        this.tiles = tiles;
        this.jobs = jobs;
    }

    @EventListener
    void ingested(ArchiveIngested e) {
        store.setOfDataset(e.datasetId()).ifPresent(s -> jobs.getObject()
                .submit(JobRequest.embedded(
                        type(),
                        title(
                                catalog.getObject()
                                        .archive(e.archiveId())
                                        .map(Archive::fileName)
                                        .orElse("archive " + e.archiveId()),
                                catalog.getObject()
                                        .dataset(e.datasetId())
                                        .map(Dataset::name)
                                        .orElse(null)),
                        Map.of("archiveId", Long.toString(e.archiveId())),
                        "system")));
    }

    /** "Quality measures of ihc_1.npz in lora-r4-epoch3 on Demo H&amp;E": the archive and its generated set's dataset. */
    static String title(String archiveName, String datasetName) {
        return "Quality measures of " + archiveName + (datasetName == null ? "" : " in " + datasetName);
    }

    /** Queued by the platform whenever a generated archive is ingested, not launched by a user. */
    @Override
    public boolean automatic() {
        return true;
    }

    @Override
    public String type() {
        return Checkpoints.QUALITY_JOB;
    }

    @Override
    public void run(JobContext context) {
        long archiveId = Long.parseLong(context.params().get("archiveId"));
        List<TileInfo> list = tiles.tiles(archiveId);
        List<StoredQuality> out = new ArrayList<>(list.size());
        for (TileInfo t : list) {
            if (context.isCancelled()) {
                return;
            }
            out.add(new StoredQuality(archiveId, t.index(), QualityMeasures.of(tiles.read(archiveId, t.index()))));
            context.progress(out.size(), list.size(), "tiles");
        }
        store.replaceQuality(archiveId, out);
        context.log(out.size() + " tiles measured");
    }
}
