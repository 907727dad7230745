package org.stainbench.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3-compatible bucket (AWS S3, MinIO, Ceph RGW) as an {@link ArtifactStore}, through the AWS SDK for Java v2.
 * Key {@code k} is the object {@code <prefix>k} of the bucket. A put reads the stream one part at a time (at most
 * {@code partSize} bytes in memory): a stream that fits one part is one {@code PutObject}, a longer one a multipart
 * upload that is aborted when anything fails, so a failed upload leaves no object (S3 makes an object visible only
 * when its upload completes). Range reads are HTTP {@code Range} requests. Credentials come from the AWS SDK's
 * default chain (environment {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}, system properties, profile
 * files, container or instance roles).
 */
public final class S3ArtifactStore implements ArtifactStore, AutoCloseable {

    /** Smallest part S3 accepts (except the last). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int partSize;

    public S3ArtifactStore(S3Client s3, String bucket, String prefix, int partSize) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("stainbench.artifacts.s3.bucket must be set for the S3 artifact store.");
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException(
                    "stainbench.artifacts.s3.part-size must be at least 5MB (S3's minimum).");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null || prefix.isEmpty() ? "" : (prefix.endsWith("/") ? prefix : prefix + "/");
        this.partSize = partSize;
    }

    /** A client for an endpoint (empty: AWS itself), with the default credentials chain unless one is given. */
    public static S3Client client(
            String endpoint, String region, boolean pathStyle, AwsCredentialsProvider credentials) {
        var b = S3Client.builder()
                .region(Region.of(region == null || region.isBlank() ? "us-east-1" : region))
                .credentialsProvider(
                        credentials != null
                                ? credentials
                                : DefaultCredentialsProvider.builder().build())
                .forcePathStyle(pathStyle)
                // S3-compatible servers differ in their support of the newer default checksums: ask only when needed
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (endpoint != null && !endpoint.isBlank()) {
            b.endpointOverride(URI.create(endpoint));
        }
        return b.build();
    }

    public S3Client client() {
        return s3;
    }

    public String bucket() {
        return bucket;
    }

    private String objectKey(String key) {
        return prefix + ArtifactKeys.check(key);
    }

    /** Creates the bucket when it does not exist yet (tests, {@code migrate-artifacts --create-bucket}). */
    public void createBucketIfMissing() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    @Override
    public long put(String key, InputStream in, long length) throws IOException {
        String k = objectKey(key);
        byte[] buf = new byte[partSize];
        int n = in.readNBytes(buf, 0, partSize);
        int next = n == partSize ? in.read() : -1;
        try {
            if (next < 0) {
                if (length >= 0 && n != length) {
                    throw ArtifactStore.lengthMismatch(key, length, n);
                }
                s3.putObject(
                        b -> b.bucket(bucket).key(k).contentLength((long) n),
                        RequestBody.fromInputStream(new ByteArrayInputStream(buf, 0, n), n));
                return n;
            }
        } catch (SdkException e) {
            throw new IOException("S3 upload of '" + key + "' failed: " + e.getMessage(), e);
        }
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(k)).uploadId();
        } catch (SdkException e) {
            throw new IOException("S3 upload of '" + key + "' failed: " + e.getMessage(), e);
        }
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int len = n;
            int partNumber = 1;
            while (true) {
                int pn = partNumber;
                int l = len;
                String etag = s3.uploadPart(
                                b -> b.bucket(bucket)
                                        .key(k)
                                        .uploadId(uploadId)
                                        .partNumber(pn)
                                        .contentLength((long) l),
                                RequestBody.fromInputStream(new ByteArrayInputStream(buf, 0, l), l))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(pn).eTag(etag).build());
                total += l;
                if (next < 0) {
                    break;
                }
                if (partNumber == 10_000) {
                    throw new IOException(
                            "'" + key + "' is larger than 10000 parts of stainbench.artifacts.s3.part-size.");
                }
                buf[0] = (byte) next;
                len = 1 + in.readNBytes(buf, 1, partSize - 1);
                next = len == partSize ? in.read() : -1;
                partNumber++;
            }
            if (length >= 0 && total != length) {
                throw ArtifactStore.lengthMismatch(key, length, total);
            }
            s3.completeMultipartUpload(
                    b -> b.bucket(bucket).key(k).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            return total;
        } catch (IOException | RuntimeException | Error e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(k).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            if (e instanceof SdkException sdk) {
                throw new IOException("S3 upload of '" + key + "' failed: " + sdk.getMessage(), sdk);
            }
            throw e;
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(objectKey(key)));
        } catch (NoSuchKeyException e) {
            throw ArtifactStore.missing(key);
        } catch (SdkException e) {
            throw new IOException("S3 read of '" + key + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream getRange(String key, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative");
        }
        if (length == 0) {
            if (!exists(key)) {
                throw ArtifactStore.missing(key);
            }
            return InputStream.nullInputStream();
        }
        try {
            return s3.getObject(
                    b -> b.bucket(bucket).key(objectKey(key)).range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (NoSuchKeyException e) {
            throw ArtifactStore.missing(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                return InputStream.nullInputStream();
            }
            throw new IOException("S3 range read of '" + key + "' failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 range read of '" + key + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public OptionalLong size(String key) throws IOException {
        try {
            return OptionalLong.of(
                    s3.headObject(b -> b.bucket(bucket).key(objectKey(key))).contentLength());
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return OptionalLong.empty();
            }
            throw new IOException("S3 HEAD of '" + key + "' failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 HEAD of '" + key + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<ArtifactObject> list(String listPrefix) throws IOException {
        String p = prefix + ArtifactKeys.checkPrefix(listPrefix);
        List<ArtifactObject> out = new ArrayList<>();
        try {
            for (S3Object o :
                    s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(p)).contents()) {
                if (o.key().endsWith("/")) {
                    continue; // a folder marker (some servers list them), never an artifact key
                }
                out.add(new ArtifactObject(o.key().substring(prefix.length()), o.size()));
            }
        } catch (SdkException e) {
            throw new IOException("S3 list of '" + listPrefix + "' failed: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(ArtifactObject::key));
        return out;
    }

    @Override
    public boolean delete(String key) throws IOException {
        if (!exists(key)) {
            return false;
        }
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey(key)));
            return true;
        } catch (SdkException e) {
            throw new IOException("S3 delete of '" + key + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void copy(String fromKey, String toKey) throws IOException {
        long size = size(fromKey).orElseThrow(() -> ArtifactStore.missing(fromKey));
        if (size > 5L * 1024 * 1024 * 1024) { // larger than one CopyObject may copy: stream it through
            try (InputStream in = get(fromKey)) {
                put(toKey, in, size);
            }
            return;
        }
        try {
            s3.copyObject(b -> b.sourceBucket(bucket)
                    .sourceKey(objectKey(fromKey))
                    .destinationBucket(bucket)
                    .destinationKey(objectKey(toKey)));
        } catch (SdkException e) {
            throw new IOException("S3 copy of '" + fromKey + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public void close() {
        s3.close();
    }
}
