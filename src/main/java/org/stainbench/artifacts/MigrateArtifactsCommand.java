package org.stainbench.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.stainbench.shell.CliCommand;

/**
 * {@code java -jar stainbench.jar migrate-artifacts --from <folder> --to s3 [options]}: copies every object of a
 * local artifact folder ({@code stainbench.artifacts.root}) into a bucket under the same keys, streamed, and checks
 * each object's SHA-256 by reading it back from the bucket. Resumable: an object already in the bucket with the same
 * SHA-256 is skipped, so a run stopped half way is simply started again. An object whose copy does not verify is
 * deleted from the bucket and reported; the exit code is then 1.
 * <p>
 * The bucket comes from options or from the same environment variables the application reads
 * ({@code STAINBENCH_ARTIFACTS_S3_ENDPOINT}, {@code _BUCKET}, {@code _REGION}, {@code _PATH_STYLE}, {@code _PREFIX});
 * credentials from the AWS SDK's default chain ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, …).
 */
public final class MigrateArtifactsCommand implements CliCommand {

    private final Map<String, String> env;
    private final PrintStream out;

    public MigrateArtifactsCommand() {
        this(System.getenv(), System.out);
    }

    /** For tests: the environment and output to use. */
    public MigrateArtifactsCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    @Override
    public String name() {
        return "migrate-artifacts";
    }

    @Override
    public String usage() {
        return "--from <artifact folder> --to s3 [--endpoint URL] [--bucket NAME] [--region R] [--path-style] "
                + "[--prefix P] [--threads N] [--create-bucket]: copy a local artifact folder into a bucket, "
                + "verifying each object's SHA-256 (resumable)";
    }

    /** What one run did. */
    record Summary(long copied, long skipped, long failed, long bytes) {}

    @Override
    public int run(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--path-style") || a.equals("--create-bucket")) {
                opts.put(a, "true");
            } else if (a.startsWith("--") && i + 1 < args.length) {
                opts.put(a, args[++i]);
            } else {
                System.err.println("Unknown argument '" + a + "'. Usage: migrate-artifacts " + usage());
                return 2;
            }
        }
        String from = opts.get("--from");
        if (from == null || !Files.isDirectory(Path.of(from))) {
            System.err.println("--from must name the local artifact folder (stainbench.artifacts.root); '" + from
                    + "' is no folder.");
            return 2;
        }
        if (!"s3".equals(opts.get("--to"))) {
            System.err.println("--to must be 's3' (the bucket named by --bucket or STAINBENCH_ARTIFACTS_S3_BUCKET).");
            return 2;
        }
        String bucket = opt(opts, "--bucket", "STAINBENCH_ARTIFACTS_S3_BUCKET", "");
        if (bucket.isBlank()) {
            System.err.println("--bucket (or STAINBENCH_ARTIFACTS_S3_BUCKET) must name the bucket.");
            return 2;
        }
        int threads;
        try {
            threads = Integer.parseInt(opts.getOrDefault("--threads", "4"));
            if (threads < 1 || threads > 64) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            System.err.println("--threads must be a number from 1 to 64.");
            return 2;
        }
        boolean pathStyle =
                Boolean.parseBoolean(opt(opts, "--path-style", "STAINBENCH_ARTIFACTS_S3_PATH_STYLE", "false"));
        try (S3ArtifactStore target = new S3ArtifactStore(
                S3ArtifactStore.client(
                        opt(opts, "--endpoint", "STAINBENCH_ARTIFACTS_S3_ENDPOINT", ""),
                        opt(opts, "--region", "STAINBENCH_ARTIFACTS_S3_REGION", "us-east-1"),
                        pathStyle,
                        null),
                bucket,
                opt(opts, "--prefix", "STAINBENCH_ARTIFACTS_S3_PREFIX", ""),
                8 * 1024 * 1024)) {
            if (opts.containsKey("--create-bucket")) {
                target.createBucketIfMissing();
            }
            Summary s = migrate(new LocalArtifactStore(Path.of(from)), target, threads);
            out.printf(
                    "migrate-artifacts: %d copied, %d already there (same SHA-256), %d failed; %d bytes copied "
                            + "into %s%n",
                    s.copied(), s.skipped(), s.failed(), s.bytes(), target.describe());
            return s.failed() == 0 ? 0 : 1;
        }
    }

    private String opt(Map<String, String> opts, String name, String envName, String dflt) {
        String v = opts.get(name);
        if (v == null) {
            v = env.get(envName);
        }
        return v == null ? dflt : v;
    }

    /** Copies every object of {@code from} into {@code to} (same keys), verified, skipping those already there. */
    Summary migrate(ArtifactStore from, ArtifactStore to, int threads) throws Exception {
        List<ArtifactStore.ArtifactObject> objects = from.list("");
        AtomicLong copied = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (ArtifactStore.ArtifactObject o : objects) {
                work.add(pool.submit(() -> {
                    try {
                        switch (copyOne(from, to, o)) {
                            case COPIED -> {
                                copied.incrementAndGet();
                                bytes.addAndGet(o.size());
                            }
                            case SKIPPED -> skipped.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        System.err.println("migrate-artifacts: " + o.key() + ": " + e.getMessage());
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return new Summary(copied.get(), skipped.get(), failed.get(), bytes.get());
    }

    private enum Outcome {
        COPIED,
        SKIPPED
    }

    private static Outcome copyOne(ArtifactStore from, ArtifactStore to, ArtifactStore.ArtifactObject o)
            throws IOException {
        String sha = Hashes.of(from.get(o.key()));
        OptionalLong there = to.size(o.key());
        if (there.isPresent() && there.getAsLong() == o.size() && sha.equals(Hashes.of(to.get(o.key())))) {
            return Outcome.SKIPPED;
        }
        try (InputStream in = from.get(o.key())) {
            to.put(o.key(), in, o.size());
        }
        String copied = Hashes.of(to.get(o.key()));
        if (!copied.equals(sha)) {
            to.delete(o.key());
            throw new IOException("SHA-256 in the bucket " + copied + " differs from the source's " + sha
                    + " (the object was deleted again; run the command once more)");
        }
        return Outcome.COPIED;
    }
}
