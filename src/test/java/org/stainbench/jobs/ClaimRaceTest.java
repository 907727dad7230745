package org.stainbench.jobs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/** Acceptance: 8 claimers race over 500 queued jobs on H2; every job is claimed exactly once. */
@SpringBootTest
@ActiveProfiles("test")
class ClaimRaceTest {

    @Autowired
    JobStore store;

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyJobIsClaimedExactlyOnceOnH2() throws Exception {
        ClaimRace.run(store, jdbc);
    }
}
