package org.stainbench.slides;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.stainbench.slides.tiling.ColourCast;
import org.stainbench.slides.tiling.FilterSettings;
import org.stainbench.slides.tiling.Regions;
import org.stainbench.slides.tiling.TileGrid;
import org.stainbench.tiles.RgbTile;
import org.stainbench.tiles.TileMeasures;

/**
 * Cuts one slide into tiles: plans the grid on the chosen level, reads a low-resolution tissue mask first
 * (a coarser pyramid level, read whole) so that tiles over background are never read at full resolution,
 * then reads the remaining tiles on several threads, measures them with {@link TileMeasures} (and
 * {@link ColourCast}), and spools the kept ones.
 */
final class SlideTiler {

    /**
     * @param level         pyramid level to tile, or -1 to choose it by {@code magnification}
     * @param magnification target objective magnification (needs the slide's objective power), when level is -1
     * @param maskMinTissue a tile is read only when at least this fraction of its mask pixels is tissue
     *                      ({@link TileMeasures#tissueFraction()} on the low-resolution crop); negative: no mask
     * @param regions       annotations (may be empty)
     * @param excludeOutside drop tiles covered by no polygon (never read)
     */
    record Options(
            int level,
            Double magnification,
            int size,
            int overlap,
            FilterSettings filter,
            double maskMinTissue,
            Regions regions,
            boolean excludeOutside,
            int threads) {

        static final double DEFAULT_MASK_MIN_TISSUE = 0.01;
        /** Mask pixels per tile side at least (the coarsest level giving this many is used). */
        static final int MASK_PIXELS_PER_TILE = 16;

        static final long MAX_MASK_PIXELS = 64L << 20;
    }

    /** Outcome for one grid position. x/y are level-0 coordinates; measures null when never read. */
    record Tile(
            int index,
            long x,
            long y,
            boolean read,
            TileMeasures measures,
            double colourCast,
            Regions.Coverage coverage,
            boolean kept,
            int slot) {}

    record Result(int level, double downsample, TileGrid grid, int maskLevel, List<Tile> tiles) {

        List<Tile> kept() {
            return tiles.stream().filter(Tile::kept).toList();
        }

        long read() {
            return tiles.stream().filter(Tile::read).count();
        }
    }

    interface Progress {
        void update(long done, long total);
    }

    private SlideTiler() {}

    static int chooseLevel(OpenSlide slide, Options o) {
        if (o.level() >= 0) {
            slide.level(o.level());
            return o.level();
        }
        if (o.magnification() == null) {
            return 0;
        }
        Double power = slide.objectivePower();
        if (power == null) {
            throw new IllegalArgumentException(
                    "The slide does not say its objective power: choose a level instead of a magnification.");
        }
        List<String> mags = new ArrayList<>();
        for (int i = 0; i < slide.levels().size(); i++) {
            double m = power / slide.levels().get(i).downsample();
            if (Math.abs(m - o.magnification()) <= 0.02 * o.magnification()) {
                return i;
            }
            mags.add(String.format(java.util.Locale.ROOT, "%.3g×", m));
        }
        throw new IllegalArgumentException(
                "No level at " + o.magnification() + "×: the slide's levels are at " + String.join(", ", mags) + ".");
    }

    static Result run(OpenSlide slide, Options o, TileSpool spool, Progress progress, BooleanSupplier cancelled)
            throws InterruptedException {
        int level = chooseLevel(slide, o);
        OpenSlide.Level lv = slide.level(level);
        double d = lv.downsample();
        TileGrid grid = TileGrid.of(lv.width(), lv.height(), o.size(), o.overlap());
        int n = grid.count();
        int maskLevel = -1;
        RgbTile mask = null;
        double maskDown = 1;
        if (o.maskMinTissue() >= 0 && n > 0) {
            maskLevel = maskLevel(slide, level, o.size());
            if (maskLevel >= 0) {
                mask = readLevel(slide, maskLevel);
                maskDown = slide.level(maskLevel).downsample();
            }
        }
        Tile[] out = new Tile[n];
        List<Integer> toRead = new ArrayList<>();
        double span = o.size() * d;
        for (int i = 0; i < n; i++) {
            long x = Math.round(grid.x(i) * d);
            long y = Math.round(grid.y(i) * d);
            Regions.Coverage cov =
                    o.regions().isEmpty() ? Regions.Coverage.NONE : o.regions().coverage(x, y, span, span);
            boolean skip = o.excludeOutside() && !o.regions().isEmpty() && cov.coveredFraction() <= 0;
            if (!skip && mask != null) {
                skip = tissue(mask, x / maskDown, y / maskDown, span / maskDown) < o.maskMinTissue();
            }
            out[i] = new Tile(i, x, y, false, null, 0, cov, false, -1);
            if (!skip) {
                toRead.add(i);
            }
        }
        AtomicLong done = new AtomicLong(n - toRead.size());
        progress.update(done.get(), n);
        int threads = Math.max(1, o.threads());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "slide-tiler");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i : toRead) {
                futures.add(pool.submit(() -> {
                    if (cancelled.getAsBoolean()) {
                        return;
                    }
                    Tile t = out[i];
                    RgbTile px = slide.readRegion(t.x(), t.y(), level, o.size(), o.size());
                    TileMeasures m = TileMeasures.of(px);
                    double cast = o.filter().colourCast() ? ColourCast.fraction(px) : 0;
                    boolean keep = o.filter().keeps(m, cast);
                    int slot = keep ? spool.put(px) : -1;
                    out[i] = new Tile(i, t.x(), t.y(), true, m, cast, t.coverage(), keep, slot);
                    progress.update(done.incrementAndGet(), n);
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(c.getMessage(), c);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(level, d, grid, maskLevel, List.of(out));
    }

    /** The coarsest level finer than MASK_PIXELS_PER_TILE per tile side, coarser than the tiling level. */
    static int maskLevel(OpenSlide slide, int level, int size) {
        double d = slide.level(level).downsample();
        int best = -1;
        for (int i = level + 1; i < slide.levels().size(); i++) {
            OpenSlide.Level l = slide.levels().get(i);
            if (size * d / l.downsample() >= Options.MASK_PIXELS_PER_TILE
                    && l.width() * l.height() <= Options.MAX_MASK_PIXELS) {
                best = i;
            }
        }
        return best;
    }

    /** A whole level, read in strips. */
    static RgbTile readLevel(OpenSlide slide, int level) {
        OpenSlide.Level l = slide.level(level);
        int w = (int) l.width();
        int h = (int) l.height();
        byte[] rgb = new byte[w * h * 3];
        int strip = Math.max(1, (4 << 20) / w);
        for (int y = 0; y < h; y += strip) {
            int sh = Math.min(strip, h - y);
            RgbTile part = slide.readRegion(0, Math.round(y * l.downsample()), level, w, sh);
            System.arraycopy(part.rgb(), 0, rgb, y * w * 3, part.rgb().length);
        }
        return new RgbTile(w, h, rgb);
    }

    /** Tissue fraction of the mask pixels under a tile (mask coordinates, covering every touched pixel). */
    static double tissue(RgbTile mask, double x, double y, double span) {
        int x0 = (int) Math.max(0, Math.floor(x));
        int y0 = (int) Math.max(0, Math.floor(y));
        int x1 = (int) Math.min(mask.width(), Math.ceil(x + span));
        int y1 = (int) Math.min(mask.height(), Math.ceil(y + span));
        if (x1 <= x0 || y1 <= y0) {
            return 0;
        }
        int w = x1 - x0;
        byte[] crop = new byte[w * (y1 - y0) * 3];
        for (int row = y0; row < y1; row++) {
            System.arraycopy(mask.rgb(), (row * mask.width() + x0) * 3, crop, (row - y0) * w * 3, w * 3);
        }
        return TileMeasures.of(new RgbTile(w, y1 - y0, crop)).tissueFraction();
    }
}
