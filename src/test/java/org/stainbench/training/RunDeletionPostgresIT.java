package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.shell.Trash;
import org.stainbench.support.PostgresTest;

/**
 * Run and experiment deletion on a real PostgreSQL: the runs an experiment's deletion took are found again by its
 * deletion timestamp (microseconds, time zone), a run deleted before stays deleted, and the trash lists what it should.
 */
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=3")
@ActiveProfiles("test")
@DirtiesContext
@PostgresTest
class RunDeletionPostgresIT {

    @Autowired
    TrackingStore store;

    @Autowired
    Runs runs;

    @Autowired
    List<Trash> trash;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    List<String> trashed() {
        return trash.stream()
                .flatMap(t -> t.deleted().stream())
                .map(d -> d.kind() + ":" + d.id())
                .toList();
    }

    @Test
    void anExperimentComesBackWithExactlyTheRunsItsDeletionTook() throws Exception {
        try (var c = dataSource.getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        long exp = store.createExperiment("pg rd experiment " + System.nanoTime(), null, Map.of());
        Tracking.RunInfo a = store.createRun(exp, "pg", 1L, "pg a", Map.of());
        Tracking.RunInfo b = store.createRun(exp, "pg", 2L, "pg b", Map.of());
        runs.delete(b, "pg");
        assertThat(trashed()).contains("run:" + b.id());

        runs.deleteExperiment(store.requireExperiment(exp), "pg");
        assertThat(store.requireRun(a.uuid()).lifecycleStage()).isEqualTo("deleted");
        assertThat(trashed()).contains("experiment:" + exp).doesNotContain("run:" + a.id(), "run:" + b.id());
        assertThat(store.deletedExperiments())
                .filteredOn(e -> e.id() == exp)
                .singleElement()
                .extracting(e -> e.deletion().by())
                .isEqualTo("pg");

        trash.stream()
                .filter(t -> t.kind().equals("experiment"))
                .findFirst()
                .orElseThrow()
                .restore(exp, "pg-admin");
        assertThat(store.requireExperiment(exp).lifecycleStage()).isEqualTo("active");
        assertThat(store.requireRun(a.uuid()).lifecycleStage()).isEqualTo("active");
        assertThat(store.deletion(a.id())).isEmpty();
        assertThat(store.requireRun(b.uuid()).lifecycleStage()).isEqualTo("deleted");
        assertThat(trashed()).contains("run:" + b.id()).doesNotContain("experiment:" + exp);
        assertThat(jdbc.sql("select count(*) from activity where subject_type = 'experiment' and subject_id = ?")
                        .param(Long.toString(exp))
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }
}
