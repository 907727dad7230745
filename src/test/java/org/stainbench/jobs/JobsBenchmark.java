package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stainbench.accounts.Accounts;
import org.stainbench.jobs.agent.Protocol;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jobs benchmark ({@code src/bench/jobs.sh}): 8 in-process agents speaking the real HTTP API to a running
 * server. Dispatch latency: one job at a time onto idle, long-polling agents, queued → RUNNING as the
 * database records it. Claim throughput: 2,000 queued jobs drained by the 8 agents (poll/claim, start,
 * finish), with every job checked to be claimed exactly once. Reference measured in the same run: the
 * round trip of a no-op authenticated API call ({@code /api/whoami}), the floor any dispatch pays.
 */
final class JobsBenchmark {

    static final int AGENTS = 8;
    static final int LATENCY_JOBS = 200;
    static final int THROUGHPUT_JOBS = 2000;
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final String server;
    private final JobQueue queue;
    private final JdbcClient jdbc;
    private final Accounts accounts;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    JobsBenchmark(int port, JobQueue queue, JdbcClient jdbc, Accounts accounts) {
        this.server = "http://127.0.0.1:" + port;
        this.queue = queue;
        this.jdbc = jdbc;
        this.accounts = accounts;
    }

    record Result(
            String database,
            double[] latencyMs,
            double[] floorMs,
            int jobs,
            double seconds,
            long attempts,
            long doubleClaims) {

        double claimsPerSecond() {
            return jobs / seconds;
        }

        String line() {
            return String.format(
                    java.util.Locale.ROOT,
                    "| %s | %.1f | %.1f | %.1f | %.1f | %d | %.2f | %.0f | %d |",
                    database,
                    pct(latencyMs, 50),
                    pct(latencyMs, 95),
                    pct(floorMs, 50),
                    pct(floorMs, 95),
                    jobs,
                    seconds,
                    claimsPerSecond(),
                    doubleClaims);
        }
    }

    static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private <T> T post(String token, String path, Object body, Class<T> type) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.statusCode() == 204 || type == Void.class ? null : JSON.readValue(r.body(), type);
    }

    /** One simulated agent: poll (claims), start, finish — until told to stop. */
    private Thread agent(
            String name,
            String token,
            long waitMs,
            Set<Long> claimed,
            AtomicInteger done,
            List<Long> doubles,
            java.util.function.BooleanSupplier stop) {
        Thread t = new Thread(
                () -> {
                    try {
                        while (!stop.getAsBoolean()) {
                            Protocol.Assignment a = post(
                                    token,
                                    "/api/nodes/" + name + "/poll?waitMs=" + waitMs,
                                    Map.of(),
                                    Protocol.Assignment.class);
                            if (a == null) {
                                continue;
                            }
                            if (!claimed.add(a.jobId())) {
                                doubles.add(a.jobId());
                            }
                            post(
                                    token,
                                    "/api/jobs/" + a.jobId() + "/start",
                                    new Protocol.Start(name, a.token()),
                                    Void.class);
                            post(
                                    token,
                                    "/api/jobs/" + a.jobId() + "/finish",
                                    new Protocol.Finish(name, a.token(), 0, null, false),
                                    Void.class);
                            done.incrementAndGet();
                        }
                    } catch (Exception e) {
                        if (!stop.getAsBoolean()) {
                            throw new IllegalStateException(e);
                        }
                    }
                },
                "bench-" + name);
        t.setDaemon(true);
        return t;
    }

    Result run(String database, String prefix) throws Exception {
        List<String> names = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            String name = prefix + "-agent-" + i;
            String token = accounts.issueNodeToken(name, "admin");
            post(
                    token,
                    "/api/nodes/register",
                    new Protocol.Registration(name, name, 4, 8000, List.of(), false, "bench"),
                    Protocol.Registered.class);
            names.add(name);
            tokens.add(token);
        }
        // Reference: a no-op authenticated round trip.
        double[] floor = new double[LATENCY_JOBS];
        for (int i = 0; i < LATENCY_JOBS; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(server + "/api/whoami"))
                            .header("Authorization", "Bearer " + tokens.get(0))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            floor[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(floor);

        // Dispatch latency: idle agents long-poll; one job at a time.
        Set<Long> claimed = ConcurrentHashMap.newKeySet();
        List<Long> doubles = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        boolean[] stop = {false};
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            threads.add(agent(names.get(i), tokens.get(i), 20_000, claimed, done, doubles, () -> stop[0]));
        }
        threads.forEach(Thread::start);
        Thread.sleep(500); // all agents are waiting in their long poll
        double[] latency = new double[LATENCY_JOBS];
        Resources small = new Resources(0, 0, 1, 100, Duration.ofMinutes(5));
        for (int i = 0; i < LATENCY_JOBS; i++) {
            int before = done.get();
            long id = queue.submitCommand(CommandJob.shell("latency " + i, "true", small, "bench"));
            while (done.get() == before) {
                Thread.onSpinWait();
            }
            Map<String, Object> row = jdbc.sql("select created_at, started_at from job where id = ?")
                    .param(id)
                    .query()
                    .singleRow();
            latency[i] = micros(row.get("created_at"), row.get("started_at")) / 1000.0;
        }
        java.util.Arrays.sort(latency);
        stop[0] = true;

        // Claim throughput: 2,000 queued jobs, then 8 agents drain them.
        String marker = prefix + "-tp";
        for (int i = 0; i < THROUGHPUT_JOBS; i++) {
            queue.submitCommand(new CommandJob(
                    marker, "tp " + i, "true", Map.of(), List.of(), List.of(), small, "bench", null, false));
        }
        Set<Long> claimed2 = ConcurrentHashMap.newKeySet();
        List<Long> doubles2 = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done2 = new AtomicInteger();
        boolean[] stop2 = {false};
        List<Thread> drainers = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            drainers.add(agent(names.get(i), tokens.get(i), 200, claimed2, done2, doubles2, () -> stop2[0]));
        }
        // The latency-phase agents may still sit in a long poll: they just take part.
        long t0 = System.nanoTime();
        drainers.forEach(Thread::start);
        org.awaitility.Awaitility.await("the queue drained")
                .atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> jdbc.sql("select count(*) from job where type = ? and state = 'SUCCEEDED'")
                                .param(marker)
                                .query(Long.class)
                                .single()
                        >= THROUGHPUT_JOBS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        stop2[0] = true;
        long attempts = jdbc.sql("select count(*) from job_attempt a join job j on j.id = a.job_id where j.type = ?")
                .param(marker)
                .query(Long.class)
                .single();
        long doubleClaims = jdbc.sql(
                        """
                select count(*) from (select a.job_id from job_attempt a join job j on j.id = a.job_id
                where j.type = ? group by a.job_id having count(*) > 1) d""")
                .param(marker)
                .query(Long.class)
                .single();
        assertThat(doubles).isEmpty();
        assertThat(doubles2).isEmpty();
        return new Result(database, latency, floor, THROUGHPUT_JOBS, seconds, attempts, doubleClaims);
    }

    private static long micros(Object from, Object to) {
        return java.time.Duration.between(instant(from), instant(to)).toNanos() / 1000;
    }

    private static java.time.Instant instant(Object o) {
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalArgumentException("not a time: " + o);
    }

    static void write(Result r) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/bench"));
        String text = "| database | dispatch p50 (ms) | dispatch p95 (ms) | API floor p50 (ms) | API floor p95 (ms) |"
                + " jobs | drain (s) | claims/s | double claims |\n|---|---|---|---|---|---|---|---|---|\n" + r.line()
                + "\n";
        Files.writeString(dir.resolve("jobs-" + r.database().toLowerCase() + ".md"), text);
        System.out.println(text);
    }
}
