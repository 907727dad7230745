package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code evaluation} row through {@link EvaluationRepository} (Spring Data JPA, issue 20 item 4): every column the
 * store writes reads back exactly as the SQL row mapper reads it; an update is seen by the next read in the same
 * transaction (JPA and {@code JdbcClient} alike); the repository joins the facade's transaction (a rollback takes
 * the JPA insert and the JdbcClient rows with it); the derived reads pick the rows the SQL picked.
 */
@SpringBootTest
@ActiveProfiles("test")
class EvaluationRepositoryTest {

    @Autowired
    EvaluationStore store;

    @Autowired
    EvaluationRepository repository;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    private Evaluation sqlRow(long id) {
        return jdbc.sql("select * from evaluation where id = ?")
                .param(id)
                .query(EvaluationStore::evaluation)
                .single();
    }

    @Test
    void everyColumnRoundTripsAsTheSqlReadsIt() {
        Instant at = Instant.parse("2031-02-03T04:05:06.123456Z");
        long before = store.countEvaluations();
        long id = store.insertEvaluation(
                "repo round trip", Evaluation.COMPUTED, "QUEUED", 3L, 4L, "ab".repeat(32), "tiles: 8", "repo-ana", at);
        assertThat(store.countEvaluations()).isEqualTo(before + 1);
        Evaluation fresh = store.findEvaluation(id).orElseThrow();
        assertThat(fresh).isEqualTo(sqlRow(id));
        assertThat(fresh.createdAt()).isEqualTo(at);
        assertThat(fresh.jobId()).isNull();
        assertThat(fresh.finishedAt()).isNull();
        assertThat(store.featuresJob(id)).isEmpty();
        assertThat(store.featuresWhere(id)).isEmpty();

        store.setJob(id, 77);
        store.setFeaturesJob(id, 880_001L, "node job 880001 (waiting for an agent)");
        store.setFingerprint(id, "f".repeat(64), "canonical text");
        store.setStatus(id, "FAILED", "x".repeat(5000), at.plusSeconds(5));
        Evaluation changed = store.findEvaluation(id).orElseThrow();
        assertThat(changed).isEqualTo(sqlRow(id));
        assertThat(changed.jobId()).isEqualTo(77L);
        assertThat(changed.status()).isEqualTo("FAILED");
        assertThat(changed.error()).hasSize(4000);
        assertThat(changed.finishedAt()).isEqualTo(at.plusSeconds(5));
        assertThat(changed.fingerprint()).isEqualTo("f".repeat(64));
        assertThat(store.featuresJob(id)).contains(880_001L);
        assertThat(store.evaluationOfFeaturesJob(880_001L)).contains(id);
        assertThat(store.evaluationOfFeaturesJob(880_002L)).isEmpty();

        store.setFeaturesWhere(id, "w".repeat(300));
        assertThat(store.featuresWhere(id)).contains("w".repeat(200));
        assertThat(store.findEvaluation(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void anUpdateIsSeenInTheSameTransactionAndARollbackTakesBothKinds() {
        Instant at = Instant.parse("2031-02-04T00:00:00Z");
        Evaluation seen = tx.execute(s -> {
            long id = store.insertEvaluation(
                    "repo in tx", Evaluation.IMPORTED, "QUEUED", null, null, null, "p", "repo-ana", at);
            assertThat(store.findEvaluation(id).orElseThrow().status()).isEqualTo("QUEUED");
            store.setStatus(id, "DONE", null, at.plusSeconds(1));
            // JPA after a JPA update (the context was cleared) and JdbcClient after it (it was flushed)
            assertThat(sqlRow(id).status()).isEqualTo("DONE");
            return store.findEvaluation(id).orElseThrow();
        });
        assertThat(seen.status()).isEqualTo("DONE");
        assertThat(seen.finishedAt()).isEqualTo(at.plusSeconds(1));

        long[] made = new long[1];
        tx.executeWithoutResult(s -> {
            made[0] = store.insertEvaluation(
                    "repo rolled back", Evaluation.IMPORTED, "DONE", null, null, null, "p", "repo-ana", at);
            // a JdbcClient row whose foreign key needs the JPA insert on the same connection
            store.insertSubject(made[0], 0, "subject", null, null, null, null);
            s.setRollbackOnly();
        });
        assertThat(store.findEvaluation(made[0])).isEmpty();
        assertThat(store.subjects(made[0])).isEmpty();
    }

    @Test
    void derivedReadsPickTheRowsTheSqlPicked() {
        Instant at = Instant.parse("2031-02-05T00:00:00Z");
        long later =
                store.insertEvaluation("repo later", Evaluation.IMPORTED, "QUEUED", null, null, null, "p", "r", at);
        long earlier =
                store.insertEvaluation("repo earlier", Evaluation.IMPORTED, "QUEUED", null, null, null, "p", "r", at);
        long failed =
                store.insertEvaluation("repo failed", Evaluation.IMPORTED, "QUEUED", null, null, null, "p", "r", at);
        store.setStatus(later, "DONE", null, at.plusSeconds(20));
        store.setStatus(earlier, "DONE", null, at.plusSeconds(10));
        store.setStatus(failed, "FAILED", "no", at.plusSeconds(5));

        assertThat(store.finishedEvaluations())
                .extracting(Evaluation::id)
                .containsSubsequence(earlier, later)
                .doesNotContain(failed);
        assertThat(store.withoutFingerprint()).extracting(Evaluation::id).contains(later, earlier, failed);
        store.setFingerprint(earlier, "e".repeat(64), "text");
        assertThat(store.withoutFingerprint())
                .extracting(Evaluation::id)
                .contains(later, failed)
                .doesNotContain(earlier);
        assertThat(repository.findById(earlier).orElseThrow().toEvaluation()).isEqualTo(sqlRow(earlier));
    }
}
