package org.stainbench.jobs;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.stainbench.support.OnS3Bucket;

/** Job outputs on a bucket of a real S3 server (s3proxy); the context shared by the consumers' S3 tests. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@ContextConfiguration(initializers = OnS3Bucket.class)
class JobOutputsS3Test extends JobOutputsContract {

    @Override
    boolean local() {
        return false;
    }
}
