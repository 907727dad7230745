package org.stainbench.checkpoints;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.TileInfo;
import org.stainbench.jobs.JobContext;
import org.stainbench.jobs.JobHandler;
import org.stainbench.tiles.ColourMap;
import org.stainbench.tiles.ColourTransfer;
import org.stainbench.tiles.NpzWriter;
import org.stainbench.tiles.RgbTile;

/**
 * The "baseline-generate" job: applies a classical baseline checkpoint to every ingested archive of the source
 * dataset, writes {@code ihc_<suffix>.npz} (row i from source row i) and registers it in the generated set's
 * dataset through the catalog's normal upload and ingest path. Re-runnable: archives already registered for
 * the set are skipped.
 */
@Component
class BaselineJob implements JobHandler {

    /** Target tiles sampled per archive for Reinhard's Lab statistics, and in all. */
    static final int TARGET_TILES_PER_ARCHIVE = 4;

    static final int TARGET_TILES_MAX = 64;
    static final double TARGET_MIN_TISSUE = 0.6;

    private final CheckpointStore store;
    private final Catalog catalog;
    private final CatalogTiles tiles;

    /** The catalog is looked up lazily: it needs the job queue, which needs this handler. */
    BaselineJob(
            CheckpointStore store, @org.springframework.context.annotation.Lazy Catalog catalog, CatalogTiles tiles) {
        this.store = store;
        this.catalog = catalog;
        this.tiles = tiles;
    }

    @Override
    public String type() {
        return Checkpoints.BASELINE_JOB;
    }

    @Override
    public void run(JobContext context) throws Exception {
        long setId = Long.parseLong(context.params().get("setId"));
        GeneratedSet set = store.findSet(setId).orElse(null);
        if (set == null) {
            context.log("generated set " + setId + " no longer exists");
            return;
        }
        Checkpoint c = store.find(set.checkpointId()).orElseThrow();
        try {
            generate(context, set, c);
        } catch (Exception | Error e) {
            store.setStatus(setId, Checkpoints.FAILED, e.getMessage());
            throw e;
        }
    }

    private void generate(JobContext context, GeneratedSet set, Checkpoint c) throws Exception {
        UnaryOperator<RgbTile> transform = transform(c, context);
        Set<Long> done = store.archivesOf(set.id()).stream()
                .map(GeneratedArchive::sourceArchiveId)
                .collect(Collectors.toSet());
        List<Archive> sources = catalog.archives(set.sourceDatasetId()).stream()
                .filter(a -> a.status() == ArchiveStatus.READY)
                .sorted(Comparator.comparingLong(Archive::id))
                .toList();
        long total = sources.stream().mapToLong(Archive::tilesTotal).sum();
        long progress = sources.stream()
                .filter(a -> done.contains(a.id()))
                .mapToLong(Archive::tilesTotal)
                .sum();
        for (Archive src : sources) {
            if (done.contains(src.id())) {
                continue;
            }
            if (context.isCancelled()) {
                store.setStatus(set.id(), Checkpoints.FAILED, "cancelled");
                return;
            }
            String name = Checkpoints.generatedName(src.fileName());
            Path tmp = Files.createTempFile("baseline-", ".npz");
            try {
                final long base = progress;
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                    NpzWriter.writePlain(
                            out,
                            "arr_0",
                            src.tilesTotal(),
                            src.tileWidth(),
                            src.tileHeight(),
                            i -> {
                                context.progress(base + i, total, "tiles");
                                return transform.apply(tiles.read(src.id(), i));
                            },
                            false);
                }
                Archive a;
                try (InputStream in = Files.newInputStream(tmp)) {
                    a = catalog.registerOutput(set.datasetId(), name, in, set.createdBy());
                }
                store.insertArchive(new GeneratedArchive(a.id(), set.id(), src.id(), name, src.tilesTotal()));
                context.log(src.fileName() + " → " + name + " (" + src.tilesTotal() + " tiles), queued for ingest");
            } finally {
                Files.deleteIfExists(tmp);
            }
            progress += src.tilesTotal();
            context.progress(progress, total, "tiles");
        }
        store.setStatus(
                set.id(),
                Checkpoints.READY,
                String.format(
                        Locale.ROOT,
                        "%d archives generated by %s.",
                        sources.size(),
                        c.kind().label()));
    }

    UnaryOperator<RgbTile> transform(Checkpoint c, JobContext context) {
        Map<String, String> p = Checkpoints.params(c);
        if (c.kind() == CheckpointKind.STAIN_REMAP) {
            double h = Double.parseDouble(p.getOrDefault("h", "1"));
            double dab = Double.parseDouble(p.getOrDefault("dab", "1"));
            context.log("stain remapping with hematoxylin gain " + h + " and DAB gain " + dab);
            return t -> ColourTransfer.stainRemap(t, h, dab);
        }
        if (c.kind() == CheckpointKind.REINHARD) {
            long target = Long.parseLong(p.get("target"));
            ColourTransfer.LabStats stats = targetStats(target);
            context.log(String.format(
                    Locale.ROOT,
                    "Reinhard transfer to dataset %d: L*a*b* mean (%.2f, %.2f, %.2f), "
                            + "std (%.2f, %.2f, %.2f) over %d pixels",
                    target,
                    stats.mean()[0],
                    stats.mean()[1],
                    stats.mean()[2],
                    stats.std()[0],
                    stats.std()[1],
                    stats.std()[2],
                    stats.pixels()));
            return t -> ColourTransfer.reinhard(t, stats);
        }
        if (c.kind() == CheckpointKind.COLOUR_MAP) {
            ColourMap map = ColourMap.parse("map=" + p.get("map"));
            context.log("colour map " + map);
            return map::apply;
        }
        throw new IllegalArgumentException("'" + c.name() + "' is not a baseline");
    }

    /** Lab statistics of up to 4 tissue tiles (≥ 60 %) per ready archive, evenly spread, 64 at most. */
    ColourTransfer.LabStats targetStats(long datasetId) {
        List<RgbTile> sample = new ArrayList<>();
        for (Archive a : catalog.archives(datasetId)) {
            if (a.status() != ArchiveStatus.READY || sample.size() >= TARGET_TILES_MAX) {
                continue;
            }
            List<TileInfo> tissue = tiles.tiles(a.id()).stream()
                    .filter(t -> t.tissueFraction() >= TARGET_MIN_TISSUE)
                    .toList();
            int take = Math.min(TARGET_TILES_PER_ARCHIVE, tissue.size());
            for (int k = 0; k < take && sample.size() < TARGET_TILES_MAX; k++) {
                sample.add(
                        tiles.read(a.id(), tissue.get(k * tissue.size() / take).index()));
            }
        }
        if (sample.isEmpty()) {
            throw new IllegalArgumentException(
                    "The target dataset has no ingested tissue tiles to take colour statistics from.");
        }
        return ColourTransfer.LabStats.of(sample);
    }
}
