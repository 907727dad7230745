package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.support.PostgresTest;

/** The jobs benchmark on PostgreSQL (see {@link JobsBenchmark}); figures go to target/bench/jobs-postgresql.md. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@PostgresTest
class JobsBenchPostgres {

    @LocalServerPort
    int port;

    @Autowired
    JobQueue queue;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Accounts accounts;

    @Test
    void dispatchLatencyAndClaimThroughputOnPostgres() throws Exception {
        JobsBenchmark.Result r = new JobsBenchmark(port, queue, jdbc, accounts).run("PostgreSQL", "pg");
        JobsBenchmark.write(r);
        assertThat(r.doubleClaims()).isZero();
        assertThat(r.attempts()).isEqualTo(JobsBenchmark.THROUGHPUT_JOBS);
        assertThat(JobsBenchmark.pct(r.latencyMs(), 95)).as("dispatch p95 (ms)").isLessThan(1000);
    }
}
