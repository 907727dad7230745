package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.support.PostgresTest;

/** Acceptance: 8 claimers race over 500 queued jobs on a real PostgreSQL; every job is claimed exactly once. */
@SpringBootTest
@ActiveProfiles("test")
@PostgresTest
class ClaimRacePostgresIT {

    @Autowired
    JobStore store;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void everyJobIsClaimedExactlyOnceOnPostgres() throws Exception {
        try (var c = dataSource.getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        ClaimRace.run(store, jdbc);
    }
}
