package org.stainbench.artifacts;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code stainbench.artifacts.*}: where the bytes live.
 *
 * @param root  the local artifact folder (the local store; default {@code ${stainbench.data-dir}/artifacts})
 * @param store {@code local} (default: the folder, as before) or {@code s3} (a bucket)
 * @param s3    the bucket ({@code stainbench.artifacts.s3.*}); credentials come from the environment
 * @param cache the local disk cache in front of a bucket ({@code stainbench.artifacts.cache.*})
 */
@ConfigurationProperties("stainbench.artifacts")
public record ArtifactsProperties(
        Path root, @DefaultValue("local") Kind store, @DefaultValue S3 s3, @DefaultValue Cache cache) {

    /** Which store. */
    public enum Kind {
        LOCAL,
        S3
    }

    /**
     * @param endpoint  the S3 API's URL, e.g. {@code http://minio:9000}; empty for AWS S3 itself
     * @param bucket    the bucket (must exist)
     * @param region    the region (MinIO and Ceph accept any; default {@code us-east-1})
     * @param pathStyle {@code true} for path-style URLs ({@code endpoint/bucket/key}: MinIO, Ceph, s3proxy),
     *                  {@code false} for virtual-hosted ones ({@code bucket.endpoint/key}: AWS)
     * @param prefix    a key prefix inside the bucket (e.g. {@code stainbench/}), empty for none
     * @param partSize  bytes per multipart part, and the most one upload holds in memory (at least 5MB)
     */
    public record S3(
            @DefaultValue("") String endpoint,
            @DefaultValue("") String bucket,
            @DefaultValue("us-east-1") String region,
            @DefaultValue("false") boolean pathStyle,
            @DefaultValue("") String prefix,
            @DefaultValue("8MB") DataSize partSize) {}

    /**
     * @param dir     the cache folder (default: {@code artifact-cache} beside the artifact folder)
     * @param maxSize the most bytes it holds; least recently used entries go first
     */
    public record Cache(Path dir, @DefaultValue("2GB") DataSize maxSize) {}

    /** The cache folder, defaulted. */
    public Path cacheDir() {
        return cache.dir() != null
                ? cache.dir()
                : root.toAbsolutePath().normalize().resolveSibling("artifact-cache");
    }
}
