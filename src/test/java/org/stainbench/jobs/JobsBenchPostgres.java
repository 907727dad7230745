package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stainbench.accounts.Accounts;
import org.stainbench.support.PostgresDatabase;

/** The jobs benchmark on PostgreSQL (see {@link JobsBenchmark}); figures go to target/bench/jobs-postgresql.md. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class JobsBenchPostgres {

    @BeforeAll
    static void needsPostgres() {
        PostgresDatabase.require();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }

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
