package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.support.PostgresTest;

/**
 * Issue 21, item 2: claimers of two "instances" (two job stores, each on its own connection pool, as two application
 * processes have) race over 500 queued jobs on one PostgreSQL; every job is claimed exactly once.
 */
@SpringBootTest
@ActiveProfiles("test")
@PostgresTest
class TwoInstancesClaimPostgresIT {

    @Autowired
    JobStore store;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void claimersOfTwoInstancesClaimEveryJobExactlyOnce() throws Exception {
        HikariDataSource first = dataSource.unwrap(HikariDataSource.class);
        try (HikariDataSource second = new HikariDataSource()) {
            second.setJdbcUrl(first.getJdbcUrl());
            second.setUsername(first.getUsername());
            second.setPassword(first.getPassword());
            second.setMaximumPoolSize(4);
            try (var c = second.getConnection()) {
                assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
            }
            JobStore other = new JobStore(
                    JdbcClient.create(second), new TransactionTemplate(new DataSourceTransactionManager(second)));
            ClaimRace.run(List.of(store, other), jdbc);
        }
    }
}
