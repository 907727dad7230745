package org.stainbench.training;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.jobs.JobContext;
import org.stainbench.jobs.JobHandler;
import org.stainbench.tiles.ColourMap;
import org.stainbench.tiles.RgbTile;
import org.stainbench.training.fit.ColourMapTrainer;

/**
 * The "train-colour-map" job: fits the CPU colour map (H&amp;E → IHC pixel colours, sliced Wasserstein) on
 * pixels sampled from tissue tiles of the source dataset (one split side) and of the target IHC dataset,
 * logs the loss of every step into its tracked run, saves each epoch as a run artifact and registers it as
 * a checkpoint of the run; optionally applies each epoch's checkpoint to a dataset (a generated set per
 * epoch). Re-runnable: a re-run starts the fit again from its seed and finds the checkpoints it registered.
 */
@Component
class ColourMapJob implements JobHandler {

    static final String TYPE = "train-colour-map";
    /** Tissue tiles sampled per side, pixels kept per tile. */
    static final int MAX_TILES = 48;

    static final int PIXELS_PER_TILE = 4096;
    static final double MIN_TISSUE = 0.6;

    private final TrackingStore store;
    private final RunArtifacts artifacts;
    private final Catalog catalog;
    private final CatalogTiles tiles;
    private final Checkpoints checkpoints;
    private final java.time.Clock clock;

    ColourMapJob(
            TrackingStore store,
            RunArtifacts artifacts,
            @Lazy Catalog catalog,
            CatalogTiles tiles,
            @Lazy Checkpoints checkpoints,
            java.time.Clock clock) {
        this.clock = clock;
        this.store = store;
        this.artifacts = artifacts;
        this.catalog = catalog;
        this.tiles = tiles;
        this.checkpoints = checkpoints;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void run(JobContext context) throws Exception {
        Map<String, String> p = context.params();
        Tracking.RunInfo run = store.requireRun(p.get("run"));
        try {
            train(context, p, run);
        } catch (Exception | Error e) {
            store.updateRun(run.uuid(), "FAILED", clock.millis(), null);
            throw e;
        }
    }

    private void train(JobContext context, Map<String, String> p, Tracking.RunInfo run) throws Exception {
        store.updateRun(run.uuid(), "RUNNING", null, null);
        Dataset source = catalog.requireReal(Long.parseLong(p.get("source")), "the H&E training data");
        Dataset target = catalog.requireReal(Long.parseLong(p.get("target")), "the real IHC target");
        String side = p.getOrDefault("split", "all");
        long seed = Long.parseLong(p.getOrDefault("seed", "0"));
        var config = new ColourMapTrainer.Config(
                Integer.parseInt(p.get("epochs")),
                Integer.parseInt(p.get("steps")),
                Integer.parseInt(p.get("batch")),
                Integer.parseInt(p.get("projections")),
                Double.parseDouble(p.get("lr")),
                seed);
        SplittableRandom sampling = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] sourcePixels = pixels(source, side, sampling, true, context);
        double[] targetPixels = pixels(target, "all", sampling, false, context);
        context.log(String.format(
                "sampled %d source and %d target pixels", sourcePixels.length / 3, targetPixels.length / 3));
        long total = (long) config.epochs() * config.stepsPerEpoch();
        Long applyTo = p.containsKey("applyTo") ? Long.parseLong(p.get("applyTo")) : null;
        String by = p.getOrDefault("by", "system");
        String stain = LoraController.stainCode(target);
        List<Tracking.Metric> pending = new ArrayList<>();
        ColourMapTrainer.train(sampler(sourcePixels), sampler(targetPixels), config, new ColourMapTrainer.Listener() {
            long step;

            @Override
            public boolean step(int epoch, int s, double loss) {
                step++;
                pending.add(new Tracking.Metric("loss", loss, clock.millis(), step));
                if (pending.size() >= 10) {
                    flush();
                }
                context.progress(step, total, "steps");
                return !context.isCancelled();
            }

            private void flush() {
                store.logBatch(run.uuid(), List.copyOf(pending), Map.of(), Map.of());
                pending.clear();
            }

            @Override
            public void epochEnd(int epoch, ColourMap model, double meanLoss) {
                flush();
                // epoch_loss by epoch; "epoch" at the step where it ended (the run page draws epoch markers from it)
                store.logBatch(
                        run.uuid(),
                        List.of(
                                new Tracking.Metric("epoch_loss", meanLoss, clock.millis(), epoch),
                                new Tracking.Metric("epoch", epoch, clock.millis(), step)),
                        Map.of(),
                        Map.of());
                String file = "checkpoints/" + source.name() + "_" + stain + "_colourmap_" + epoch + ".txt";
                try {
                    artifacts.write(run, file, (model.toText() + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                Checkpoint c =
                        checkpoints.registerColourMapEpoch(run.uuid(), run.name(), epoch, model, source.id(), by);
                context.log(String.format("epoch %d: mean loss %.6g, checkpoint '%s'", epoch, meanLoss, c.name()));
                if (applyTo != null) {
                    try {
                        checkpoints.applyBaseline(c.id(), applyTo, by);
                    } catch (IllegalArgumentException e) {
                        context.log("not applied to dataset " + applyTo + ": " + e.getMessage());
                    }
                }
            }
        });
        if (context.isCancelled()) {
            store.updateRun(run.uuid(), "KILLED", clock.millis(), null);
            return;
        }
        store.updateRun(run.uuid(), "FINISHED", clock.millis(), null);
    }

    /**
     * Pixels of up to {@link #MAX_TILES} tissue tiles (≥ 60 % tissue, or the archive's most tissue-rich ones) of the dataset's ready archives on the
     * given split side, spread evenly over the archives; optical densities for the source, 0–1 colours for
     * the target.
     */
    private double[] pixels(
            Dataset d, String side, SplittableRandom random, boolean opticalDensity, JobContext context) {
        List<Archive> archives = catalog.archives(d.id()).stream()
                .filter(a -> a.status() == ArchiveStatus.READY)
                .filter(a -> side.equals("all") || side.equals(a.splitSide()))
                .toList();
        if (archives.isEmpty()) {
            throw new IllegalArgumentException("Dataset '" + d.name() + "' has no ingested archives"
                    + (side.equals("all") ? "" : " on the " + side + " side") + ".");
        }
        int perArchive = Math.max(1, MAX_TILES / archives.size());
        List<double[]> chunks = new ArrayList<>();
        for (Archive a : archives) {
            // tissue tiles (≥ 60 %) first; an archive without any lends its most tissue-rich tiles (≥ 10 %)
            List<TileInfo> ranked = tiles.tiles(a.id()).stream()
                    .filter(t -> t.tissueFraction() >= 0.1)
                    .sorted(java.util.Comparator.comparingDouble(TileInfo::tissueFraction)
                            .reversed())
                    .toList();
            List<TileInfo> tissue = ranked.stream()
                    .filter(t -> t.tissueFraction() >= MIN_TISSUE)
                    .toList();
            List<TileInfo> pool = tissue.isEmpty() ? ranked : tissue;
            int take = Math.min(perArchive, pool.size());
            for (int k = 0; k < take; k++) {
                TileInfo t = pool.get((int) ((long) k * pool.size() / take));
                RgbTile tile = tiles.read(a.id(), t.index());
                chunks.add(sample(tile, random, opticalDensity));
            }
        }
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("Dataset '" + d.name() + "' has no tiles with tissue to learn from.");
        }
        context.log(d.name() + ": " + chunks.size() + " tissue tiles sampled");
        int n = chunks.stream().mapToInt(c -> c.length).sum();
        double[] out = new double[n];
        int at = 0;
        for (double[] c : chunks) {
            System.arraycopy(c, 0, out, at, c.length);
            at += c.length;
        }
        return out;
    }

    private static double[] sample(RgbTile tile, SplittableRandom random, boolean opticalDensity) {
        int[] idx = random.ints(PIXELS_PER_TILE, 0, tile.pixels()).toArray();
        if (opticalDensity) {
            return ColourMapTrainer.opticalDensities(tile.rgb(), idx);
        }
        double[] out = new double[idx.length * 3];
        for (int i = 0; i < idx.length; i++) {
            for (int c = 0; c < 3; c++) {
                out[i * 3 + c] = (tile.rgb()[idx[i] * 3 + c] & 0xff) / 255.0;
            }
        }
        return out;
    }

    /** Draws pixels (with replacement) from a pool. */
    private static ColourMapTrainer.PixelSampler sampler(double[] pool) {
        int n = pool.length / 3;
        return (count, random) -> {
            double[] out = new double[count * 3];
            for (int i = 0; i < count; i++) {
                int j = random.nextInt(n);
                System.arraycopy(pool, j * 3, out, i * 3, 3);
            }
            return out;
        };
    }
}
