package org.stainbench.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code review_session} row through {@link ReviewSessionRepository} (Spring Data JPA, issue 20 item 4): every
 * column reads back exactly as the SQL row mapper reads it (the mode as its name); the name check, the settings
 * update (seen by the next read in the same transaction) and the delete after the JdbcClient-deleted children.
 */
@SpringBootTest
@ActiveProfiles("test")
class ReviewSessionRepositoryTest {

    @Autowired
    ReviewStore store;

    @Autowired
    ReviewSessionRepository repository;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    private ReviewSession sqlRow(long id) {
        return jdbc.sql("select * from review_session where id = ?")
                .param(id)
                .query(ReviewStore::session)
                .single();
    }

    private static ReviewSession session(String name, ReviewMode mode, Long realDatasetId) {
        return new ReviewSession(
                0,
                name,
                mode,
                "Look closely.",
                mode == ReviewMode.LIKERT ? "Pattern\nIntensity" : null,
                true,
                ReviewSession.GALLERY,
                11,
                realDatasetId,
                3,
                2,
                15,
                -42,
                "repo-rev",
                Instant.parse("2031-03-04T05:06:07.654321Z"));
    }

    @Test
    void everyColumnRoundTripsAsTheSqlReadsIt() {
        long before = store.count();
        long id = store.insertSession(session("repo session 1", ReviewMode.LIKERT, 12L));
        long other = store.insertSession(session("repo session 2", ReviewMode.TWO_AFC, null));
        assertThat(store.count()).isEqualTo(before + 2);

        ReviewSession s = store.find(id).orElseThrow();
        assertThat(s).isEqualTo(sqlRow(id));
        assertThat(s)
                .isEqualTo(new ReviewSession(
                        id,
                        "repo session 1",
                        ReviewMode.LIKERT,
                        "Look closely.",
                        "Pattern\nIntensity",
                        true,
                        ReviewSession.GALLERY,
                        11,
                        12L,
                        3,
                        2,
                        15,
                        -42,
                        "repo-rev",
                        Instant.parse("2031-03-04T05:06:07.654321Z")));
        assertThat(store.find(other).orElseThrow()).isEqualTo(sqlRow(other));
        assertThat(store.find(other).orElseThrow().realDatasetId()).isNull();
        assertThat(jdbc.sql("select mode from review_session where id = ?")
                        .param(other)
                        .query(String.class)
                        .single())
                .isEqualTo("TWO_AFC");
        assertThat(store.nameTaken("repo session 1")).isTrue();
        assertThat(store.nameTaken("repo session 3")).isFalse();
        assertThat(store.find(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void settingsChangeInTheSameTransactionAndTheDeleteTakesTheRow() {
        long id = store.insertSession(session("repo edit me", ReviewMode.LIKERT, null));
        ReviewSession edited = tx.execute(t -> {
            assertThat(store.find(id).orElseThrow().name()).isEqualTo("repo edit me");
            store.updateSettings(id, "repo edited", "New words.", "Only one");
            assertThat(sqlRow(id).name()).isEqualTo("repo edited");
            return store.find(id).orElseThrow();
        });
        assertThat(edited.name()).isEqualTo("repo edited");
        assertThat(edited.instructions()).isEqualTo("New words.");
        assertThat(edited.criteria()).isEqualTo("Only one");
        assertThat(edited).isEqualTo(sqlRow(id));
        assertThat(store.nameTaken("repo edit me")).isFalse();

        long count = store.count();
        store.insertRater(id, "repo-pat", 5, Instant.parse("2031-03-05T00:00:00Z"));
        store.deleteSession(id);
        assertThat(store.find(id)).isEmpty();
        assertThat(store.raters(id)).isEmpty();
        assertThat(store.count()).isEqualTo(count - 1);
        assertThat(repository.existsById(id)).isFalse();
    }
}
