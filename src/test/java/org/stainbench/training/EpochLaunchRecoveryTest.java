package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue 21, item 2: every instance recovers interrupted epoch-evaluation launches (at its start and whenever it
 * advances requests), but only launches claimed long ago ({@link EpochEvaluations#STALE_LAUNCH}): a launch another
 * live instance claimed a moment ago is left to it, so it is not launched twice.
 */
@SpringBootTest
@ActiveProfiles("test")
class EpochLaunchRecoveryTest {

    @Autowired
    EpochEvaluations requests;

    @Autowired
    JdbcClient jdbc;

    private long launching(Instant claimedAt) {
        jdbc.sql(
                        """
                insert into epoch_evaluation (run_uuid, name, epochs, set_ids, source_dataset_id, real_dataset_id,
                  extractor_id, protocol, state, created_by, created_at, updated_at)
                values ('no-run', 'launch recovery', '1', '987654321', 1, 2, 3, '{}', 'LAUNCHING', 'ed', ?, ?)""")
                .params(Timestamp.from(claimedAt), Timestamp.from(claimedAt))
                .update();
        return jdbc.sql("select max(id) from epoch_evaluation")
                .query(Long.class)
                .single();
    }

    private String state(long id) {
        return jdbc.sql("select state from epoch_evaluation where id = ?")
                .param(id)
                .query(String.class)
                .single();
    }

    @Test
    void aLaunchClaimedAMomentAgoIsLeftToItsInstanceAndAStaleOneIsTriedAgain() {
        long live = launching(Instant.now().minusSeconds(5));
        long stale =
                launching(Instant.now().minus(EpochEvaluations.STALE_LAUNCH).minus(Duration.ofSeconds(30)));

        requests.recover(); // another instance starts

        assertThat(state(live)).isEqualTo(EpochEvaluations.LAUNCHING);
        // the stale one went back to WAITING and advanced: its (missing) generated set fails it with the reason
        assertThat(state(stale)).isEqualTo(EpochEvaluations.FAILED);
        assertThat(jdbc.sql("select message from epoch_evaluation where id = ?")
                        .param(stale)
                        .query(String.class)
                        .single())
                .contains("987654321");
        jdbc.sql("delete from epoch_evaluation where id in (?, ?)")
                .params(live, stale)
                .update();
    }
}
