package org.stainbench.galleries;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stainbench.support.S3Server;

/**
 * The gallery benchmark with the application on S3 (run by {@code MODE=s3 src/bench/gallery.sh}, beside the local
 * run): a bucket of s3proxy on loopback, started in the benchmark's JVM (filesystem backend), with the artifact cache
 * in front; the gallery page with its thumbnails is measured warm (cache hot) and cold (cache emptied).
 */
class GalleryS3Benchmark extends GalleryBenchmark {

    static final String BUCKET = S3Server.get().newBucket();

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        for (String p : S3Server.get().properties(BUCKET)) {
            int eq = p.indexOf('=');
            registry.add(p.substring(0, eq), () -> p.substring(eq + 1));
        }
    }

    @Override
    String store() {
        return "s3";
    }
}
