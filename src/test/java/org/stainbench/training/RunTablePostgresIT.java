package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.support.PostgresTest;

/** The runs table's SQL (latest-metric subqueries, NULLS LAST, LIKE … ESCAPE, paging) on a real PostgreSQL. */
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=3")
@ActiveProfiles("test")
@DirtiesContext
@PostgresTest
class RunTablePostgresIT {

    @Autowired
    TrackingStore store;

    @Autowired
    RunTable table;

    @Autowired
    DataSource dataSource;

    @Test
    void sortsFiltersAndPagesOnPostgres() throws Exception {
        try (var c = dataSource.getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        long exp = store.createExperiment("rtpg-" + System.nanoTime(), null, Map.of());
        String[] names = {"pg-a", "pg-b", "pg-c"};
        double[] latest = {0.3, 0.1, Double.NaN};
        for (int i = 0; i < 3; i++) {
            Tracking.RunInfo r = store.createRun(exp, "pg", 1_700_000_000_000L + i, names[i], Map.of());
            store.logParam(r, "opt", i == 2 ? "sgd" : "adam");
            store.logMetric(r, new Tracking.Metric("loss", 0.9, 1, 0));
            if (!Double.isNaN(latest[i])) {
                store.logMetric(r, new Tracking.Metric("loss", latest[i], 2, 4));
            }
        }
        RunTable.View asc = RunTable.view(exp, null, "metrics.loss", "asc", List.of("params.opt"), 0);
        assertThat(table.page(List.of(exp), asc).runs())
                .extracting(Tracking.RunInfo::name)
                .containsExactly("pg-b", "pg-a", "pg-c");
        RunTable.View filtered = RunTable.view(
                exp,
                "metrics.loss < 0.5 and params.opt ILIKE 'AD%' and run_name != 'x_%'",
                "metrics.loss",
                "desc",
                List.of(),
                0);
        RunTable.Page page = table.page(List.of(exp), filtered);
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.runs()).extracting(Tracking.RunInfo::name).containsExactly("pg-a", "pg-b");
        assertThat(table.keys(List.of(exp)))
                .containsEntry("params", List.of("opt"))
                .containsEntry("metrics", List.of("loss"));
    }
}
