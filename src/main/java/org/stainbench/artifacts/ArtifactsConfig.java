package org.stainbench.artifacts;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's {@link ArtifactStore} and {@link ArtifactCache}, chosen by {@code stainbench.artifacts.store}.
 * On S3 the store bean invalidates the cache's entries of every key it writes or deletes.
 */
@Configuration(proxyBeanMethods = false)
class ArtifactsConfig {

    private static final Logger log = LoggerFactory.getLogger(ArtifactsConfig.class);

    @Bean
    ArtifactCache artifactCache(ArtifactsProperties props) throws IOException {
        ArtifactStore raw = open(props);
        log.info("Artifact store: {}", raw.describe());
        return new ArtifactCache(raw, props.cacheDir(), props.cache().maxSize().toBytes());
    }

    @Bean
    ArtifactStore artifactStore(ArtifactCache cache) {
        return cache.store() instanceof LocalArtifactStore local ? local : new InvalidatingStore(cache.store(), cache);
    }

    /** The store the settings name (also used by the jar's commands, outside Spring). */
    static ArtifactStore open(ArtifactsProperties props) {
        if (props.store() == ArtifactsProperties.Kind.S3) {
            ArtifactsProperties.S3 s3 = props.s3();
            return new S3ArtifactStore(
                    S3ArtifactStore.client(s3.endpoint(), s3.region(), s3.pathStyle(), null),
                    s3.bucket(),
                    s3.prefix(),
                    Math.toIntExact(s3.partSize().toBytes()));
        }
        return new LocalArtifactStore(props.root());
    }
}
