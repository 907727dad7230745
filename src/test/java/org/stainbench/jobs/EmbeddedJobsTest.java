package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.support.Waits;

@SpringBootTest
@ActiveProfiles("test")
class EmbeddedJobsTest {

    @Autowired
    JobQueue queue;

    @Autowired
    JobStore store;

    @Autowired
    JobLogs logs;

    @Autowired
    EmbeddedExecutor executor;

    @Autowired
    TestHandlers.Finished finished;

    @Autowired
    TransactionTemplate tx;

    static JobSummary await(JobQueue queue, long id) {
        return Waits.jobFinished(queue, id, Duration.ofSeconds(30));
    }

    @Test
    void anEmbeddedHandlerRunsReportsProgressAndFinishes() throws Exception {
        long id = queue.submit(JobRequest.embedded("test-count", "count to 7", Map.of("n", "7"), "alice"));
        JobSummary done = await(queue, id);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.progressDone()).isEqualTo(7);
        assertThat(done.progressTotal()).isEqualTo(7);
        assertThat(done.progressUnit()).isEqualTo("steps");
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        assertThat(done.href()).isEqualTo("/jobs/" + id);
        // The log's closing line and the event follow the committed final state (a moment later, on the worker).
        Awaitility.await("the finished event of job " + id)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> finished.events.stream().anyMatch(e -> e.jobId() == id));
        assertThat(logs.tail(id, 10_000)).contains("step 1 of 7", "step 7 of 7", "--- SUCCEEDED");
        assertThat(finished.events).anySatisfy(e -> {
            assertThat(e.jobId()).isEqualTo(id);
            assertThat(e.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(e.params()).containsEntry("n", "7");
        });
    }

    @Test
    void aThrowingHandlerFailsTheJobWithItsMessage() throws Exception {
        long id = queue.submit(
                JobRequest.embedded("test-count", "fails", Map.of("n", "1", "fail", "archive is broken"), "alice"));
        JobSummary done = await(queue, id);
        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.error()).isEqualTo("archive is broken");
        assertThat(logs.tail(id, 10_000)).contains("IllegalStateException");
    }

    @Test
    void aCancelInsideTheCallersTransactionIsAnnouncedAfterItCommits() {
        long id = tx.execute(s -> {
            long job = queue.submitCommand(
                    CommandJob.shell("never runs", "true", new Resources(99, 1, 1, 1, Duration.ofMinutes(1)), "alice"));
            queue.cancel(job, "bob");
            assertThat(finished.events).noneMatch(e -> e.jobId() == job); // not before the commit
            return job;
        });
        assertThat(finished.events).anySatisfy(e -> {
            assertThat(e.jobId()).isEqualTo(id);
            assertThat(e.state()).isEqualTo(JobState.CANCELLED);
        });
    }

    @Test
    void unknownTypesAreRefused() {
        assertThatThrownBy(() -> queue.submit(JobRequest.embedded("no-such-type", "x", Map.of(), "alice")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown job type 'no-such-type'");
    }

    @Test
    void aRunningJobStopsWhenCancelled() throws Exception {
        long id =
                queue.submit(JobRequest.embedded("test-count", "long", Map.of("n", "100000", "sleepMs", "2"), "alice"));
        Awaitility.await("job " + id + " makes progress")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> queue.find(id).orElseThrow().progressDone() > 0);
        queue.cancel(id, "bob");
        JobSummary done = await(queue, id);
        assertThat(done.state()).isEqualTo(JobState.CANCELLED);
        assertThat(done.progressDone()).isLessThan(100000);
    }

    @Test
    void embeddedJobsLeftRunningByADeadServerAreRequeuedAndRunAgain() throws Exception {
        // A job a previous server claimed and started, then died: RUNNING with no live worker. Inserted
        // and claimed in one transaction so that no live worker sees it queued.
        Instant now = Instant.now();
        Claim stale = tx.execute(s -> {
            long jobId = store.insert(
                    JobRequest.embedded("test-count", "orphan", Map.of("n", "2"), "alice"),
                    Executor.EMBEDDED,
                    null,
                    3,
                    now);
            return store.tryClaim(jobId, "embedded-of-dead-server", null, now).orElseThrow();
        });
        long id = stale.jobId();
        assertThat(store.markRunning(id, stale.token(), "embedded-of-dead-server", null, now))
                .isTrue();
        assertThat(executor.requeueOrphans("server restarted")).isGreaterThanOrEqualTo(1);
        JobSummary done = await(queue, id);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        // The dead server's attempt can no longer report.
        assertThat(store.finish(id, stale.token(), JobState.FAILED, null, "late", Instant.now()))
                .isFalse();
        assertThat(queue.find(id).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }
}
