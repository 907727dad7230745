package org.stainbench.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code stainbench.jobs.*}: executor and lease settings.
 *
 * @param embeddedWorkers worker threads in the server for embedded jobs
 * @param lease how long a claim holds without a heartbeat before the sweeper takes the job back
 * @param heartbeat how often agents heartbeat (told to them when they register)
 * @param sweepInterval how often the sweeper looks for expired leases
 * @param maxAttempts attempts before a job whose holder keeps vanishing is marked LOST
 * @param backoff delay before the 2nd attempt; doubles with each further attempt
 * @param nodeOffline a node with no heartbeat for this long is shown offline and gets no work
 * @param pollWait how long an agent's poll for work waits on the server before answering "nothing"
 * @param cancelGrace time between SIGTERM and SIGKILL when a command job is cancelled
 * @param logMaxBytes size of one log file of a job; the log rotates to a single older file beyond it
 * @param mlflowTrackingUri given to command jobs as MLFLOW_TRACKING_URI (empty: the server's own URL + /mlflow)
 * @param startupGrace at start, every lease of a job held by an agent or Slurm is extended to at least now + this
 *        (never less than {@code lease}), before the sweeper first runs: agents that rode out a server outage keep
 *        their jobs
 * @param assignAck a job handed to an agent by a long poll must be acknowledged (started) within this time, or it
 *        goes back to the queue without using up an attempt (the poll's client was gone)
 */
@ConfigurationProperties("stainbench.jobs")
record JobsProperties(
        @DefaultValue("2") int embeddedWorkers,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("10s") Duration heartbeat,
        @DefaultValue("5s") Duration sweepInterval,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("10s") Duration backoff,
        @DefaultValue("60s") Duration nodeOffline,
        @DefaultValue("20s") Duration pollWait,
        @DefaultValue("10s") Duration cancelGrace,
        @DefaultValue("5000000") long logMaxBytes,
        @DefaultValue("") String mlflowTrackingUri,
        @DefaultValue("60s") Duration startupGrace,
        @DefaultValue("15s") Duration assignAck) {

    /** How far the start-up grace extends leases: at least one lease length. */
    Duration startupGraceOrLease() {
        return startupGrace == null || startupGrace.compareTo(lease) < 0 ? lease : startupGrace;
    }

    Duration backoffFor(int attemptJustFailed) {
        int shift = Math.max(0, Math.min(attemptJustFailed - 1, 16));
        return backoff.multipliedBy(1L << shift);
    }
}
