package org.stainbench.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Takes back jobs whose holder stopped heartbeating: back to the queue with a growing backoff
 * ({@code backoff × 2^(attempt-1)}), or LOST once the job used its attempts. The old attempt token
 * stops working at that moment, so a late report from the vanished holder is refused.
 * <p>
 * Also: a job an agent's long poll claimed but the agent never acknowledged (started) within
 * {@code stainbench.jobs.assign-ack} goes back to the queue without using up an attempt; and at start, before the
 * first sweep, every agent/Slurm lease is extended to at least one lease length from now
 * ({@code stainbench.jobs.startup-grace}): agents that kept running through a server outage get time to heartbeat.
 * <p>
 * Every instance runs the sweeper when several share the database ({@link JobInstance}): each take-back is the
 * guarded UPDATE on the attempt token, so of two sweepers only one re-queues a job (the other's row count is 0); with
 * several instances it also takes back embedded attempts whose instance stopped renewing their lease.
 */
@Component
class LeaseSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);

    private final JobStore store;
    private final JobsProperties properties;
    private final JobEvents events;
    private final QueueSignal signal;
    private final Clock clock;
    private final JobInstance instance;
    private final Periodic timer = new Periodic("job-lease-sweeper", log);

    LeaseSweeper(
            JobStore store,
            JobsProperties properties,
            JobEvents events,
            QueueSignal signal,
            Clock clock,
            JobInstance instance) {
        this.store = store;
        this.properties = properties;
        this.events = events;
        this.signal = signal;
        this.clock = clock;
        this.instance = instance;
    }

    /** One sweep at the clock's current time; returns how many jobs it took back. */
    int sweep() {
        Instant now = clock.instant();
        int n = 0;
        List<JobRow> expired = new ArrayList<>(store.expired(now));
        if (instance.several()) {
            // an embedded attempt of an instance that died (its heartbeat renews the lease while it lives)
            expired.addAll(store.expiredEmbedded(now));
        }
        for (JobRow job : expired) {
            String why = "lease expired: " + job.holder() + " sent no heartbeat since "
                    + job.leaseUntil().minus(properties.lease());
            if (store.requeueOrLose(
                    job.id(), job.attemptToken(), why, now.plus(properties.backoffFor(job.attempt())), now)) {
                n++;
                events.finished(job.id());
            }
        }
        if (properties.assignAck() != null && !properties.assignAck().isZero()) {
            for (JobRow job : store.unacknowledged(now.minus(properties.assignAck()))) {
                if (store.unclaim(
                        job.id(),
                        job.attemptToken(),
                        job.holder() + " did not acknowledge the assignment" + " within "
                                + properties.assignAck().toMillis() + " ms; back in the queue",
                        now)) {
                    n++;
                }
            }
        }
        if (n > 0) {
            signal.changed();
            // the backoff delays the next claim: wake pollers again once it has passed
        }
        return n;
    }

    /** Extends the leases of agent/Slurm jobs to now + the start-up grace; returns how many it extended. */
    int grantStartupGrace() {
        int n = store.extendLeasesTo(clock.instant().plus(properties.startupGraceOrLease()));
        if (n > 0) {
            log.info(
                    "Start-up grace: {} job lease(s) extended by {} s so their agents can report back",
                    n,
                    properties.startupGraceOrLease().toSeconds());
        }
        return n;
    }

    @Override
    public void start() {
        grantStartupGrace();
        timer.start(Duration.ofMillis(Math.max(100, properties.sweepInterval().toMillis())), () -> {
            sweep();
            signal.bump();
        });
    }

    @Override
    public void stop() {
        timer.stop();
    }

    @Override
    public boolean isRunning() {
        return timer.isRunning();
    }
}
