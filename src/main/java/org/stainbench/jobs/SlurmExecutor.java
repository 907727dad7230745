package org.stainbench.jobs;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.stainbench.accounts.Accounts;

/**
 * Runs SLURM jobs: claims a queued job (QUEUED → SUBMITTED, same guarded UPDATE), submits a batch script
 * that starts the agent in one-job mode, and follows the Slurm job. The state lives in this application:
 * the one-job agent reports start, log, progress, outputs and exit code like any agent; when Slurm says a
 * job ended and no report came (killed at its time limit, failed before the agent started), the job ends
 * here with Slurm's state. Cancel: the Slurm job is cancelled ({@code scancel}) first, and only then is the agent
 * told by heartbeat, so that Slurm's accounting says CANCELLED (an agent that stopped its command first would
 * exit non-zero and Slurm would record FAILED); when {@code scancel} does not go through within
 * {@link #AGENT_CANCEL_FALLBACK}, the agent is told anyway.
 * <p>
 * Several instances on one database each run this poll: a queued job is submitted by the one whose guarded UPDATE
 * (QUEUED → SUBMITTED) wins, a job Slurm reports ended is finished by the guarded UPDATE on its attempt token (the
 * other instance's finish changes nothing), {@code scancel} of a cancelled job may be sent twice (Slurm ignores the
 * second), and each instance revokes only its own earlier agent tokens ({@link #tokenPrefix()}).
 */
@Component
class SlurmExecutor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SlurmExecutor.class);
    /** How long a job Slurm reports ended may wait for its agent's own final report. */
    private static final long REPORT_GRACE_MS = 5000;
    /** How long a cancelled attempt waits for {@code scancel} before its agent is told to stop by itself. */
    static final Duration AGENT_CANCEL_FALLBACK = Duration.ofSeconds(30);

    private final SlurmProperties props;
    private final SlurmGateway gateway;
    private final JobStore store;
    private final JobLogs logs;
    private final JobEvents events;
    private final QueueSignal signal;
    private final Accounts accounts;
    private final Clock clock;
    private final String dataDir;
    private final int serverPort;
    private final Map<Long, Long> endedSeenAt = new ConcurrentHashMap<>();
    /** Attempt tokens whose Slurm job Slurm has accepted to cancel. */
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    /** Attempt token → first {@code scancel} try. */
    private final Map<String, Instant> cancelTried = new ConcurrentHashMap<>();
    /** Name of the NODE token this server issues for its one-job agents (with the time after it). */
    static final String TOKEN_NAME = "slurm one-job agents";

    private volatile String issuedToken;
    /** When this server started: one-job agent tokens issued before belong to earlier starts. */
    private final Instant since;

    private volatile boolean earlierTokensRevoked;
    private final Periodic timer = new Periodic("slurm-executor", log);
    private final JobInstance instance;

    SlurmExecutor(
            SlurmProperties props,
            SlurmGateway gateway,
            JobStore store,
            JobLogs logs,
            JobEvents events,
            QueueSignal signal,
            Accounts accounts,
            Clock clock,
            @Value("${stainbench.data-dir}") String dataDir,
            @Value("${server.port:8080}") int serverPort,
            JobInstance instance) {
        this.props = props;
        this.gateway = gateway;
        this.store = store;
        this.logs = logs;
        this.events = events;
        this.signal = signal;
        this.accounts = accounts;
        this.clock = clock;
        this.dataDir = dataDir;
        this.serverPort = serverPort;
        this.since = clock.instant();
        this.instance = instance;
    }

    /**
     * The name prefix of the one-job agent tokens this server issues. With several instances it names the instance,
     * so that one instance's start never revokes the tokens another live instance gave its agents (with a stable
     * {@code stainbench.jobs.instance-id} a restarted instance still revokes those of its own earlier starts).
     */
    String tokenPrefix() {
        return TOKEN_NAME + " (" + (instance.several() ? instance.id() + ", " : "");
    }

    private int port = -1;

    /** The web server's actual port (tests run on a random one). */
    @org.springframework.context.event.EventListener
    void onWebServer(org.springframework.boot.web.server.context.WebServerInitializedEvent e) {
        port = e.getWebServer().getPort();
    }

    /** One round: submit what is queued, follow what is submitted or running. */
    synchronized void tick() {
        for (long id : store.queuedIds(Executor.SLURM, clock.instant(), 20)) {
            // A job back in the queue after a lost lease may still have its old Slurm job: cancel that first.
            store.find(id).map(JobRow::externalId).ifPresent(old -> {
                try {
                    gateway.cancel(old);
                } catch (RuntimeException e) {
                    log.debug("Old Slurm job {} of job {} not cancelled: {}", old, id, e.getMessage());
                }
            });
            store.trySubmit(id, "slurm", clock.instant()).ifPresent(this::submit);
        }
        List<JobRow> active = store.active(Executor.SLURM);
        for (JobRow job : active) {
            follow(job);
        }
        revokeEarlierTokens(active);
    }

    /**
     * Revokes the one-job agent tokens issued at earlier starts of this server, once no Slurm job submitted
     * before this start (whose agent holds such a token) is still active.
     */
    void revokeEarlierTokens(List<JobRow> active) {
        if (earlierTokensRevoked
                || active.stream()
                        .anyMatch(j -> j.assignedAt() == null || j.assignedAt().isBefore(since))) {
            return;
        }
        int n = accounts.revokeNodeTokens(tokenPrefix(), since);
        if (n > 0) {
            log.info("Revoked {} one-job agent token(s) issued at earlier starts", n);
        }
        earlierTokensRevoked = true;
    }

    private void submit(Claim claim) {
        JobRow job = store.find(claim.jobId()).orElseThrow();
        try {
            String workdir = workdir().toAbsolutePath().toString();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
            env.put("STAINBENCH_NODE_TOKEN", token());
            env.put("STAINBENCH_ATTEMPT_TOKEN", claim.token());
            SlurmSubmission s = SlurmSubmission.of(job, props, java(), jar(), serverUrl(), workdir, env);
            String slurmId = gateway.submit(s);
            store.setExternalId(job.id(), claim.token(), slurmId);
            store.event(
                    job.id(),
                    JobState.SUBMITTED,
                    claim.attempt(),
                    "Slurm job " + slurmId + " (" + props.mode().name().toLowerCase() + ")",
                    clock.instant());
            logs.append(job.id(), "--- attempt " + claim.attempt() + " submitted to Slurm as job " + slurmId);
        } catch (RuntimeException e) {
            log.warn("Slurm submission of job {} failed: {}", job.id(), e.getMessage());
            if (store.finish(
                    job.id(),
                    claim.token(),
                    JobState.FAILED,
                    null,
                    "Slurm submission failed: " + e.getMessage(),
                    clock.instant())) {
                events.finished(job.id());
            }
        }
    }

    private void follow(JobRow job) {
        if (job.externalId() == null || job.attemptToken() == null) {
            return;
        }
        String slurmId = job.externalId();
        if (job.cancelRequested() && !cancelled.contains(job.attemptToken())) {
            cancelTried.putIfAbsent(job.attemptToken(), clock.instant());
            try {
                gateway.cancel(slurmId);
                cancelled.add(job.attemptToken());
                store.event(
                        job.id(), job.state(), job.attempt(), "Slurm job " + slurmId + " cancelled", clock.instant());
            } catch (RuntimeException e) {
                log.warn("Cancelling Slurm job {} failed: {}", slurmId, e.getMessage());
            }
        }
        SlurmGateway.Status status;
        try {
            status = gateway.status(slurmId);
        } catch (RuntimeException e) {
            log.warn("Cannot read Slurm job {}: {}", slurmId, e.getMessage());
            return;
        }
        if (!status.isFinal()) {
            endedSeenAt.remove(job.id());
            return;
        }
        long now = System.currentTimeMillis();
        long seen = endedSeenAt.computeIfAbsent(job.id(), k -> now);
        if (now - seen < REPORT_GRACE_MS) {
            return; // the agent's own final report may still be on its way
        }
        endedSeenAt.remove(job.id());
        cancelled.remove(job.attemptToken());
        cancelTried.remove(job.attemptToken());
        String state = status.state() == null ? "gone from Slurm" : status.state();
        JobState to =
                job.cancelRequested() || "CANCELLED".equals(status.state()) ? JobState.CANCELLED : JobState.FAILED;
        String error = "Slurm job " + slurmId + " ended (" + state
                + (status.exitCode() == null ? "" : ", exit code " + status.exitCode())
                + ") without a report from its agent";
        if (store.finish(job.id(), job.attemptToken(), to, status.exitCode(), error, clock.instant())) {
            logs.append(job.id(), "--- " + to + ": " + error);
            events.finished(job.id());
        }
    }

    /**
     * Whether the agent running this cancelled attempt may be told to stop its command: once Slurm took the
     * {@code scancel}, when this server does not drive Slurm, or when {@code scancel} has failed for
     * {@link #AGENT_CANCEL_FALLBACK}.
     */
    boolean agentMayStop(JobRow job) {
        if (props.mode() == SlurmProperties.Mode.NONE
                || job.attemptToken() == null
                || cancelled.contains(job.attemptToken())) {
            return true;
        }
        Instant tried = cancelTried.get(job.attemptToken());
        return tried != null && !clock.instant().isBefore(tried.plus(AGENT_CANCEL_FALLBACK));
    }

    Path workdir() {
        return Path.of(props.workdir().isBlank() ? dataDir + "/slurm" : props.workdir());
    }

    private String serverUrl() {
        if (!props.serverUrl().isBlank()) {
            return props.serverUrl();
        }
        return "http://127.0.0.1:" + (port > 0 ? port : serverPort);
    }

    private String java() {
        return props.java().isBlank() ? ProcessHandle.current().info().command().orElse("java") : props.java();
    }

    private String jar() {
        if (!props.agentJar().isBlank()) {
            return Path.of(props.agentJar()).toAbsolutePath().toString();
        }
        String cp = System.getProperty("java.class.path", "");
        if (cp.endsWith(".jar") && !cp.contains(java.io.File.pathSeparator)) {
            return Path.of(cp).toAbsolutePath().toString();
        }
        throw new IllegalStateException("Set stainbench.slurm.agent-jar: this server does not run from a jar");
    }

    private String token() {
        if (!props.agentToken().isBlank()) {
            return props.agentToken();
        }
        if (issuedToken == null) {
            synchronized (this) {
                if (issuedToken == null) {
                    issuedToken = accounts.issueNodeToken(tokenPrefix() + clock.instant() + ")", props.tokenOwner());
                }
            }
        }
        return issuedToken;
    }

    @Override
    public void start() {
        if (props.mode() != SlurmProperties.Mode.NONE) {
            timer.start(Duration.ofMillis(Math.max(200, props.pollInterval().toMillis())), this::tick);
        }
    }

    @Override
    public void stop() {
        timer.stop();
    }

    @Override
    public boolean isRunning() {
        return timer.isRunning();
    }

    Optional<SlurmGateway.Status> slurmStatus(JobRow job) {
        return job.externalId() == null ? Optional.empty() : Optional.of(gateway.status(job.externalId()));
    }

    @Configuration(proxyBeanMethods = false)
    static class Gateways {

        @Bean
        SlurmGateway slurmGateway(SlurmProperties props) {
            return switch (props.mode()) {
                case CLI -> new SlurmCli();
                case REST -> new SlurmRest(props);
                case NONE -> new SlurmGateway() {
                    @Override
                    public String submit(SlurmSubmission s) {
                        throw new IllegalStateException("No Slurm cluster is configured (stainbench.slurm.mode)");
                    }

                    @Override
                    public Status status(String id) {
                        return new Status(null, null);
                    }

                    @Override
                    public void cancel(String id) {}

                    @Override
                    public List<SlurmClusters.Partition> partitions() {
                        return List.of();
                    }
                };
            };
        }
    }
}
