package org.stainbench.slides;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.stainbench.shell.CliCommand;
import org.stainbench.slides.tiling.FilterSettings;
import org.stainbench.slides.tiling.Regions;

/**
 * {@code java -jar stainbench.jar tile-bench SLIDE OUT.npz [--size 1024] [--threads N] [--no-mask]}: the
 * {@code tile-slide} job's work without the database — open with OpenSlide, tissue mask, read and filter
 * every remaining tile on N threads, write the kept tiles as the lab's archive — timed; prints one JSON line.
 */
public class TileBenchCommand implements CliCommand {

    @Override
    public String name() {
        return "tile-bench";
    }

    @Override
    public String usage() {
        return "tile-bench SLIDE OUT.npz [--size 1024] [--threads N] [--no-mask]";
    }

    @Override
    public int run(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: " + usage());
            return 2;
        }
        int size = 1024;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean mask = true;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--no-mask" -> mask = false;
                default -> {
                    System.err.println("unknown option " + args[i] + "\nusage: " + usage());
                    return 2;
                }
            }
        }
        Path out = Path.of(args[1]).toAbsolutePath();
        long t0 = System.nanoTime();
        SlideTiler.Result r;
        try (OpenSlide slide = OpenSlide.open(Path.of(args[0]));
                TileSpool spool = new TileSpool(out.getParent(), size, size)) {
            r = SlideTiler.run(
                    slide,
                    new SlideTiler.Options(
                            0,
                            null,
                            size,
                            0,
                            FilterSettings.LAB,
                            mask ? SlideTiler.Options.DEFAULT_MASK_MIN_TISSUE : -1,
                            new Regions(List.of()),
                            false,
                            threads),
                    spool,
                    (d, n) -> {},
                    () -> false);
            List<SlideTiler.Tile> kept = r.kept();
            TileSlideJob.writeArchive(out, kept, spool, size, false, SlideLabel.DEFAULT.code());
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.println(String.format(
                Locale.ROOT,
                "{\"tiles\": %d, \"read\": %d, \"kept\": %d, \"mask_level\": %d, \"threads\": %d, \"seconds\": %.3f, \"tiles_per_s\": %.2f, \"archive_bytes\": %d}",
                r.tiles().size(),
                r.read(),
                r.kept().size(),
                r.maskLevel(),
                threads,
                s,
                r.tiles().size() / s,
                Files.size(out)));
        return 0;
    }
}
