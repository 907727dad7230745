package org.stainbench.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stainbench.support.S3Server;

/**
 * {@code migrate-artifacts}: a local artifact folder (the layout the application writes: catalog archives and
 * thumbnails, MLflow run artifacts, report images, a large archive that needs a multipart upload) into a bucket of a
 * real S3 server, verified object by object; a second run copies nothing; a run after a partial or damaged copy
 * copies only what is missing or different.
 */
class MigrateArtifactsCommandTest {

    @TempDir
    Path tmp;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private Path demoFolder() throws Exception {
        Path root = tmp.resolve("artifacts");
        Map<String, byte[]> files = new HashMap<>();
        files.put("catalog/uploads/3f2a.npz", random(9 * 1024 * 1024 + 5, 1)); // larger than one part
        files.put("catalog/archives/12/thumbs/0.png", random(2100, 2));
        files.put("catalog/archives/12/thumbs/1.png", random(2200, 3));
        files.put("mlflow/1/0123abcd/artifacts/samples/epoch1.png", random(4000, 4));
        files.put("mlflow/1/0123abcd/artifacts/notes.txt", "loss 0.31".getBytes(StandardCharsets.UTF_8));
        files.put("reports/7/gallery-1.png", random(3000, 5));
        files.put("empty.txt", new byte[0]);
        for (var e : files.entrySet()) {
            Path f = root.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
        // a half-written upload of the application is no object and is not copied
        Files.write(root.resolve("catalog/uploads/.upload-123.part"), new byte[10]);
        return root;
    }

    private record Run(int exit, String out) {}

    private Run migrate(Path from, String bucket, String... more) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var cmd = new MigrateArtifactsCommand(
                Map.of(
                        "STAINBENCH_ARTIFACTS_S3_ENDPOINT",
                        S3Server.get().endpoint(),
                        "STAINBENCH_ARTIFACTS_S3_PATH_STYLE",
                        "true"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        List<String> args =
                new java.util.ArrayList<>(List.of("--from", from.toString(), "--to", "s3", "--bucket", bucket));
        args.addAll(List.of(more));
        int exit = cmd.run(args.toArray(String[]::new));
        return new Run(exit, buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void copiesVerifiesAndResumes() throws Exception {
        Path from = demoFolder();
        String bucket = "sb-migrate-" + Long.toHexString(System.nanoTime());
        LocalArtifactStore local = new LocalArtifactStore(from);
        S3ArtifactStore s3 = new S3ArtifactStore(S3Server.get().client(), bucket, "", S3ArtifactStore.MIN_PART_SIZE);

        Run first = migrate(from, bucket, "--create-bucket", "--threads", "3");
        assertThat(first.exit()).as(first.out()).isZero();
        assertThat(first.out()).contains("7 copied, 0 already there (same SHA-256), 0 failed");
        // the same objects, the same bytes
        assertThat(s3.list("")).isEqualTo(local.list(""));
        for (var o : local.list("")) {
            assertThat(Hashes.of(s3.get(o.key()))).as(o.key()).isEqualTo(Hashes.of(local.get(o.key())));
        }
        // a tile range of the archive reads the same from the bucket as from the folder
        try (InputStream a = s3.getRange("catalog/uploads/3f2a.npz", 5_000_000, 49_152);
                InputStream b = local.getRange("catalog/uploads/3f2a.npz", 5_000_000, 49_152)) {
            assertThat(a.readAllBytes()).isEqualTo(b.readAllBytes());
        }

        Run again = migrate(from, bucket);
        assertThat(again.out()).contains("0 copied, 7 already there (same SHA-256), 0 failed");

        // interrupted / damaged: one object missing, one different, one new file in the folder
        s3.delete("reports/7/gallery-1.png");
        s3.put("catalog/archives/12/thumbs/0.png", random(2100, 99));
        Files.write(from.resolve("catalog/archives/12/thumbs/2.png"), random(10, 6));
        Run resumed = migrate(from, bucket);
        assertThat(resumed.exit()).isZero();
        assertThat(resumed.out()).contains("3 copied, 5 already there (same SHA-256), 0 failed");
        assertThat(s3.readAllBytes("catalog/archives/12/thumbs/0.png"))
                .isEqualTo(Files.readAllBytes(from.resolve("catalog/archives/12/thumbs/0.png")));
        assertThat(s3.list("")).isEqualTo(local.list(""));
    }

    @Test
    void badArgumentsChangeNothing() throws Exception {
        assertThat(migrate(tmp.resolve("no-such-folder"), "x").exit()).isEqualTo(2);
        var cmd = new MigrateArtifactsCommand(Map.of(), new PrintStream(new ByteArrayOutputStream()));
        assertThat(cmd.run(new String[] {"--from", tmp.toString(), "--to", "gcs", "--bucket", "b"}))
                .isEqualTo(2);
        assertThat(cmd.run(new String[] {"--from", tmp.toString(), "--to", "s3"}))
                .isEqualTo(2);
        assertThat(cmd.run(new String[] {"--from", tmp.toString(), "--to", "s3", "--bucket", "b", "--threads", "0"}))
                .isEqualTo(2);
    }
}
