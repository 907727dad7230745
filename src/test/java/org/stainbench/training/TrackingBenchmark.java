package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.accounts.TokenScope;
import org.stainbench.support.PostgresDatabase;

/**
 * The tracking benchmark of issue 19 item 6 (not part of the suite: its name matches neither surefire's nor failsafe's
 * patterns; {@code src/bench/tracking.sh} runs it). An experiment of {@code bench.runs} runs holding
 * {@code bench.points} stored metric points in all, plus one run of {@code bench.chart-points} points, made with
 * set-based SQL (not through HTTP); then, over real HTTP on a random port:
 * <ul>
 * <li>runs/search with a metrics filter and order (p50/p95), and the runs page {@code /runs?experiment=…} sorted by
 * that metric (p50/p95), first at a tenth of the stored points, then at all of them (the reference: independence of
 * stored points);</li>
 * <li>the run page's chart data of the large run (size, p50/p95) against the pre-change chart data, every point
 * (metrics/get-history of the whole curve);</li>
 * <li>log-batch throughput: {@code bench.writers} clients, each logging batches of 1,000 points into its own run.</li>
 * </ul>
 * PostgreSQL when {@code STAINBENCH_TEST_PG_URL} is set, else H2 (a file database under the test data folder).
 * Writes a Markdown table to {@code target/tracking-bench.md}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class TrackingBenchmark {

    static final int RUNS = Integer.getInteger("bench.runs", 1000);
    static final long POINTS = Long.getLong("bench.points", 5_000_000L);
    static final int CHART_POINTS = Integer.getInteger("bench.chart-points", 100_000);
    static final int REPEAT = Integer.getInteger("bench.repeat", 40);
    static final int WRITERS = Integer.getInteger("bench.writers", 4);
    static final int BATCHES = Integer.getInteger("bench.batches", 50);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = System.getenv(PostgresDatabase.URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            PostgresDatabase.register(registry);
            registry.add("spring.datasource.hikari.maximum-pool-size", () -> "10");
        } else {
            registry.add(
                    "spring.datasource.url",
                    () -> "jdbc:h2:file:${stainbench.data-dir}/bench;MODE=PostgreSQL;"
                            + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Accounts accounts;

    @Autowired
    TrackingStore store;

    @Autowired
    DataSource dataSource;

    final HttpClient http =
            HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    String token;
    boolean postgres;
    final StringBuilder report = new StringBuilder();

    @Test
    void benchmark() throws Exception {
        try (var c = dataSource.getConnection()) {
            postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        }
        accounts.register("benchy", "Bench", Role.MEMBER, "Quartz-Meadow-7718");
        token = accounts.newToken("bench", "benchy", TokenScope.API);
        login("benchy", "Quartz-Meadow-7718");

        long exp = store.createExperiment("bench-" + System.nanoTime(), null, java.util.Map.of());
        long perRun = POINTS / RUNS;
        long t0 = System.nanoTime();
        makeRuns(exp, RUNS);
        insertPoints(exp, 0, perRun / 10);
        double setupSmall = seconds(t0);
        long stored = count();
        line("| set-up (set-based SQL) | " + RUNS + " runs × " + perRun / 10 + " points = " + fmt(stored) + " points | "
                + String.format(Locale.ROOT, "%.1f s", setupSmall) + " |");
        String search =
                "{\"experiment_ids\": [\"" + exp + "\"], \"filter\": \"metrics.loss < 0.5 and params.lr = '1e-4'\","
                        + " \"order_by\": [\"metrics.loss ASC\"], \"max_results\": 100}";
        String page = "/runs?experiment=" + exp + "&sort=metrics.loss&dir=asc&col=metrics.loss&col=params.lr"
                + "&filter=" + URLEncoder.encode("metrics.loss < 0.5", StandardCharsets.UTF_8);
        double[] searchSmall = times(() -> post("/api/2.0/mlflow/runs/search", search));
        double[] pageSmall = times(() -> page(page));

        t0 = System.nanoTime();
        insertPoints(exp, perRun / 10, perRun);
        long chartRun = chartRun(exp);
        double setupLarge = seconds(t0);
        long storedLarge = count();
        line("| set-up, grown (set-based SQL) | " + fmt(storedLarge) + " points (+ " + fmt(CHART_POINTS)
                + "-point chart run) | " + String.format(Locale.ROOT, "%.1f s", setupLarge) + " |");
        double[] searchLarge = times(() -> post("/api/2.0/mlflow/runs/search", search));
        double[] pageLarge = times(() -> page(page));
        String uuid = jdbc.sql("select run_uuid from tracked_run where id = ?")
                .param(chartRun)
                .query(String.class)
                .single();
        int[] chartBytes = new int[1];
        double[] chart = times(
                () -> chartBytes[0] = get("/runs/" + uuid + "/metrics.json").length());
        int[] fullBytes = new int[1];
        double[] full = times(() -> fullBytes[0] = history(uuid), Math.max(3, REPEAT / 8));
        double rate = logBatchRate(exp);

        report.append("\n| measure | at ")
                .append(fmt(stored))
                .append(" points | at ")
                .append(fmt(storedLarge))
                .append(" points |\n|---|---|---|\n");
        report.append(row("runs/search, metrics filter + order, 100 per page: p50 / p95", searchSmall, searchLarge));
        report.append(row("runs page, sorted and filtered by a metric: p50 / p95", pageSmall, pageLarge));
        report.append(String.format(
                Locale.ROOT,
                "| chart data of a %s-point run: size, p50 / p95 | — | %.1f KB, %s |%n",
                fmt(CHART_POINTS),
                chartBytes[0] / 1024.0,
                ms(chart)));
        report.append(String.format(
                Locale.ROOT,
                "| reference: every point (the pre-change chart data): size, p50 / p95 | — " + "| %.1f KB, %s |%n",
                fullBytes[0] / 1024.0,
                ms(full)));
        report.append(String.format(
                Locale.ROOT,
                "| log-batch through HTTP, %d clients × %d batches of 1,000 | — | %s " + "points/s |%n",
                WRITERS,
                BATCHES,
                fmt((long) rate)));
        report.append(String.format(
                Locale.ROOT,
                "%ndatabase: %s; %d cores, load average %s%n",
                postgres ? "PostgreSQL" : "H2 (file)",
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim()));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/tracking-bench.md"), report);
        System.out.println(report);
        assertThat(chartBytes[0]).isLessThan(200 * 1024);
    }

    // ---- set-up in SQL --------------------------------------------------------------------------

    private String range(String alias, long from, long toExclusive) {
        return postgres
                ? "generate_series(" + from + ", " + (toExclusive - 1) + ") as " + alias + "(x)"
                : "system_range(" + from + ", " + (toExclusive - 1) + ") as " + alias + "(x)";
    }

    private void makeRuns(long exp, int n) {
        jdbc.sql(
                        "insert into tracked_run (run_uuid, experiment_id, run_name, user_id, status, start_time, lifecycle_stage,"
                                + " artifact_uri) select lpad(cast(g.x as varchar), 32, '0'), ?, concat('bench-', g.x), 'benchy', 'FINISHED',"
                                + " 1700000000000 + g.x, 'active', 'mlflow-artifacts:/bench' from " + range("g", 0, n))
                .param(exp)
                .update();
        jdbc.sql("insert into run_param (run_id, param_key, param_value) select id, 'lr', case when mod(id, 2) = 0"
                        + " then '1e-4' else '1e-3' end from tracked_run where experiment_id = ?")
                .param(exp)
                .update();
        jdbc.sql(
                        "insert into run_tag (run_id, tag_key, tag_value) select id, 'mlflow.runName', run_name from tracked_run"
                                + " where experiment_id = ?")
                .param(exp)
                .update();
    }

    /** Steps [from, to) of metric "loss" for every run, then its latest point, in chunks of runs. */
    private void insertPoints(long exp, long from, long to) {
        List<Long> ids = jdbc.sql("select id from tracked_run where experiment_id = ? order by id")
                .param(exp)
                .query(Long.class)
                .list();
        int chunk = (int) Math.max(1, 2_000_000 / Math.max(1, to - from));
        for (int i = 0; i < ids.size(); i += chunk) {
            List<Long> part = ids.subList(i, Math.min(ids.size(), i + chunk));
            jdbc.sql("insert into run_metric (run_id, metric_key, metric_value, is_nan, ts, step) select r.id, 'loss',"
                            + " mod(r.id * 7919 + g.x * 31, 1000) / 1000.0, false, 1700000000000 + g.x, g.x from tracked_run r, "
                            + range("g", from, to) + " where r.id in (:ids)")
                    .param("ids", part)
                    .update();
        }
        latest(exp);
        analyze();
    }

    /** Fresh planner statistics after a bulk load, as autovacuum would give them (PostgreSQL; H2 keeps its own). */
    private void analyze() {
        jdbc.sql("analyze").update();
    }

    private void latest(long exp) {
        jdbc.sql("delete from run_latest_metric where run_id in (select id from tracked_run where experiment_id = ?)")
                .param(exp)
                .update();
        jdbc.sql(
                        "insert into run_latest_metric (run_id, metric_key, metric_value, is_nan, ts, step) select m.run_id,"
                                + " m.metric_key, m.metric_value, m.is_nan, m.ts, m.step from run_metric m join (select run_id, metric_key,"
                                + " max(step) s from run_metric where run_id in (select id from tracked_run where experiment_id = ?)"
                                + " group by run_id, metric_key) x on x.run_id = m.run_id and x.metric_key = m.metric_key and x.s = m.step")
                .param(exp)
                .update();
    }

    private long chartRun(long exp) {
        Tracking.RunInfo run = store.createRun(exp, "benchy", 1_600_000_000_000L, "bench-chart", java.util.Map.of());
        jdbc.sql("insert into run_metric (run_id, metric_key, metric_value, is_nan, ts, step) select ?, 'loss',"
                        + " exp(-g.x / 20000.0) + mod(g.x * 7919, 101) / 1000.0, false, 1700000000000 + g.x, g.x from "
                        + range("g", 0, CHART_POINTS))
                .param(run.id())
                .update();
        store.logMetric(run, new Tracking.Metric("loss", 0.01, 1700000000000L + CHART_POINTS, CHART_POINTS));
        analyze();
        return run.id();
    }

    private long count() {
        return jdbc.sql("select count(*) from run_metric").query(Long.class).single();
    }

    // ---- log-batch ------------------------------------------------------------------------------

    private double logBatchRate(long exp) throws Exception {
        List<String> runs = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            runs.add(store.createRun(exp, "benchy", null, "bench-writer-" + w, java.util.Map.of())
                    .uuid());
        }
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            // warm-up: one batch each
            batch(runs.get(0), 0);
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (String run : runs) {
                done.add(pool.submit(() -> {
                    for (int b = 1; b <= BATCHES; b++) {
                        batch(run, b);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (double) WRITERS * BATCHES * 1000 / seconds(t0);
        } finally {
            pool.shutdown();
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

    // ---- HTTP -----------------------------------------------------------------------------------

    private void login(String user, String password) throws Exception {
        String form = get("/login");
        Matcher m = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form);
        if (!m.find()) {
            m = Pattern.compile("value=\"([^\"]+)\"[^>]*name=\"_csrf\"").matcher(form);
            assertThat(m.find()).as("csrf field on /login").isTrue();
        }
        String body = "username=" + user + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(uri("/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("login").isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElse("")).doesNotContain("error");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private String get(String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (path.startsWith("/api/")) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    /** Every point of the run's "loss" through metrics/get-history, following its page tokens; the bytes read. */
    private int history(String uuid) throws Exception {
        int bytes = 0;
        String next = null;
        do {
            String body = get("/api/2.0/mlflow/metrics/get-history?run_id=" + uuid
                    + "&metric_key=loss&max_results=50000" + (next == null ? "" : "&page_token=" + next));
            bytes += body.length();
            Matcher m =
                    Pattern.compile("\"next_page_token\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
            next = m.find() ? m.group(1) : null;
        } while (next != null);
        return bytes;
    }

    private String page(String path) throws Exception {
        String html = get(path);
        assertThat(html).contains("bench-");
        return html;
    }

    private String post(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return r.body();
    }

    // ---- timing ---------------------------------------------------------------------------------

    interface Call {
        Object run() throws Exception;
    }

    private double[] times(Call call) throws Exception {
        return times(call, REPEAT);
    }

    /** Milliseconds of {@code n} calls after two warm-up calls, sorted. */
    private double[] times(Call call, int n) throws Exception {
        call.run();
        call.run();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            call.run();
            out[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(out);
        return out;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static String ms(double[] t) {
        return String.format(Locale.ROOT, "%.0f / %.0f ms", percentile(t, 0.5), percentile(t, 0.95));
    }

    private static String row(String what, double[] small, double[] large) {
        return "| " + what + " | " + ms(small) + " | " + ms(large) + " |\n";
    }

    private void line(String s) {
        if (report.isEmpty()) {
            report.append("| set-up | size | time |\n|---|---|---|\n");
        }
        report.append(s).append('\n');
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
