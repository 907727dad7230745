package org.stainbench.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stainbench.support.S3Server;

/** The artifact store contract on a bucket of a real S3 API server (s3proxy, filesystem backend). */
class S3ArtifactStoreTest extends ArtifactStoreContract {

    private String bucket;
    private S3ArtifactStore store;

    @Override
    ArtifactStore store() {
        bucket = S3Server.get().newBucket();
        store = new S3ArtifactStore(S3Server.get().client(), bucket, "", S3ArtifactStore.MIN_PART_SIZE);
        return store;
    }

    @Override
    List<String> childArgs(String key, long bytes) {
        return List.of("s3", S3Server.get().endpoint(), bucket, key, Long.toString(bytes));
    }

    @Override
    Map<String, String> childEnv() {
        // the child's store takes its credentials from the environment (the SDK's default chain)
        return Map.of(
                "AWS_ACCESS_KEY_ID",
                S3Server.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY",
                S3Server.SECRET_KEY,
                "AWS_REGION",
                "us-east-1");
    }

    @Test
    void aFailedMultipartUploadIsAborted() throws Exception {
        ArtifactStore s = store();
        byte[] data = random(12 * 1024 * 1024, 9);
        try {
            s.put("x/aborted.bin", failingAfter(data, 11 * 1024 * 1024), -1);
        } catch (java.io.IOException expected) {
            // the stream failed after two parts were uploaded
        }
        assertThat(store.client().listMultipartUploads(b -> b.bucket(bucket)).uploads())
                .isEmpty();
    }

    @Test
    void aKeyPrefixKeepsTheStoreInsideItsPartOfTheBucket() throws Exception {
        store();
        S3ArtifactStore prefixed =
                new S3ArtifactStore(S3Server.get().client(), bucket, "stainbench", S3ArtifactStore.MIN_PART_SIZE);
        prefixed.put("a/b", new byte[] {4, 2});
        assertThat(store.list("")).extracting(ArtifactStore.ArtifactObject::key).containsExactly("stainbench/a/b");
        assertThat(prefixed.list(""))
                .extracting(ArtifactStore.ArtifactObject::key)
                .containsExactly("a/b");
        assertThat(prefixed.describe()).isEqualTo("s3://" + bucket + "/stainbench/");
    }
}
