package org.stainbench.checkpoints;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.stainbench.support.OnS3Bucket;

/** Checkpoint adapters on a bucket of a real S3 server (s3proxy); the context shared by the consumers' S3 tests. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@ContextConfiguration(initializers = OnS3Bucket.class)
class AdapterFilesS3Test extends AdapterFilesContract {

    @Override
    boolean local() {
        return false;
    }
}
