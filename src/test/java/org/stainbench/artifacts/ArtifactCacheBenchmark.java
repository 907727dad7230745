package org.stainbench.artifacts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.stainbench.support.S3Server;

/**
 * Benchmark (run by {@code src/bench/artifact-cache.sh}, not by the suite): what a gallery page costs in artifact
 * reads on S3 — 72 thumbnails (6 rows × 12 checkpoints, 3 KB PNG each) and 72 tile ranges (128×128×3 bytes out of
 * a 2,000-tile archive) — read from a bucket of s3proxy on loopback, cold (every read a GET / range GET) and warm
 * (through the {@link ArtifactCache}). Median and p95 of 50 rounds each. Writes {@code target/bench/artifact-cache.md}.
 */
class ArtifactCacheBenchmark {

    static final int TILE = 128 * 128 * 3;
    static final int TILES = 2000;
    static final int PER_PAGE = 72;

    @Test
    void galleryReadsOnS3ColdAndWarm() throws Exception {
        S3Server server = S3Server.get();
        String bucket = server.newBucket();
        S3ArtifactStore s3 = new S3ArtifactStore(server.client(), bucket, "", 8 * 1024 * 1024);
        SplittableRandom r = new SplittableRandom(6);
        byte[] archive = new byte[TILE * TILES];
        r.nextBytes(archive);
        s3.put("catalog/archives/1/ihc_X.npy", archive);
        for (int i = 0; i < PER_PAGE; i++) {
            byte[] png = new byte[3000];
            r.nextBytes(png);
            s3.put("catalog/archives/1/thumbs/" + i + ".png", png);
        }
        Path dir = Files.createTempDirectory("bench-cache");
        ArtifactCache cache = new ArtifactCache(s3, dir, 256L * 1024 * 1024);
        int[] tiles = r.ints(PER_PAGE, 0, TILES).toArray();

        int rounds = 50;
        double[] cold = new double[rounds];
        double[] warm = new double[rounds];
        page(s3, null, tiles); // JIT and connection warm-up
        page(s3, cache, tiles);
        for (int i = 0; i < rounds; i++) {
            cold[i] = page(s3, null, tiles);
            warm[i] = page(s3, cache, tiles);
        }
        String md =
                "| reads of one gallery page (72 thumbnails + 72 tile ranges), s3proxy on loopback | median ms | p95 ms |\n"
                        + "|---|---|---|\n"
                        + "| cold: every read a GET / range GET to the bucket | " + fmt(pct(cold, 50)) + " | "
                        + fmt(pct(cold, 95)) + " |\n"
                        + "| warm: through the local disk cache | " + fmt(pct(warm, 50)) + " | " + fmt(pct(warm, 95))
                        + " |\n"
                        + "\n" + Runtime.getRuntime().availableProcessors() + " CPUs; " + rounds
                        + " rounds each, interleaved.\n";
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/artifact-cache.md"), md);
        System.out.println(md);
    }

    private static double page(S3ArtifactStore s3, ArtifactCache cache, int[] tiles) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < PER_PAGE; i++) {
            String thumb = "catalog/archives/1/thumbs/" + i + ".png";
            if (cache == null) {
                s3.readAllBytes(thumb);
                try (var in = s3.getRange("catalog/archives/1/ihc_X.npy", (long) tiles[i] * TILE, TILE)) {
                    in.readAllBytes();
                }
            } else {
                cache.read(thumb);
                cache.readRange("catalog/archives/1/ihc_X.npy", (long) tiles[i] * TILE, TILE);
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private static String fmt(double ms) {
        return String.format(java.util.Locale.ROOT, "%.1f", ms);
    }
}
