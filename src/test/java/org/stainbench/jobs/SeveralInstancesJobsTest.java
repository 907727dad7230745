package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.support.MutableClock;

/**
 * Issue 21, item 2: with {@code stainbench.jobs.several-instances} embedded jobs are safe when every instance runs
 * the start-up re-queue, the lease sweeper and the workers: a starting instance leaves the live attempts of the
 * others alone, any instance's sweeper takes back the attempt of an instance that died, and a running attempt keeps
 * its lease. The clock these components get starts an hour ahead of real time so that the context's own sweeper and
 * workers (one instance, system clock) never act on these rows.
 */
@SpringBootTest
@ActiveProfiles("test")
class SeveralInstancesJobsTest {

    static final Duration LEASE = Duration.ofSeconds(30);

    @Autowired
    JobStore store;

    @Autowired
    JobQueue queue;

    @Autowired
    JobLogs logs;

    @Autowired
    JobEvents events;

    @Autowired
    QueueSignal signal;

    @Autowired
    TransactionTemplate tx;

    final MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofHours(1)));
    final JobsProperties props = new JobsProperties(
            2,
            LEASE,
            Duration.ofSeconds(10),
            Duration.ofSeconds(5),
            3,
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            100_000,
            "",
            LEASE,
            Duration.ofHours(1));

    /** An embedded job claimed and started by {@code holder} with a lease until {@code leaseUntil}, never queued. */
    private Claim running(String holder, Instant leaseUntil) {
        Instant now = clock.instant();
        Claim c = tx.execute(s -> {
            long id = store.insert(
                    JobRequest.embedded("test-count", "several " + holder, Map.of("n", "2"), "alice"),
                    Executor.EMBEDDED,
                    null,
                    3,
                    now);
            return store.tryClaim(id, holder, leaseUntil, now).orElseThrow();
        });
        assertThat(store.markRunning(c.jobId(), c.token(), holder, leaseUntil, now))
                .isTrue();
        return c;
    }

    private JobRow row(Claim c) {
        return store.find(c.jobId()).orElseThrow();
    }

    private void cleanUp(Claim... claims) {
        for (Claim c : claims) {
            JobRow r = row(c);
            if (r.state() == JobState.QUEUED) {
                queue.cancel(c.jobId(), "test");
            } else if (r.attemptToken() != null) {
                store.finish(c.jobId(), r.attemptToken(), JobState.CANCELLED, null, "test over", clock.instant());
            }
        }
    }

    @Test
    void aStartingInstanceLeavesTheLiveJobsOfTheOthersAlone() {
        Instant future = clock.instant().plus(LEASE);
        Claim otherLive = running("node-b/embedded-1", future);
        Claim ownEarlierRun = running("node-a/embedded-2", future);
        Claim deadInstance = running("node-c/embedded-1", clock.instant().minusSeconds(1));
        Claim singleServer = running("embedded-1", null);
        EmbeddedExecutor a =
                new EmbeddedExecutor(store, queue, logs, events, signal, props, clock, new JobInstance(true, "node-a"));
        try {
            a.requeueOrphans("instance node-a started");

            assertThat(row(otherLive).state()).isEqualTo(JobState.RUNNING);
            assertThat(row(otherLive).attemptToken()).isEqualTo(otherLive.token());
            for (Claim c : new Claim[] {ownEarlierRun, deadInstance, singleServer}) {
                assertThat(row(c).state()).as("job %d", c.jobId()).isEqualTo(JobState.QUEUED);
                assertThat(store.finish(c.jobId(), c.token(), JobState.FAILED, null, "late", clock.instant()))
                        .isFalse();
            }
        } finally {
            cleanUp(otherLive, ownEarlierRun, deadInstance, singleServer);
        }
    }

    @Test
    void anySweeperTakesBackTheEmbeddedJobOfAnInstanceThatStoppedRenewingItsLease() {
        Claim dead = running("node-d/embedded-1", clock.instant().plusSeconds(10));
        Claim live = running("node-e/embedded-1", clock.instant().plusSeconds(10));
        EmbeddedExecutor e =
                new EmbeddedExecutor(store, queue, logs, events, signal, props, clock, new JobInstance(true, "node-e"));
        LeaseSweeper sweeperOfA =
                new LeaseSweeper(store, props, events, signal, clock, new JobInstance(true, "node-a"));
        LeaseSweeper sweeperOfB =
                new LeaseSweeper(store, props, events, signal, clock, new JobInstance(true, "node-b"));
        try {
            e.held.put(live.jobId(), live.token());
            clock.advance(Duration.ofSeconds(8));
            assertThat(e.renewLeases()).isEqualTo(1); // node-e's heartbeat: now + 30 s
            clock.advance(Duration.ofSeconds(5)); // node-d's lease ran out 3 s ago

            int a = sweeperOfA.sweep();
            int b = sweeperOfB.sweep(); // every instance sweeps: the job is taken back once
            assertThat(a + b).isGreaterThanOrEqualTo(1);
            assertThat(row(dead).state()).isEqualTo(JobState.QUEUED);
            assertThat(row(dead).attempt()).isEqualTo(1);
            assertThat(store.finish(dead.jobId(), dead.token(), JobState.SUCCEEDED, null, null, clock.instant()))
                    .isFalse();
            assertThat(row(live).state()).isEqualTo(JobState.RUNNING);
            assertThat(row(live).attemptToken()).isEqualTo(live.token());

            // one instance: embedded attempts hold no lease and the sweeper leaves them to the start-up re-queue
            Claim old = running("embedded-2", null);
            clock.advance(Duration.ofHours(2));
            new LeaseSweeper(store, props, events, signal, clock, new JobInstance(false, "x")).sweep();
            assertThat(row(old).state()).isEqualTo(JobState.RUNNING);
            cleanUp(old);
        } finally {
            cleanUp(dead, live);
        }
    }
}
