package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.support.PostgresTest;

/**
 * runs/search and experiments/search in SQL on a real PostgreSQL (through the {@link Runs} facade): the latest-metric
 * table kept by log-metric and log-batch (V66, and its back-fill), IN / NOT IN, the created and Run name aliases,
 * keys with '..', LIKE through the escape rules, order with NULLS LAST, paging that ends, and paged metric history.
 */
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=3")
@ActiveProfiles("test")
@DirtiesContext
@PostgresTest
class TrackingSearchPostgresIT {

    @Autowired
    TrackingStore store;

    @Autowired
    Runs runs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    private static final RunSearch.Budget BUDGET =
            new RunSearch.Budget(50_000_000, "stainbench.tracking.max-search-work");

    private List<String> names(long exp, String filter, String... orderBy) {
        return runs.search(List.of(exp), "active", filter, List.of(orderBy), 100, null, BUDGET).items().stream()
                .map(r -> r.info().name())
                .toList();
    }

    @Test
    void searchesInSqlOnPostgres() throws Exception {
        try (var c = dataSource.getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        long exp = store.createExperiment("tspg-" + System.nanoTime(), null, Map.of());
        Tracking.RunInfo a = store.createRun(exp, "pg", 1_000L, "alpha", Map.of());
        Tracking.RunInfo b = store.createRun(exp, "pg", 2_000L, "beta_1", Map.of());
        Tracking.RunInfo c = store.createRun(exp, "pg", 3_000L, "gamma", Map.of());
        store.logMetric(a, new Tracking.Metric("loss", 0.2, 5, 10));
        store.logMetric(a, new Tracking.Metric("loss", 0.9, 6, 3));
        store.logBatch(
                b.uuid(),
                List.of(
                        new Tracking.Metric("loss", 0.1, 5, 20),
                        new Tracking.Metric("loss", 0.7, 9, 2),
                        new Tracking.Metric("loss..v2", 4, 9, 2)),
                Map.of("lr", "1e-4"),
                Map.of());
        store.logBatch(c.uuid(), List.of(new Tracking.Metric("loss", Double.NaN, 5, 1)), Map.of(), Map.of());
        assertThat(jdbc.sql("select metric_value from run_latest_metric where run_id = ? and metric_key = 'loss'")
                        .param(a.id())
                        .query(Double.class)
                        .single())
                .isEqualTo(0.2);
        assertThat(names(exp, "metrics.loss < 0.3", "metrics.loss ASC")).containsExactly("beta_1", "alpha");
        assertThat(names(exp, "", "metrics.loss DESC"))
                .as("NaN sorts last")
                .containsExactly("alpha", "beta_1", "gamma");
        assertThat(names(exp, "metrics.`loss..v2` >= 4")).containsExactly("beta_1");
        assertThat(names(exp, "attributes.run_id IN ('%s', '%s')".formatted(a.uuid(), c.uuid())))
                .containsExactly("gamma", "alpha");
        assertThat(names(exp, "attributes.run_id NOT IN ('%s')".formatted(a.uuid())))
                .containsExactly("gamma", "beta_1");
        assertThat(names(exp, "created >= 2000", "Created ASC")).containsExactly("beta_1", "gamma");
        assertThat(names(exp, "`Run name` LIKE 'beta\\_%'")).containsExactly("beta_1");
        assertThat(names(exp, "attributes.run_name ILIKE '%A'")).containsExactly("gamma", "alpha");
        assertThat(names(exp, "params.lr = '1e-4' and attributes.run_name LIKE '_e%_1'"))
                .containsExactly("beta_1");
        assertThat(names(exp, "run_name LIKE '%a%l%p%h%a%'"))
                .as("many wildcards: matched in Java")
                .containsExactly("alpha");
        assertThatThrownBy(() -> names(exp, "run_name LIKE 'x\\'")).isInstanceOf(MlflowException.class);

        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            var page = runs.search(List.of(exp), "active", "", List.of("attributes.run_name ASC"), 2, token, BUDGET);
            page.items().forEach(r -> seen.add(r.info().name()));
            token = page.nextPageToken();
        } while (token != null);
        assertThat(seen).containsExactly("alpha", "beta_1", "gamma");
        assertThat(runs.search(List.of(exp), "active", "", List.of(), 0, null, BUDGET)
                        .nextPageToken())
                .isNull();

        var experiments = runs.searchExperiments(
                "active",
                "name = '%s' AND name LIKE 'tspg-%%'"
                        .formatted(store.requireExperiment(exp).name()),
                List.of("creation_time DESC"),
                10,
                null);
        assertThat(experiments.items()).extracting(Tracking.Experiment::id).containsExactly(exp);

        store.logBatch(
                a.uuid(),
                java.util.stream.IntStream.range(100, 350)
                        .mapToObj(i -> new Tracking.Metric("acc", i, i, i))
                        .toList(),
                Map.of(),
                Map.of());
        var first = runs.history(a, "acc", 100, null);
        assertThat(first.items()).hasSize(100);
        var third = runs.history(
                a,
                "acc",
                100,
                runs.history(a, "acc", 100, first.nextPageToken()).nextPageToken());
        assertThat(third.items()).hasSize(50);
        assertThat(third.items().get(49).step()).isEqualTo(349);
        assertThat(third.nextPageToken()).isNull();

        Runs.Curve acc = runs.curves(a, null, null, 10, null).get("acc");
        assertThat(acc.steps()).hasSizeLessThanOrEqualTo(20);
        assertThat(acc.total()).isEqualTo(250);
        assertThat(runs.curves(a, null, null, 10, 340L).get("acc").steps()).hasSize(9);
    }
}
