package org.stainbench.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.accounts.TokenScope;
import org.stainbench.artifacts.ArtifactKeys;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.artifacts.StoredFiles;
import org.stainbench.jobs.agent.Protocol;
import org.stainbench.shell.Sha256;

/**
 * The server side of node agents: registration, heartbeats that extend leases, long-poll claims, and the
 * reports of a running attempt. A report counts only when its node holds the job and its attempt token is
 * the current one; anything else is a 409 (the agent stops the job) — a superseded attempt cannot
 * overwrite the outcome of the one that replaced it.
 */
@Service
class AgentService {

    static final String STALE = "This attempt no longer holds the job (its lease expired or it was superseded).";

    private final JobStore store;
    private final JdbcClient jdbc;
    private final JobLogs logs;
    private final JobEvents events;
    private final QueueSignal signal;
    private final JobsProperties properties;
    private final Clock clock;
    private final ArtifactStore artifacts;
    private final SlurmExecutor slurm;
    private final JobCredentials credentials;
    private final NodeRepository nodes;

    AgentService(
            JobStore store,
            JdbcClient jdbc,
            JobLogs logs,
            JobEvents events,
            QueueSignal signal,
            JobsProperties properties,
            Clock clock,
            ArtifactStore artifacts,
            SlurmExecutor slurm,
            JobCredentials credentials,
            NodeRepository nodes) {
        this.nodes = nodes;
        this.slurm = slurm;
        this.credentials = credentials;
        this.store = store;
        this.jdbc = jdbc;
        this.logs = logs;
        this.events = events;
        this.signal = signal;
        this.properties = properties;
        this.clock = clock;
        this.artifacts = artifacts;
    }

    Protocol.Registered register(long tokenId, Protocol.Registration r) {
        String name = r.name() == null ? "" : r.name().trim();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException("A node name is 1–128 letters, digits, '.', '_' or '-'.");
        }
        List<Protocol.Gpu> gpus = r.gpus() == null ? List.of() : r.gpus();
        long gpuMemory = gpus.stream().mapToLong(Protocol.Gpu::memoryMb).min().orElse(0);
        Instant now = clock.instant();
        Optional<NodeEntity> existing = nodes.findByName(name);
        NodeRow known = existing.map(NodeEntity::toRow).orElse(null);
        if (known != null && known.tokenId() != tokenId && online(known, now)) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT, "Node '" + name + "' is registered and online with another token.");
        }
        NodeEntity row;
        if (existing.isPresent()) {
            row = existing.get()
                    .register(
                            tokenId,
                            r.hostname(),
                            r.cpus(),
                            r.memoryMb(),
                            gpus.size(),
                            gpuMemory,
                            Json.write(gpus),
                            r.oneJob(),
                            r.version(),
                            now);
        } else {
            row = new NodeEntity(name, tokenId, now)
                    .register(
                            tokenId,
                            r.hostname() == null ? name : r.hostname(),
                            Math.max(1, r.cpus()),
                            Math.max(1, r.memoryMb()),
                            gpus.size(),
                            gpuMemory,
                            Json.write(gpus),
                            r.oneJob(),
                            r.version(),
                            now);
        }
        nodes.saveAndFlush(row);
        return new Protocol.Registered(
                name,
                properties.heartbeat().toMillis(),
                properties.lease().toMillis(),
                properties.pollWait().toMillis(),
                properties.cancelGrace().toMillis());
    }

    Optional<NodeRow> node(String name) {
        return nodes.findByName(name).map(NodeEntity::toRow);
    }

    List<NodeRow> nodes() {
        return nodes.findAllByOrderByNameAsc().stream().map(NodeEntity::toRow).toList();
    }

    boolean online(NodeRow node, Instant now) {
        return node.deregisteredAt() == null
                && node.lastHeartbeat().plus(properties.nodeOffline()).isAfter(now);
    }

    /** The node agent endpoints are for NODE-scope tokens only: the calling token's id, else 403. */
    long nodeToken(ApiPrincipal caller) {
        if (caller == null || caller.scope() != TokenScope.NODE) {
            throw new AccessDeniedException("Node agent endpoints need a NODE-scope token.");
        }
        return caller.tokenId();
    }

    /** The node of this name, if the calling token owns it. */
    NodeRow own(long tokenId, String name) {
        NodeRow node = node(name == null ? "" : name)
                .orElseThrow(() -> new IllegalArgumentException("No node named '" + name + "'; register first."));
        if (node.tokenId() != tokenId) {
            throw new AccessDeniedException("Node '" + name + "' belongs to another token.");
        }
        return node;
    }

    Protocol.HeartbeatReply heartbeat(long tokenId, String name, Protocol.Heartbeat beat) {
        NodeRow node = own(tokenId, name);
        Instant now = clock.instant();
        nodes.heartbeat(node.id(), now);
        Map<Long, String> reply = new LinkedHashMap<>();
        for (Protocol.Held held : beat.jobs() == null ? List.<Protocol.Held>of() : beat.jobs()) {
            Optional<JobRow> job = store.find(held.jobId());
            boolean holds = job.isPresent()
                    && node.name().equals(job.get().holder())
                    && held.token() != null
                    && held.token().equals(job.get().attemptToken())
                    && store.extendLease(held.jobId(), held.token(), now.plus(properties.lease()));
            reply.put(
                    held.jobId(),
                    !holds ? "lost" : job.get().cancelRequested() && agentMayStop(job.get()) ? "cancel" : "ok");
        }
        return new Protocol.HeartbeatReply(reply);
    }

    /** A Slurm-run job is cancelled by Slurm first (see {@link SlurmExecutor}); any other job by its agent at once. */
    private boolean agentMayStop(JobRow job) {
        return job.executor() != Executor.SLURM || slurm.agentMayStop(job);
    }

    /** Whether the node's agent deregistered (or the node is gone); read afresh on every round of a long poll. */
    private boolean deregistered(long nodeId) {
        return !nodes.existsByIdAndDeregisteredAtIsNull(nodeId);
    }

    /**
     * An agent shutting down: its node gets no further job (a long poll still open on the server claims nothing), a
     * job handed to it but not started goes back to the queue as if never claimed, and the job a standing agent was
     * running (it stopped the command) is re-queued at once instead of after the lease. Registering again undoes it.
     */
    void deregister(long tokenId, String name) {
        NodeRow node = own(tokenId, name);
        Instant now = clock.instant();
        nodes.deregister(node.id(), now);
        int n = 0;
        for (JobRow job : store.heldBy(node.name())) {
            if (job.state() == JobState.ASSIGNED && job.executor() == Executor.AGENT) {
                n += store.unclaim(job.id(), job.attemptToken(), node.name() + " deregistered before starting it", now)
                        ? 1
                        : 0;
            } else if (!node.oneJob()
                    && job.executor() == Executor.AGENT
                    && store.requeueOrLose(
                            job.id(),
                            job.attemptToken(),
                            node.name() + " deregistered (its agent shut down)",
                            now.plus(properties.backoffFor(job.attempt())),
                            now)) {
                events.finished(job.id());
                n++;
            }
        }
        if (n > 0) {
            signal.changed();
        }
    }

    /** Waits up to {@code waitMs} for a queued job this node can run and claims it. */
    Optional<Protocol.Assignment> poll(long tokenId, String name, long waitMs) throws InterruptedException {
        NodeRow node = own(tokenId, name);
        if (deregistered(node.id())) {
            throw new IllegalArgumentException("Node '" + name + "' is deregistered; register it again first.");
        }
        long deadline =
                System.nanoTime() + Math.min(waitMs, properties.pollWait().toMillis()) * 1_000_000L;
        while (true) {
            if (deregistered(node.id())) {
                return Optional.empty(); // the agent shut down while this poll waited
            }
            long seen = signal.version();
            Instant now = clock.instant();
            nodes.heartbeat(node.id(), now);
            List<Long> ids =
                    store.satisfiableIds(node.gpuCount(), node.gpuMemoryMb(), node.cpus(), node.memoryMb(), now, 32);
            // Nodes start at different places in the oldest few, so concurrent polls rarely race for one row.
            int start = ids.isEmpty() ? 0 : (int) (node.id() % Math.min(ids.size(), 8));
            for (int k = 0; k < ids.size(); k++) {
                long id = ids.get((start + k) % ids.size());
                Optional<Claim> claim = store.tryClaim(id, node.name(), now.plus(properties.lease()), now);
                if (claim.isPresent()) {
                    return Optional.of(assignment(store.find(id).orElseThrow(), claim.get()));
                }
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return Optional.empty();
            }
            signal.awaitChange(seen, Math.min(left, 1000));
        }
    }

    Protocol.Assignment assignment(JobRow job, Claim claim) {
        CommandSpec spec = CommandSpec.of(job.spec());
        if (spec == null) {
            spec = new CommandSpec("", Map.of(), List.of(), List.of(), null, null, null, null);
        }
        return new Protocol.Assignment(
                job.id(),
                claim.attempt(),
                claim.token(),
                job.title(),
                spec.command(),
                spec.environment(),
                spec.inputs(),
                spec.outputs(),
                job.resources().gpus(),
                job.resources().timeLimit().toSeconds(),
                properties.mlflowTrackingUri(),
                spec.mlflowRunId(),
                credentials.mint(claim.token()));
    }

    /** The job held by this node under this token, or 409. */
    JobRow held(long tokenId, String nodeName, long jobId, String token) {
        NodeRow node = own(tokenId, nodeName);
        JobRow job = store.find(jobId).orElseThrow(() -> new IllegalArgumentException("No job " + jobId + "."));
        if (!node.name().equals(job.holder())
                || token == null
                || !token.equals(job.attemptToken())
                || job.state().isFinal()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, STALE);
        }
        return job;
    }

    void start(long tokenId, long jobId, Protocol.Start start) {
        JobRow job = held(tokenId, start.node(), jobId, start.token());
        if (job.state() == JobState.RUNNING) {
            return;
        }
        Instant now = clock.instant();
        if (!store.markRunning(jobId, start.token(), start.node(), now.plus(properties.lease()), now)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, STALE);
        }
        logs.append(jobId, "--- attempt " + job.attempt() + " on " + start.node() + " at " + now);
    }

    /**
     * Slurm: the one-job agent inside the allocation takes over a SUBMITTED job with the attempt token
     * from its batch script, and becomes its holder.
     */
    Protocol.Assignment adopt(long tokenId, long jobId, Protocol.Start start) {
        NodeRow node = own(tokenId, start.node());
        JobRow job = store.find(jobId).orElseThrow(() -> new IllegalArgumentException("No job " + jobId + "."));
        if (job.executor() != Executor.SLURM
                || start.token() == null
                || !start.token().equals(job.attemptToken())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, STALE);
        }
        Instant now = clock.instant();
        if (job.state() != JobState.RUNNING) {
            if (!store.markRunning(jobId, start.token(), node.name(), now.plus(properties.lease()), now)) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, STALE);
            }
            logs.append(
                    jobId,
                    "--- attempt " + job.attempt() + " on " + node.name() + " (Slurm job " + job.externalId() + ") at "
                            + now);
        }
        return assignment(job, new Claim(jobId, job.attempt(), start.token()));
    }

    void log(long tokenId, long jobId, Protocol.LogChunk chunk) {
        held(tokenId, chunk.node(), jobId, chunk.token());
        // Chunks are numbered per attempt; a chunk re-sent after a lost reply is accepted once.
        if (store.advanceLogSeq(jobId, chunk.token(), chunk.seq())) {
            logs.append(jobId, chunk.text());
        }
    }

    void progress(long tokenId, long jobId, Protocol.Progress p) {
        held(tokenId, p.node(), jobId, p.token());
        if (!store.progress(jobId, p.token(), p.done(), p.total(), p.unit())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, STALE);
        }
    }

    void output(long tokenId, long jobId, String nodeName, String token, String name, InputStream body) {
        JobRow job = held(tokenId, nodeName, jobId, token);
        String clean = name == null ? "" : name.replace('\\', '/');
        if (clean.isBlank() || clean.startsWith("/") || clean.contains("..")) {
            throw new IllegalArgumentException("Bad output name '" + name + "'.");
        }
        // kept on the artifact store at jobs/<id>/attempt-<n>/<name> (the artifact folder's file before the store);
        // the row records that key
        String key = "jobs/" + jobId + "/attempt-" + job.attempt() + "/" + clean;
        try {
            ArtifactKeys.check(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Bad output name '" + name + "'.");
        }
        java.security.MessageDigest sha = Sha256.digest();
        long size;
        boolean existed;
        try (InputStream in = new java.security.DigestInputStream(body, sha)) {
            existed = artifacts.exists(key); // an earlier upload of the same name (its row stays)
            size = artifacts.put(key, in, -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            jdbc.sql(
                            """
                    insert into job_output (job_id, attempt, name, size_bytes, sha256, path, created_at)
                    values (?, ?, ?, ?, ?, ?, ?)""")
                    .params(jobId, job.attempt(), clean, size, Sha256.hex(sha), key, JobStore.ts(clock.instant()))
                    .update();
        } catch (RuntimeException e) {
            if (!existed) {
                StoredFiles.deleteQuietly(artifacts, key);
            }
            throw e;
        }
    }

    void finish(long tokenId, long jobId, Protocol.Finish f) {
        JobRow job = held(tokenId, f.node(), jobId, f.token());
        JobState state = f.cancelled() || (job.cancelRequested() && f.exitCode() != 0)
                ? JobState.CANCELLED
                : f.exitCode() == 0 ? JobState.SUCCEEDED : JobState.FAILED;
        String error = state == JobState.FAILED
                ? (f.error() == null ? "exit code " + f.exitCode() : f.error())
                : state == JobState.CANCELLED ? "cancelled" : null;
        if (!store.finish(jobId, f.token(), state, f.exitCode(), error, clock.instant())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, STALE);
        }
        logs.append(jobId, "--- " + state + " (exit code " + f.exitCode() + ") on " + f.node());
        events.finished(jobId);
        signal.changed();
    }

    /** A job output's bytes, by the key its row records; the caller closes the stream. */
    InputStream openOutput(String key) throws IOException {
        return artifacts.get(key);
    }

    /** A job output's size, empty when its object is gone. */
    java.util.OptionalLong outputSize(String key) throws IOException {
        return artifacts.size(key);
    }
}
