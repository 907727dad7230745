package org.stainbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.artifacts.LocalArtifactStore;
import org.stainbench.artifacts.S3ArtifactStore;
import org.stainbench.shell.Sha256;
import org.stainbench.support.S3Server;

/**
 * A frozen report's images live on the artifact store under {@code reports/images/<sha256>.jpg}, the same on the local
 * folder and on a bucket of a real S3 API server (s3proxy): written once, read back only while their content still has
 * their hash; an image kept before the store existed is still read from its old folder.
 */
class ReportImagesTest {

    @TempDir
    Path tmp;

    static final byte[] JPEG = {
        (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4, 5, (byte) 0xFF, (byte) 0xD9
    };

    void keepsImagesOn(ArtifactStore store) throws Exception {
        ReportImages images = new ReportImages(store, tmp.resolve("legacy"));
        String sha = images.put(JPEG);
        assertThat(sha).isEqualTo(Sha256.of(JPEG));
        assertThat(store.list("reports/"))
                .extracting(ArtifactStore.ArtifactObject::key)
                .containsExactly("reports/images/" + sha + ".jpg");
        assertThat(images.get(sha)).hasValue(JPEG);
        // the same image kept again: one object
        assertThat(images.put(JPEG.clone())).isEqualTo(sha);
        assertThat(store.list("reports/")).hasSize(1);
        // not a hash, unknown, or altered on the store: nothing
        assertThat(images.get("../../etc/passwd")).isEmpty();
        assertThat(images.get("0".repeat(64))).isEmpty();
        store.put(ReportImages.key(sha), new byte[] {1, 2, 3});
        assertThat(images.get(sha)).isEmpty();
        store.put(ReportImages.key(sha), JPEG);
        assertThat(images.get(sha)).hasValue(JPEG);
    }

    @Test
    void onTheLocalStore() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("artifacts"));
        keepsImagesOn(new LocalArtifactStore(root));
        assertThat(root.resolve("reports/images/" + Sha256.of(JPEG) + ".jpg")).exists();
    }

    @Test
    void onAnS3Bucket() throws Exception {
        String bucket = S3Server.get().newBucket();
        S3ArtifactStore store = new S3ArtifactStore(S3Server.get().client(), bucket, "", S3ArtifactStore.MIN_PART_SIZE);
        keepsImagesOn(store);
        assertThat(S3Server.get()
                        .client()
                        .headObject(b -> b.bucket(bucket).key("reports/images/" + Sha256.of(JPEG) + ".jpg"))
                        .contentLength())
                .isEqualTo(JPEG.length);
    }

    @Test
    void anImageKeptBeforeTheStoreIsReadFromItsOldFolder() throws Exception {
        Path legacy = Files.createDirectories(tmp.resolve("legacy"));
        byte[] old = {9, 8, 7, 6};
        String sha = Sha256.of(old);
        Files.write(legacy.resolve(sha + ".jpg"), old);
        ReportImages images =
                new ReportImages(new LocalArtifactStore(Files.createDirectories(tmp.resolve("a"))), legacy);
        assertThat(images.get(sha)).hasValue(old);
        Files.write(legacy.resolve(sha + ".jpg"), new byte[] {0});
        assertThat(images.get(sha)).isEmpty();
    }
}
