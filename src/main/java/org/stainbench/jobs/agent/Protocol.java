package org.stainbench.jobs.agent;

import java.util.List;
import java.util.Map;

/**
 * The JSON messages between a node agent and the server ({@code /api/nodes/**}, {@code /api/jobs/**}).
 * Shared by the server's controller and the agent so both sides read the same shapes.
 */
public final class Protocol {

    private Protocol() {}

    public record Gpu(int index, String name, long memoryMb, String uuid) {}

    public record Registration(
            String name, String hostname, int cpus, long memoryMb, List<Gpu> gpus, boolean oneJob, String version) {}

    public record Registered(String name, long heartbeatMs, long leaseMs, long pollWaitMs, long cancelGraceMs) {}

    public record Held(long jobId, String token) {}

    public record Heartbeat(List<Held> jobs) {}

    /** Per held job: {@code ok}, {@code cancel} (stop it) or {@code lost} (the lease is gone: stop it, report nothing). */
    public record HeartbeatReply(Map<Long, String> jobs) {}

    /**
     * A job handed to an agent: what to run and the attempt token every report must carry; {@code jobCredential}
     * is the attempt's own credential, given to the command as {@code MLFLOW_TRACKING_TOKEN}.
     */
    public record Assignment(
            long jobId,
            int attempt,
            String token,
            String title,
            String command,
            Map<String, String> environment,
            List<String> inputs,
            List<String> outputs,
            int gpus,
            long timeLimitSeconds,
            String mlflowTrackingUri,
            String mlflowRunId,
            String jobCredential) {}

    public record Start(String node, String token) {}

    public record LogChunk(String node, String token, long seq, String text) {}

    public record Progress(String node, String token, long done, long total, String unit) {}

    public record Finish(String node, String token, int exitCode, String error, boolean cancelled) {}
}
