package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.accounts.TokenScope;
import org.stainbench.support.PostgresDatabase;

/**
 * Log-batch throughput only, through the public API alone (experiments/create, runs/create, runs/log-batch), so that
 * the same class runs unchanged on an older commit: {@code src/bench/log-batch-reference.sh} runs it on a reference
 * commit and on this one, alternating, on the same database server. {@code bench.writers} clients each log
 * {@code bench.batches} batches of 1,000 points into their own run (after one warm-up round). Not part of the suite
 * (its name matches neither surefire's nor failsafe's patterns). Appends a line to {@code bench.out} (default {@code target/log-batch-line.md}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class LogBatchBench {

    static final int WRITERS = Integer.getInteger("bench.writers", 8);
    static final int BATCHES = Integer.getInteger("bench.batches", 25);
    static final String LABEL = System.getProperty("bench.label", "this commit");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = System.getenv(PostgresDatabase.URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            PostgresDatabase.register(registry);
            registry.add("spring.datasource.hikari.maximum-pool-size", () -> "10");
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    final HttpClient http = HttpClient.newHttpClient();
    String token;

    @Test
    void logBatch() throws Exception {
        accounts.register("benchy", "Bench", Role.MEMBER, "Quartz-Meadow-7718");
        token = accounts.newToken("bench", "benchy", TokenScope.API);
        String exp = field(
                post("/api/2.0/mlflow/experiments/create", "{\"name\":\"lb-" + System.nanoTime() + "\"}"),
                "experiment_id");
        List<String> runs = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            runs.add(field(
                    post(
                            "/api/2.0/mlflow/runs/create",
                            "{\"experiment_id\":\"" + exp + "\",\"run_name\":\"writer-" + w + "\"}"),
                    "run_id"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            round(pool, runs, 0, 3); // warm-up: JIT, connection pool, statement caches
            long t0 = System.nanoTime();
            round(pool, runs, 3, BATCHES);
            double s = (System.nanoTime() - t0) / 1e9;
            double rate = (double) WRITERS * BATCHES * 1000 / s;
            String line = String.format(
                    Locale.ROOT,
                    "| %s | %d clients × %d batches of 1,000 | %.1f s | %,.0f points/s |%n",
                    LABEL,
                    WRITERS,
                    BATCHES,
                    s,
                    rate);
            Path out = Path.of(System.getProperty("bench.out", "target/log-batch-line.md"));
            Files.writeString(
                    out, line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            System.out.print(line);
        } finally {
            pool.shutdown();
        }
    }

    private void round(ExecutorService pool, List<String> runs, int first, int count) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (String run : runs) {
            done.add(pool.submit(() -> {
                for (int b = first; b < first + count; b++) {
                    batch(run, b);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    private void batch(String run, int b) throws Exception {
        StringBuilder ms = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            long step = (long) b * 1000 + i;
            ms.append(i == 0 ? "" : ",")
                    .append("{\"key\":\"loss\",\"value\":")
                    .append(1.0 / (1 + step))
                    .append(",\"timestamp\":")
                    .append(1700000000000L + step)
                    .append(",\"step\":")
                    .append(step)
                    .append('}');
        }
        post("/api/2.0/mlflow/runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[" + ms + "]}");
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    private String post(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return r.body();
    }
}
