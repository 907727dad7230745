package org.stainbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.stainbench.artifacts.S3ArtifactStore;
import org.stainbench.support.PostgresDatabase;
import org.stainbench.support.S3Server;
import org.stainbench.support.Waits;
import org.stainbench.support.WebClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 21, item 2, acceptance: two application instances started (in parallel) from the packaged jar as separate
 * processes, on one PostgreSQL and one S3 bucket (a real S3 API server, s3proxy, that this test starts; each instance
 * has its own local data and artifact folder, so nothing reaches B through a shared disk). The demo is loaded through
 * instance A; A is killed with SIGKILL while it ingests; B takes the dead instance's jobs back (their leases run out)
 * and completes the ingest: every archive READY with exactly its declared tile count, every job claimed once per
 * attempt, a second attempt only for what A held when it died; the archives are objects of the bucket and B's local
 * artifact folder holds none. A user signed in through A stays signed in through B, before and after A's death
 * (sessions in the database). {@code STAINBENCH_IT_ARTIFACTS=local} runs it on one shared local folder instead.
 */
class TwoInstancesPostgresIT {

    static final String ADMIN_PASSWORD = "Harbor-Quill-5820";
    /** The demo's datasets and their tiles: synthetic 5 and 3 archives of 12 tiles, real tissue 3 + 3 of 4. */
    static final Map<String, Integer> DEMO_TILES = Map.of(
            "Demo H&E (synthetic)",
            5 * 12,
            "Demo CK7 (synthetic)",
            3 * 12,
            "Real tissue H&E (demo)",
            3 * 4,
            "Real tissue IHC (demo)",
            3 * 4);

    static final String ACTIVE = "('ASSIGNED','SUBMITTED','RUNNING')";

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private String schema;

    /**
     * Where the instances keep their bytes. S3 (the default): one bucket of the S3 API server this test starts
     * ({@link S3Server}, s3proxy on loopback), or of the server named by {@code STAINBENCH_IT_S3_ENDPOINT} (bucket
     * {@code STAINBENCH_IT_S3_BUCKET}, credentials in {@code AWS_*}); each instance keeps its own local artifact folder
     * (scratch) under its data folder. Local ({@code STAINBENCH_IT_ARTIFACTS=local}): one folder both see (as an NFS
     * mount would be).
     */
    record Store(boolean s3, String endpoint, String bucket, Map<String, String> environment) {

        static Store fromEnvironment() {
            if ("local".equalsIgnoreCase(env("STAINBENCH_IT_ARTIFACTS", "s3"))) {
                return new Store(false, null, null, Map.of());
            }
            String external = env("STAINBENCH_IT_S3_ENDPOINT", "");
            if (!external.isEmpty()) {
                return new Store(true, external, env("STAINBENCH_IT_S3_BUCKET", "stainbench-it"), Map.of());
            }
            S3Server server = S3Server.get(); // bounded wait for its start inside
            return new Store(
                    true,
                    server.endpoint(),
                    server.newBucket(),
                    Map.of(
                            "AWS_ACCESS_KEY_ID",
                            S3Server.ACCESS_KEY,
                            "AWS_SECRET_ACCESS_KEY",
                            S3Server.SECRET_KEY,
                            "AWS_REGION",
                            "us-east-1"));
        }

        List<String> args(Path shared, Path own) {
            if (!s3) {
                return List.of("--stainbench.artifacts.root=" + shared.toAbsolutePath());
            }
            return List.of(
                    "--stainbench.artifacts.store=s3",
                    "--stainbench.artifacts.s3.endpoint=" + endpoint,
                    "--stainbench.artifacts.s3.bucket=" + bucket,
                    "--stainbench.artifacts.s3.region=" + env("STAINBENCH_IT_S3_REGION", "us-east-1"),
                    "--stainbench.artifacts.s3.path-style=true",
                    "--stainbench.artifacts.root=" + own.toAbsolutePath());
        }

        /** The bucket's object keys (S3 only). */
        List<String> keys() {
            // credentials from the SDK's default chain (the in-process server's are in this JVM's system properties)
            try (S3Client c =
                    S3ArtifactStore.client(endpoint, env("STAINBENCH_IT_S3_REGION", "us-east-1"), true, null)) {
                List<String> out = new ArrayList<>();
                c.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> out.add(o.key()));
                return out;
            }
        }
    }

    record Instance(String id, Process process, int port, Path log) {
        String base() {
            return "http://127.0.0.1:" + port;
        }
    }

    @BeforeAll
    static void needsPostgres() {
        PostgresDatabase.require();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        if (schema != null) {
            try (Connection c = connect()) {
                c.createStatement().execute("drop schema " + schema + " cascade");
            }
        }
    }

    @Test
    void theSecondInstanceCompletesTheIngestOfAKilledOneAndKeepsItsUsersSignedIn() throws Exception {
        schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = connect()) {
            c.createStatement().execute("create schema " + schema);
        }
        Path shared = Files.createDirectories(dir.resolve("shared-artifacts"));
        Store store = Store.fromEnvironment();

        // both at once (Flyway's lock lets one migrate while the other waits; one of them creates the admin);
        // A has the workers, B one.
        Instance a = start("a", 2, store, shared);
        Instance b = start("b", 1, store, shared);
        awaitUp(a);
        awaitUp(b);
        Waits.upTo(Duration.ofSeconds(60), "the admin created").until(() -> {
            try (Connection c = connect()) {
                var r = c.createStatement().executeQuery("select count(*) from " + schema + ".app_user");
                return r.next() && r.getLong(1) == 1;
            }
        });

        try (Connection c = connect()) {
            JdbcClient sql = JdbcClient.create(new SingleConnectionDataSource(c, true));
            sql.sql("set search_path to " + schema).update();

            // signed in through A, signed in through B
            WebClient viaA = new WebClient(a.base());
            assertThat(viaA.signIn("admin", ADMIN_PASSWORD)).endsWith("/");
            assertThat(viaA.get("/dashboard").statusCode()).isEqualTo(200);
            WebClient viaB = viaA.at(b.base());
            assertThat(viaB.get("/dashboard").statusCode()).isEqualTo(200);
            assertThat(new WebClient(b.base()).get("/dashboard").statusCode())
                    .as("B without the cookie")
                    .isEqualTo(302);

            // the demo through A; A dies (SIGKILL) while one of its workers ingests
            CompletableFuture<HttpResponse<String>> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return viaA.postForm("/datasets", "/datasets/demo", Map.of());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Waits.upTo(Duration.ofSeconds(120), "the demo loaded through A while A still ingests")
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> load.isDone() && running(sql, "a/") > 0);
            a.process().destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            assertThat(a.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(load.get().statusCode()).as("the demo request").isEqualTo(302);
            Set<Long> heldByA =
                    new TreeSet<>(sql.sql("select id from job where state in " + ACTIVE + " and holder like 'a/%'")
                            .query(Long.class)
                            .list());
            assertThat(heldByA).as("jobs A held when it died").isNotEmpty();

            // B takes them back once their leases run out and completes the ingest (and what follows it: the
            // demo's baseline sets are generated and ingested too)
            Waits.upTo(Duration.ofSeconds(90), "every job done and every archive ingested by B")
                    .until(() -> settled(sql));
            Waits.holdsFor(Duration.ofSeconds(2), "nothing new queued", () -> settled(sql));
            // exactly the declared tile count per archive: none lost, none twice
            List<Map<String, Object>> archives = sql.sql(
                            """
                    select a.id, a.file_name, a.tiles_total, (select count(*) from tile t where t.archive_id = a.id) n,
                           (select count(distinct t.idx) from tile t where t.archive_id = a.id) d
                    from archive a order by a.id""")
                    .query()
                    .listOfRows();
            for (Map<String, Object> r : archives) {
                long declared = ((Number) r.get("tiles_total")).longValue();
                assertThat(((Number) r.get("n")).longValue())
                        .as("tiles of %s", r.get("file_name"))
                        .isEqualTo(declared);
                assertThat(((Number) r.get("d")).longValue())
                        .as("distinct tiles of %s", r.get("file_name"))
                        .isEqualTo(declared);
            }
            assertThat(archives)
                    .as("the demo's 14 archives and the baseline sets")
                    .hasSizeGreaterThanOrEqualTo(14);
            for (Map.Entry<String, Integer> d : DEMO_TILES.entrySet()) {
                assertThat(sql.sql("select count(*) from tile t join archive a on a.id = t.archive_id"
                                        + " join dataset s on s.id = a.dataset_id where s.name = ?")
                                .param(d.getKey())
                                .query(Long.class)
                                .single())
                        .as("tiles of %s", d.getKey())
                        .isEqualTo(d.getValue().longValue());
            }

            // every job succeeded; one attempt per job, two for the jobs A held when it died (A's, then B's)
            List<Map<String, Object>> jobs =
                    sql.sql("select id, state, attempt from job").query().listOfRows();
            assertThat(sql.sql("select count(*) from job where type = 'ingest'")
                            .query(Long.class)
                            .single())
                    .isEqualTo(archives.size());
            for (Map<String, Object> j : jobs) {
                long id = ((Number) j.get("id")).longValue();
                assertThat(j.get("state")).as("job %d", id).isEqualTo("SUCCEEDED");
                List<String> holders = sql.sql("select holder from job_attempt where job_id = ? order by attempt")
                        .param(id)
                        .query(String.class)
                        .list();
                if (heldByA.contains(id)) {
                    assertThat(holders).as("attempts of job %d", id).hasSize(2);
                    assertThat(holders.get(0)).startsWith("a/");
                    assertThat(holders.get(1)).startsWith("b/");
                } else {
                    assertThat(holders).as("attempts of job %d", id).hasSize(1);
                }
            }

            if (store.s3()) {
                // the bytes are in the bucket: every archive is an object there, and B, which ingested A's
                // archives, has none in its own local folder
                assertThat(store.keys().stream().filter(k -> k.endsWith(".npz")))
                        .as("archives in the bucket")
                        .hasSizeGreaterThanOrEqualTo(archives.size());
                try (var files = Files.walk(dir.resolve("data-b"))) {
                    assertThat(files.filter(f -> f.toString().endsWith(".npz")))
                            .as("archive files in B's local folders")
                            .isEmpty();
                }
            }

            // still signed in through B after A's death; B shows the demo
            var datasets = viaB.get("/datasets");
            assertThat(datasets.statusCode()).isEqualTo(200);
            assertThat(datasets.body()).contains("Demo H&amp;E (synthetic)");
        }
    }

    /** No job waiting or running, every archive ready. */
    private static boolean settled(JdbcClient sql) {
        return sql.sql("select count(*) from job where state in ('QUEUED'," + ACTIVE.substring(1))
                                .query(Long.class)
                                .single()
                        == 0
                && sql.sql("select count(*) from archive where status <> 'READY'")
                                .query(Long.class)
                                .single()
                        == 0;
    }

    private static long running(JdbcClient sql, String holderPrefix) {
        return sql.sql("select count(*) from job where type = 'ingest' and state = 'RUNNING' and holder like ?")
                .param(holderPrefix + "%")
                .query(Long.class)
                .single();
    }

    private Instance start(String id, int workers, Store store, Path shared) throws IOException {
        File[] jars = new File("target")
                .listFiles((d, n) -> n.startsWith("stainbench-") && n.endsWith(".jar") && !n.endsWith("-plain.jar"));
        assertThat(jars)
                .as("packaged jar under target/ (ITs run after package)")
                .isNotEmpty();
        int port = freePort();
        Path data = Files.createDirectories(dir.resolve("data-" + id));
        String url = System.getenv(PostgresDatabase.URL_VARIABLE);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jars[0].getAbsolutePath(),
                "--server.port=" + port,
                "--spring.datasource.url=" + url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                "--spring.datasource.username=" + env("STAINBENCH_TEST_PG_USER", "sb"),
                "--spring.datasource.password=" + env("STAINBENCH_TEST_PG_PASSWORD", "sb"),
                "--spring.datasource.hikari.maximum-pool-size=6",
                "--spring.flyway.default-schema=" + schema,
                "--spring.flyway.schemas=" + schema,
                "--stainbench.data-dir=" + data.toAbsolutePath(),
                "--stainbench.admin-password=" + ADMIN_PASSWORD,
                "--stainbench.demo.training=false",
                "--stainbench.sessions.store=jdbc",
                "--stainbench.jobs.several-instances=true",
                "--stainbench.jobs.instance-id=" + id,
                "--stainbench.jobs.embedded-workers=" + workers,
                // short leases so that B takes A's jobs back within seconds of its death
                "--stainbench.jobs.lease=8s",
                "--stainbench.jobs.heartbeat=1s",
                "--stainbench.jobs.sweep-interval=500ms",
                "--stainbench.jobs.backoff=200ms",
                "--stainbench.catalog.ingest-threads=1"));
        cmd.addAll(store.args(shared, data.resolve("artifacts")));
        Path log = dir.resolve("instance-" + id + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(store.environment());
        Process p = pb.start();
        processes.add(p);
        return new Instance(id, p, port, log);
    }

    private static void awaitUp(Instance i) {
        HttpClient http = HttpClient.newHttpClient();
        Waits.upTo(Duration.ofSeconds(240), "instance " + i.id() + " answers")
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!i.process().isAlive()) {
                        throw new AssertionError("instance " + i.id() + " exited:\n" + tail(i.log()));
                    }
                    try {
                        return http.send(
                                                HttpRequest.newBuilder(URI.create(i.base() + "/login"))
                                                        .timeout(Duration.ofSeconds(5))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                System.getenv(PostgresDatabase.URL_VARIABLE),
                env("STAINBENCH_TEST_PG_USER", "sb"),
                env("STAINBENCH_TEST_PG_PASSWORD", "sb"));
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
