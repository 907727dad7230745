package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.server.ResponseStatusException;
import org.stainbench.jobs.agent.Protocol;
import org.stainbench.support.MutableClock;

/**
 * Leases, heartbeats, the sweeper, backoff, the retry limit and stale attempts, with a clock the test
 * moves. The clock starts an hour ahead of real time so the context's own sweeper (on the system clock)
 * never sees these leases expire.
 */
@SpringBootTest
@ActiveProfiles("test")
class LeasesTest {

    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration BACKOFF = Duration.ofSeconds(10);

    @Autowired
    JobStore store;

    @Autowired
    JobQueue queue;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JobLogs logs;

    @Autowired
    JobEvents events;

    @Autowired
    QueueSignal signal;

    @Autowired
    TestHandlers.Finished finished;

    @Autowired
    org.stainbench.artifacts.ArtifactStore artifacts;

    @Autowired
    SlurmExecutor slurm;

    @Autowired
    NodeRepository nodes;

    MutableClock clock;
    AgentService agents;
    LeaseSweeper sweeper;
    static int nodeCounter;
    String node;
    long tokenId;
    long memoryMb;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.now().plus(Duration.ofHours(1)));
        JobsProperties props = new JobsProperties(
                2,
                LEASE,
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                3,
                BACKOFF,
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                100_000,
                "",
                LEASE,
                Duration.ofHours(1));
        agents = new AgentService(
                store, jdbc, logs, events, signal, props, clock, artifacts, slurm, new JobCredentials(jdbc), nodes);
        sweeper = new LeaseSweeper(store, props, events, signal, clock, new JobInstance(false, "test"));
        node = "lease-node-" + (++nodeCounter);
        tokenId = 9000 + nodeCounter;
        // Each test's node has less memory than the previous one's jobs need, so it claims only its own test's job.
        memoryMb = 800 - nodeCounter;
        agents.register(tokenId, new Protocol.Registration(node, "h", 2, memoryMb, List.of(), false, "test"));
    }

    long submit() {
        return queue.submitCommand(
                CommandJob.shell("sleepy", "sleep 1", new Resources(0, 0, 2, memoryMb, Duration.ofHours(1)), "alice"));
    }

    Protocol.Assignment poll() throws InterruptedException {
        return agents.poll(tokenId, node, 0).orElse(null);
    }

    @Test
    void heartbeatsExtendTheLeaseAndTheSweeperRequeuesWithBackoffThenMarksLost() throws Exception {
        long id = submit();
        Protocol.Assignment first = poll();
        assertThat(first.jobId()).isEqualTo(id);
        assertThat(first.attempt()).isEqualTo(1);
        agents.start(tokenId, id, new Protocol.Start(node, first.token()));
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);

        // A heartbeat at +20 s moves the lease to +50 s: a sweep at +40 s leaves the job alone.
        clock.advance(Duration.ofSeconds(20));
        var beat =
                agents.heartbeat(tokenId, node, new Protocol.Heartbeat(List.of(new Protocol.Held(id, first.token()))));
        assertThat(beat.jobs()).containsEntry(id, "ok");
        clock.advance(Duration.ofSeconds(20));
        sweeper.sweep();
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);

        // The agent dies: no heartbeat. At +51 s the lease has run out; the job is queued again, not before +61 s.
        clock.advance(Duration.ofSeconds(11));
        assertThat(sweeper.sweep()).isPositive();
        JobRow requeued = store.find(id).orElseThrow();
        assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
        assertThat(requeued.notBefore())
                .isCloseTo(clock.instant().plus(BACKOFF), within(1, java.time.temporal.ChronoUnit.MILLIS));
        assertThat(poll()).as("nothing claimable during the backoff").isNull();
        clock.advance(BACKOFF);
        Protocol.Assignment second = poll();
        assertThat(second.jobId()).isEqualTo(id);
        assertThat(second.attempt()).isEqualTo(2);

        // The first attempt's late reports are refused: log, progress, finish; its heartbeat says "lost".
        assertThatThrownBy(() -> agents.finish(tokenId, id, new Protocol.Finish(node, first.token(), 0, null, false)))
                .isInstanceOf(ResponseStatusException.class)
                .hasMessageContaining("no longer holds");
        assertThatThrownBy(() -> agents.log(tokenId, id, new Protocol.LogChunk(node, first.token(), 1, "late")))
                .isInstanceOf(ResponseStatusException.class);
        assertThat(agents.heartbeat(
                                tokenId, node, new Protocol.Heartbeat(List.of(new Protocol.Held(id, first.token()))))
                        .jobs())
                .containsEntry(id, "lost");

        // The second attempt also vanishes: queued again, now with twice the backoff.
        clock.advance(LEASE.plusSeconds(1));
        assertThat(sweeper.sweep()).isPositive();
        assertThat(store.find(id).orElseThrow().notBefore())
                .isCloseTo(
                        clock.instant().plus(BACKOFF.multipliedBy(2)), within(1, java.time.temporal.ChronoUnit.MILLIS));
        clock.advance(BACKOFF);
        assertThat(poll()).isNull();
        clock.advance(BACKOFF);
        Protocol.Assignment third = poll();
        assertThat(third.attempt()).isEqualTo(3);

        // The third vanishes too: the retry limit (3 attempts) is used up, so the job is LOST.
        clock.advance(LEASE.plusSeconds(1));
        assertThat(sweeper.sweep()).isPositive();
        JobRow lost = store.find(id).orElseThrow();
        assertThat(lost.state()).isEqualTo(JobState.LOST);
        assertThat(lost.error()).contains("lease expired").contains("after 3 attempts");
        assertThat(finished.events).anySatisfy(e -> {
            assertThat(e.jobId()).isEqualTo(id);
            assertThat(e.state()).isEqualTo(JobState.LOST);
        });
        assertThat(jdbc.sql("select count(*) from job_attempt where job_id = ? and outcome = 'ABANDONED'")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
    }

    @Test
    void theCurrentAttemptReportsItsOutcomeOnceAndLogChunksAreNotDuplicated() throws Exception {
        long id = submit();
        Protocol.Assignment a = poll();
        agents.start(tokenId, id, new Protocol.Start(node, a.token()));
        agents.log(tokenId, id, new Protocol.LogChunk(node, a.token(), 1, "hello\n"));
        agents.log(tokenId, id, new Protocol.LogChunk(node, a.token(), 1, "hello\n")); // re-sent after a lost reply
        agents.log(tokenId, id, new Protocol.LogChunk(node, a.token(), 2, "world\n"));
        agents.finish(tokenId, id, new Protocol.Finish(node, a.token(), 0, null, false));
        JobRow done = store.find(id).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.exitCode()).isZero();
        assertThat(logs.tail(id, 10_000))
                .contains("--- attempt 1 on " + node, "hello\nworld\n")
                .containsOnlyOnce("hello");
        // A second finish (e.g. a retried request) is refused and changes nothing.
        assertThatThrownBy(() -> agents.finish(tokenId, id, new Protocol.Finish(node, a.token(), 1, "x", false)))
                .isInstanceOf(ResponseStatusException.class);
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aNodeCannotReportOnAJobItDoesNotHold() throws Exception {
        long id = submit();
        Protocol.Assignment a = poll();
        String other = node + "-other";
        agents.register(tokenId + 500, new Protocol.Registration(other, "h", 1, 1, List.of(), false, "test"));
        assertThatThrownBy(
                        () -> agents.finish(tokenId + 500, id, new Protocol.Finish(other, a.token(), 0, null, false)))
                .isInstanceOf(ResponseStatusException.class);
        // Nor speak for a node registered with another token.
        assertThatThrownBy(() -> agents.finish(tokenId + 500, id, new Protocol.Finish(node, a.token(), 0, null, false)))
                .isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.ASSIGNED);
        assertThat(queue.find(id).orElseThrow().state()).isEqualTo(JobState.ASSIGNED);
    }

    /**
     * Issue 15, item 11: after a server outage longer than the lease, the restarted server's sweeper does not take
     * back a job whose agent kept running it: at start every agent lease is extended by at least one lease length
     * before the first sweep. Without a heartbeat in that time the job is still taken back.
     */
    @Test
    void atStartTheSweeperGivesAgentsOneLeaseToReportBackBeforeItTakesJobsBack() throws Exception {
        long id = submit();
        Protocol.Assignment a = poll();
        agents.start(tokenId, id, new Protocol.Start(node, a.token()));
        // The server is down for longer than the lease: nobody sweeps, nobody heartbeats.
        clock.advance(LEASE.plusSeconds(23));
        JobsProperties props = new JobsProperties(
                2,
                LEASE,
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                3,
                BACKOFF,
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                100_000,
                "",
                Duration.ZERO,
                Duration.ofHours(1));
        LeaseSweeper restarted = new LeaseSweeper(store, props, events, signal, clock, new JobInstance(false, "test"));
        restarted.start();
        try {
            restarted.sweep();
            JobRow job = store.find(id).orElseThrow();
            assertThat(job.state())
                    .as("not taken back at once after the restart")
                    .isEqualTo(JobState.RUNNING);
            assertThat(job.leaseUntil())
                    .isAfterOrEqualTo(clock.instant().plus(LEASE).minusMillis(1));
            // The agent's heartbeat comes back within the grace: the job stays with it.
            clock.advance(LEASE.minusSeconds(1));
            assertThat(agents.heartbeat(
                                    tokenId, node, new Protocol.Heartbeat(List.of(new Protocol.Held(id, a.token()))))
                            .jobs())
                    .containsEntry(id, "ok");
            clock.advance(LEASE.minusSeconds(1));
            restarted.sweep();
            assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
            assertThat(store.find(id).orElseThrow().attempt()).isEqualTo(1);
            // Silent for a whole lease after that: taken back as usual.
            clock.advance(LEASE.plusSeconds(1));
            assertThat(restarted.sweep()).isPositive();
            assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        } finally {
            restarted.stop();
        }
    }

    /**
     * Issue 15, item 16: a job a long poll handed to an agent that never acknowledged it (the poll's client was
     * gone) goes back to the queue after stainbench.jobs.assign-ack, without using up an attempt.
     */
    @Test
    void anUnacknowledgedClaimGoesBackToTheQueueWithoutUsingAnAttempt() throws Exception {
        long id = submit();
        Protocol.Assignment a = poll();
        assertThat(a.attempt()).isEqualTo(1);
        JobsProperties props = new JobsProperties(
                2,
                LEASE,
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                3,
                BACKOFF,
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                100_000,
                "",
                Duration.ZERO,
                Duration.ofSeconds(5));
        LeaseSweeper acks = new LeaseSweeper(store, props, events, signal, clock, new JobInstance(false, "test"));
        clock.advance(Duration.ofSeconds(4));
        acks.sweep();
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.ASSIGNED);
        clock.advance(Duration.ofSeconds(2));
        acks.sweep();
        JobRow back = store.find(id).orElseThrow();
        assertThat(back.state()).isEqualTo(JobState.QUEUED);
        assertThat(back.attempt()).as("no attempt used up").isZero();
        assertThat(back.holder()).isNull();
        assertThat(back.notBefore()).as("no backoff").isNull();
        assertThatThrownBy(() -> agents.start(tokenId, id, new Protocol.Start(node, a.token())))
                .isInstanceOf(ResponseStatusException.class);
        Protocol.Assignment again = poll();
        assertThat(again.jobId()).isEqualTo(id);
        assertThat(again.attempt()).isEqualTo(1);
        agents.start(tokenId, id, new Protocol.Start(node, again.token()));
        clock.advance(Duration.ofSeconds(10));
        acks.sweep();
        assertThat(store.find(id).orElseThrow().state())
                .as("a started job is not touched")
                .isEqualTo(JobState.RUNNING);
        assertThat(jdbc.sql("select count(*) from job_attempt where job_id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }
}
