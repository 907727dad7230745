package org.stainbench.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Worker threads inside the server that run embedded jobs. They claim through the same guarded UPDATE
 * as agents. On start the executor first re-queues embedded jobs left ASSIGNED/RUNNING by a server that
 * died (their handlers are re-runnable by contract).
 * <p>
 * With several instances on one database ({@link JobInstance}) an attempt holds a lease renewed every heartbeat
 * while it runs, the {@link LeaseSweeper} takes back the jobs of an instance that stopped renewing, and the start-up
 * re-queue leaves the live attempts of the other instances alone.
 */
@Component
class EmbeddedExecutor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedExecutor.class);
    private static final long PROGRESS_EVERY_MS = 500;
    private static final long CANCEL_CHECK_EVERY_MS = 500;

    private final JobStore store;
    private final JobQueue queue;
    private final JobLogs logs;
    private final JobEvents events;
    private final QueueSignal signal;
    private final JobsProperties properties;
    private final Clock clock;
    private final JobInstance instance;
    private final List<Thread> workers = new ArrayList<>();
    /** Attempts running here (job id → attempt token), whose leases the heartbeat renews. */
    final Map<Long, String> held = new java.util.concurrent.ConcurrentHashMap<>();

    private final Periodic heartbeat = new Periodic("embedded-lease-heartbeat", log);
    private volatile boolean running;

    EmbeddedExecutor(
            JobStore store,
            JobQueue queue,
            JobLogs logs,
            JobEvents events,
            QueueSignal signal,
            JobsProperties properties,
            Clock clock,
            JobInstance instance) {
        this.store = store;
        this.queue = queue;
        this.logs = logs;
        this.events = events;
        this.signal = signal;
        this.properties = properties;
        this.clock = clock;
        this.instance = instance;
    }

    @Override
    public void start() {
        int requeued = requeueOrphans("the server stopped while it ran");
        if (requeued > 0) {
            log.info("Re-queued {} embedded job(s) left running by a previous server", requeued);
        }
        running = true;
        if (instance.several()) {
            long every = Math.max(
                    100,
                    Math.min(
                            properties.heartbeat().toMillis(),
                            properties.lease().toMillis() / 3));
            heartbeat.start(Duration.ofMillis(every), this::renewLeases);
        }
        for (int i = 0; i < properties.embeddedWorkers(); i++) {
            String holder = instance.worker(i + 1);
            Thread t = new Thread(() -> loop(holder), "job-worker-" + (i + 1));
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    int requeueOrphans(String why) {
        int n = 0;
        Instant now = clock.instant();
        List<JobRow> orphans = instance.several()
                ? store.embeddedToRecover(now, instance.holderPrefix())
                : store.active(Executor.EMBEDDED);
        for (JobRow job : orphans) {
            if (store.requeueOrLose(job.id(), job.attemptToken(), why, now, now)) {
                n++;
                events.finished(job.id());
            }
        }
        if (n > 0) {
            signal.changed();
        }
        return n;
    }

    /** Several instances: extends the lease of every attempt running here by one lease length. */
    int renewLeases() {
        Instant until = clock.instant().plus(properties.lease());
        int n = 0;
        for (Map.Entry<Long, String> e : held.entrySet()) {
            if (store.extendLease(e.getKey(), e.getValue(), until)) {
                n++;
            } else if (held.containsKey(e.getKey())
                    && store.find(e.getKey())
                            .filter(j -> !j.state().isFinal() && !e.getValue().equals(j.attemptToken()))
                            .isPresent()) {
                // not merely finished a moment ago: the lease ran out (this instance stalled) and another took it
                log.warn(
                        "Embedded job {}: this attempt's lease was taken back (another instance re-queued it)",
                        e.getKey());
            }
        }
        return n;
    }

    private Instant leaseFrom(Instant now) {
        return instance.several() ? now.plus(properties.lease()) : null;
    }

    @Override
    public void stop() {
        running = false;
        heartbeat.stop();
        signal.bump();
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Thread t : workers) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop(String holder) {
        while (running) {
            try {
                long seen = signal.version();
                Optional<Claim> claim = claimNext(holder);
                if (claim.isPresent()) {
                    run(claim.get(), holder);
                } else {
                    signal.awaitChange(seen, 1000);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Embedded worker {}: {}", holder, e.toString());
                sleepQuietly(1000);
            }
        }
    }

    private Optional<Claim> claimNext(String holder) {
        Instant now = clock.instant();
        for (long id : store.queuedIds(Executor.EMBEDDED, now, 8)) {
            Optional<Claim> claim = store.tryClaim(id, holder, leaseFrom(now), now);
            if (claim.isPresent()) {
                return claim;
            }
        }
        return Optional.empty();
    }

    private void run(Claim claim, String holder) {
        long id = claim.jobId();
        JobRow job = store.find(id).orElseThrow();
        Instant started = clock.instant();
        if (!store.markRunning(id, claim.token(), holder, leaseFrom(started), started)) {
            return;
        }
        held.put(id, claim.token());
        try {
            run(claim, holder, job);
        } finally {
            held.remove(id, claim.token());
        }
    }

    private void run(Claim claim, String holder, JobRow job) {
        long id = claim.jobId();
        Optional<JobHandler> handler = queue.handler(job.type());
        if (handler.isEmpty()) {
            finish(claim, JobState.FAILED, "No handler for job type '" + job.type() + "' in this server.");
            return;
        }
        Context context = new Context(claim, job.params());
        logs.append(id, "--- attempt " + claim.attempt() + " on " + holder + " at " + clock.instant());
        try {
            handler.get().run(context);
            context.flushProgress();
            finish(
                    claim,
                    context.isCancelled() ? JobState.CANCELLED : JobState.SUCCEEDED,
                    context.isCancelled() ? "cancelled" : null);
        } catch (Exception | Error e) {
            if (!running) {
                // Server shutting down: leave the job to be re-queued on the next start.
                return;
            }
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            logs.append(id, trace.toString());
            String message = e.getMessage() == null || e.getMessage().isBlank()
                    ? e.getClass().getSimpleName()
                    : e.getMessage();
            finish(claim, context.isCancelled() ? JobState.CANCELLED : JobState.FAILED, message);
        }
    }

    private void finish(Claim claim, JobState state, String error) {
        if (store.finish(claim.jobId(), claim.token(), state, null, error, clock.instant())) {
            logs.append(claim.jobId(), "--- " + state + (error == null ? "" : ": " + error));
            events.finished(claim.jobId());
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Context implements JobContext {

        private final Claim claim;
        private final Map<String, String> params;
        private long lastProgressWrite;
        private long lastCancelCheck;
        private boolean cancelled;
        private long[] pending;
        private String pendingUnit;

        Context(Claim claim, Map<String, String> params) {
            this.claim = claim;
            this.params = params;
        }

        @Override
        public long jobId() {
            return claim.jobId();
        }

        @Override
        public int attempt() {
            return claim.attempt();
        }

        @Override
        public Map<String, String> params() {
            return params;
        }

        @Override
        public synchronized void progress(long done, long total, String unit) {
            pending = new long[] {done, total};
            pendingUnit = unit;
            long now = System.currentTimeMillis();
            if (now - lastProgressWrite >= PROGRESS_EVERY_MS || (total > 0 && done >= total)) {
                flushProgress();
                lastProgressWrite = now;
            }
        }

        synchronized void flushProgress() {
            if (pending != null) {
                store.progress(
                        claim.jobId(),
                        claim.token(),
                        pending[0],
                        pending[1],
                        pendingUnit == null ? null : pendingUnit.substring(0, Math.min(32, pendingUnit.length())));
                pending = null;
            }
        }

        @Override
        public void log(String line) {
            logs.append(claim.jobId(), line);
        }

        @Override
        public synchronized boolean isCancelled() {
            if (cancelled) {
                return true;
            }
            long now = System.currentTimeMillis();
            if (now - lastCancelCheck >= CANCEL_CHECK_EVERY_MS) {
                lastCancelCheck = now;
                cancelled =
                        store.find(claim.jobId()).map(JobRow::cancelRequested).orElse(true);
            }
            return cancelled;
        }
    }
}
