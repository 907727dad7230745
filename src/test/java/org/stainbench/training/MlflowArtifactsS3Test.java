package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stainbench.support.S3Server;

/** The MLflow artifact proxy suite on a bucket of a real S3 server (s3proxy): the endpoints work unchanged on S3. */
@SpringBootTest(
        properties = {"stainbench.tracking.max-artifact-bytes=64KB", "stainbench.tracking.max-run-artifact-bytes=160KB"
        })
@AutoConfigureMockMvc
@ActiveProfiles("test")
class MlflowArtifactsS3Test extends MlflowArtifactsContract {

    static final String BUCKET = S3Server.get().newBucket();

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        for (String p : S3Server.get().properties(BUCKET)) {
            int eq = p.indexOf('=');
            registry.add(p.substring(0, eq), () -> p.substring(eq + 1));
        }
    }

    @Test
    void theStoreIsTheBucket() {
        assertThat(store.describe()).isEqualTo("s3://" + BUCKET + "/");
    }
}
