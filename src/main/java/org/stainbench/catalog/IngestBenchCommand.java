package org.stainbench.catalog;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.springframework.util.FileSystemUtils;
import org.stainbench.shell.CliCommand;
import org.stainbench.tiles.Npz;

/**
 * {@code java -jar stainbench.jar ingest-bench ARCHIVE [--threads N]}: the ingest pass of the server (decode,
 * every measure, thumbnails, raw tile file) without the database, timed; prints one JSON line with tiles/s,
 * MB/s of decoded tile bytes and the peak heap in use.
 */
public class IngestBenchCommand implements CliCommand {

    @Override
    public String name() {
        return "ingest-bench";
    }

    @Override
    public String usage() {
        return "ingest-bench ARCHIVE [--threads 2]";
    }

    @Override
    public int run(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: " + usage());
            return 2;
        }
        int threads = args.length >= 3 && args[1].equals("--threads")
                ? Integer.parseInt(args[2])
                : Runtime.getRuntime().availableProcessors();
        Path file = Path.of(args[0]);
        Path out = Files.createTempDirectory("ingest-bench");
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        try {
            long t0 = System.nanoTime();
            IngestPipeline.Result r;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
                r = IngestPipeline.run(in, out, Npz.Limits.DEFAULT, threads, new IngestPipeline.Listener() {});
            }
            double s = (System.nanoTime() - t0) / 1e9;
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            long bytes = (long) r.tiles().size() * r.width() * r.height() * 3;
            long informative =
                    r.tiles().stream().filter(t -> t.measures().informative()).count();
            System.out.println(String.format(
                    Locale.ROOT,
                    "{\"tiles\": %d, \"seconds\": %.3f, \"tiles_per_s\": %.2f, \"mb_per_s\": %.1f, \"informative\": %d, "
                            + "\"threads\": %d, \"peak_heap_mb\": %.1f, \"max_heap_mb\": %.0f, \"layout\": \"%s\"}",
                    r.tiles().size(),
                    s,
                    r.tiles().size() / s,
                    bytes / 1e6 / s,
                    informative,
                    threads,
                    peak / 1e6,
                    Runtime.getRuntime().maxMemory() / 1e6,
                    r.header().layout()));
            return 0;
        } finally {
            FileSystemUtils.deleteRecursively(out);
        }
    }
}
