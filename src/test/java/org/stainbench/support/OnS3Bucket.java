package org.stainbench.support;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts a test application context's artifact store on a bucket of the test JVM's real S3 server ({@link S3Server}):
 * {@code @ContextConfiguration(initializers = OnS3Bucket.class)} beside {@code @SpringBootTest}. Every test class
 * that adds exactly this to the suite's usual annotations shares one cached context and one bucket, so the S3 halves
 * of the consumers' artifact tests cost one application start together.
 */
public class OnS3Bucket implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static String bucket;

    /** The bucket of these contexts (made on first use). */
    public static synchronized String bucket() {
        if (bucket == null) {
            bucket = S3Server.get().newBucket();
        }
        return bucket;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String p : S3Server.get().properties(bucket())) {
            int eq = p.indexOf('=');
            props.put(p.substring(0, eq), p.substring(eq + 1));
        }
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("stainbench-test-s3", props));
    }
}
