package org.stainbench.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.stainbench.artifacts.S3ArtifactStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for tests: s3proxy (the S3 protocol, signatures V2/V4, multipart, ranges) over jclouds'
 * filesystem blob store in a temporary folder, started once per test JVM on a random loopback port. Tests take a
 * fresh bucket each ({@link #newBucket}).
 */
public final class S3Server {

    public static final String ACCESS_KEY = "stainbench-test-access";
    public static final String SECRET_KEY = "stainbench-test-secret-4471";

    private static S3Server instance;

    private final S3Proxy proxy;
    private final String endpoint;
    private final Path folder;

    private S3Server() throws Exception {
        folder = Files.createTempDirectory("stainbench-s3-");
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", folder.toString());
        BlobStoreContext ctx = ContextBuilder.newBuilder("filesystem")
                .overrides(p)
                .credentials("identity", "credential")
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(ctx.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        Waits.upTo(java.time.Duration.ofSeconds(30), "s3proxy started").until(() -> "STARTED".equals(proxy.getState()));
        // the application's S3 store takes its credentials from the AWS SDK's default chain: in this JVM, the
        // system properties (a deployment sets AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY instead)
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        endpoint = "http://127.0.0.1:" + proxy.getPort();
    }

    /** The server of this JVM, started on first use. */
    public static synchronized S3Server get() {
        if (instance == null) {
            try {
                instance = new S3Server();
            } catch (Exception e) {
                throw new IllegalStateException("s3proxy did not start", e);
            }
        }
        return instance;
    }

    public String endpoint() {
        return endpoint;
    }

    /** The folder under which the filesystem backend keeps the buckets. */
    public Path folder() {
        return folder;
    }

    /** A client with the test credentials (path-style). */
    public S3Client client() {
        return S3ArtifactStore.client(
                endpoint,
                "us-east-1",
                true,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }

    /** Creates a bucket with a fresh name and returns the name. */
    public String newBucket() {
        String name = "sb-" + UUID.randomUUID().toString().substring(0, 18);
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(name));
        }
        return name;
    }

    /** The properties that point an application context at a bucket of this server. */
    public String[] properties(String bucket) {
        return new String[] {
            "stainbench.artifacts.store=s3",
            "stainbench.artifacts.s3.endpoint=" + endpoint,
            "stainbench.artifacts.s3.bucket=" + bucket,
            "stainbench.artifacts.s3.path-style=true"
        };
    }
}
