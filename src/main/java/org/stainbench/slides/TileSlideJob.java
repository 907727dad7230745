package org.stainbench.slides;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.Catalog;
import org.stainbench.jobs.JobContext;
import org.stainbench.jobs.JobHandler;
import org.stainbench.slides.tiling.FilterSettings;
import org.stainbench.slides.tiling.Regions;
import org.stainbench.tiles.NpzWriter;

/**
 * The {@code tile-slide} job: tiles a slide with {@link SlideTiler}, writes the kept tiles as an archive in
 * the lab's layout (or plain uint8), registers it in the chosen catalog dataset (which indexes it with its
 * ingest job) and records every kept tile's position. Re-runnable: a re-run starts the tiling over.
 */
@Component
class TileSlideJob implements JobHandler {

    private final SlideStore store;
    private final ObjectProvider<Slides> slides;
    /** Looked up when a job runs: the catalog itself needs the job queue, which needs every handler. */
    private final ObjectProvider<Catalog> catalog;

    private final Clock clock;
    private final int threads;

    TileSlideJob(
            SlideStore store,
            ObjectProvider<Slides> slides,
            ObjectProvider<Catalog> catalog,
            Clock clock,
            @Value("${stainbench.slides.threads:0}") int threads) {
        this.store = store;
        this.slides = slides;
        this.catalog = catalog;
        this.clock = clock;
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Writes the kept tiles in grid order as an uncompressed {@code .npz} (like {@code np.savez}): the lab's
     * layout ({@code arr_0}, object (N, 2) rows of [tile, label]) or plain uint8 (N, size, size, 3).
     */
    static void writeArchive(Path file, List<SlideTiler.Tile> kept, TileSpool spool, int size, boolean plain, int label)
            throws java.io.IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            if (plain) {
                NpzWriter.writePlain(
                        out,
                        "arr_0",
                        kept.size(),
                        size,
                        size,
                        i -> spool.get(kept.get(i).slot()),
                        false);
            } else {
                NpzWriter.writeLab(out, kept.size(), i -> spool.get(kept.get(i).slot()), i -> label, false);
            }
        }
    }

    @Override
    public String type() {
        return Slides.JOB_TYPE;
    }

    @Override
    public void run(JobContext ctx) throws Exception {
        long id = Long.parseLong(ctx.params().get("tilingId"));
        Tiling t = store.findTiling(id).orElseThrow(() -> new IllegalArgumentException("No tiling " + id + "."));
        if ("DONE".equals(t.state())) {
            ctx.log("tiling " + id + " is already done");
            return;
        }
        Slide s = store.findSlide(t.slideId())
                .orElseThrow(() -> new IllegalArgumentException("The slide of tiling " + id + " is gone."));
        store.startTiling(id);
        try {
            runTiling(ctx, t, s);
        } catch (Exception | Error e) {
            store.failTiling(id, e.getMessage() == null ? e.toString() : e.getMessage(), clock.instant());
            throw e;
        }
    }

    private void runTiling(JobContext ctx, Tiling t, Slide s) throws Exception {
        long start = System.nanoTime();
        Regions regions = new Regions(store.regions(s.id()));
        SlideTiler.Options o = new SlideTiler.Options(
                t.level(),
                t.magnification(),
                t.tileSize(),
                t.overlap(),
                new FilterSettings(
                        t.minLaplacian(),
                        t.minSaturated(),
                        t.maxWhite(),
                        t.colourCast(),
                        FilterSettings.LAB.maxColourCast()),
                SlideTiler.Options.DEFAULT_MASK_MIN_TISSUE,
                regions,
                t.excludeOutside(),
                threads);
        Path dir = slides.getObject()
                .root()
                .resolve(Long.toString(s.id()))
                .resolve("tilings")
                .resolve(Long.toString(t.id()));
        Files.createDirectories(dir);
        String name = SlideNames.archiveName(s.name());
        ctx.log("tiling " + s.name() + " (" + s.width() + " x " + s.height() + ") with " + threads + " threads");
        SlideTiler.Result r;
        List<SlideTile> rows = new ArrayList<>();
        Long archiveId = null;
        try (OpenSlide slide = OpenSlide.open(slides.getObject().localFile(s));
                TileSpool spool = new TileSpool(dir, t.tileSize(), t.tileSize())) {
            r = SlideTiler.run(slide, o, spool, (done, total) -> ctx.progress(done, total, "tiles"), ctx::isCancelled);
            if (ctx.isCancelled()) {
                store.failTiling(t.id(), "cancelled", clock.instant());
                return;
            }
            List<SlideTiler.Tile> kept = r.kept();
            ctx.log(String.format(
                    Locale.ROOT,
                    "level %d (downsample %.3g), grid %d x %d = %d tiles, mask level %d, read %d, kept %d",
                    r.level(),
                    r.downsample(),
                    r.grid().columns(),
                    r.grid().rows(),
                    r.grid().count(),
                    r.maskLevel(),
                    r.read(),
                    kept.size()));
            for (int i = 0; i < kept.size(); i++) {
                SlideTiler.Tile k = kept.get(i);
                rows.add(new SlideTile(
                        t.id(),
                        i,
                        k.x(),
                        k.y(),
                        k.measures().laplacianVariance(),
                        k.measures().saturatedFraction(),
                        k.measures().whiteFraction(),
                        k.measures().tissueFraction(),
                        k.colourCast(),
                        k.coverage().className(),
                        k.coverage().classFraction()));
            }
            Long registered = t.archiveId() != null
                            && catalog.getObject().archive(t.archiveId()).isPresent()
                    ? t.archiveId()
                    : null;
            if (registered != null) {
                // a re-run after the archive was registered (the server stopped before the tiling was marked done):
                // the tiling is deterministic, so the registered archive holds exactly these tiles
                archiveId = registered;
                ctx.log("archive " + registered + " was registered by an earlier attempt; keeping it");
            } else if (!kept.isEmpty()) {
                Path file = dir.resolve(name);
                int label = s.label().code();
                writeArchive(file, kept, spool, t.tileSize(), t.plain(), label);
                try (InputStream in = Files.newInputStream(file)) {
                    Archive a = catalog.getObject().registerUpload(t.datasetId(), name, in, t.createdBy());
                    archiveId = a.id();
                    store.setArchive(t.id(), archiveId, name);
                } finally {
                    Slides.deleteQuietly(file);
                }
                ctx.log("registered " + name + " as archive " + archiveId + " in dataset " + t.datasetId());
            } else {
                ctx.log("no tile passed the filter: nothing registered");
            }
        }
        store.insertTiles(t.id(), rows);
        double seconds = (System.nanoTime() - start) / 1e9;
        store.finishTiling(
                t.id(),
                r.level(),
                r.maskLevel(),
                r.grid().count(),
                (int) r.read(),
                rows.size(),
                name,
                archiveId,
                seconds,
                clock.instant());
        ctx.progress(r.grid().count(), r.grid().count(), "tiles");
    }
}
