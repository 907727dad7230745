package org.stainbench.jobs.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node agent: registers the machine, heartbeats, long-polls for a job it can run, runs it as
 * {@code bash -c COMMAND} in its own work folder, streams its output, uploads declared outputs and reports
 * the exit code. Plain Java (java.net.http + Jackson), no Spring. While the server is unreachable the job
 * keeps running; log chunks wait in memory (bounded) and every report is retried with backoff until the
 * server answers — or answers that the attempt is stale (409), which stops the job.
 * <p>
 * The command runs in its own session and process group ({@code setsid}) under a small bash wrapper that gets a
 * parent-death signal ({@code setpriv --pdeathsig}): when the agent dies, even by SIGKILL, the wrapper kills the
 * whole group, so a job never outlives its agent (and never runs beside its re-queued next attempt). Cancel and the
 * time limit signal the whole group. The command's environment never holds the NODE token: {@code
 * STAINBENCH_NODE_TOKEN}, {@code STAINBENCH_ATTEMPT_TOKEN} and any variable carrying the token are removed, and
 * {@code MLFLOW_TRACKING_TOKEN} is the attempt's own credential. On SIGTERM a standing agent stops its command and
 * deregisters its node, so no further job is handed to it.
 */
public final class Agent {

    /** In-memory log kept while the server is unreachable; beyond it the oldest unsent text is dropped. */
    static final int MAX_BUFFERED_CHARS = 8 << 20;

    static final int CHUNK_CHARS = 64 << 10;
    /** A command reports progress by printing e.g. {@code ##stainbench progress 120/5000 tiles}. */
    static final java.util.regex.Pattern PROGRESS =
            java.util.regex.Pattern.compile("(?m)^##stainbench progress (\\d+)/(\\d+)(?: (\\S{1,32}))?\\s*$");

    public record Options(String server, String token, Path workdir, String name, Long oneJob, String attemptToken) {}

    /** Variables the command never inherits from the agent. */
    static final List<String> SECRET_VARIABLES =
            List.of("STAINBENCH_NODE_TOKEN", "STAINBENCH_ATTEMPT_TOKEN", "MLFLOW_TRACKING_TOKEN", "STAINBENCH_TOKEN");

    /** Parent-death signal of the wrapper; on it, the wrapper kills the command's whole process group. */
    static final String DEATH_SIGNAL = "USR2";

    /**
     * The wrapper between the agent and the command ({@code $1}: the agent's pid, {@code $2}: the command). It runs as
     * the leader of a new session and process group, with the parent-death signal armed by {@code setpriv}. If the
     * agent died before the signal was armed, it starts nothing. It passes TERM/INT on to the command (the group
     * gets them anyway) and keeps waiting, and exits with the command's status.
     */
    static final String WRAPPER = String.join(
            "\n",
            "if [ \"$PPID\" != \"$1\" ]; then echo '[agent] the agent is gone; not starting the job' >&2; exit 137; fi",
            "trap 'kill -KILL 0' " + DEATH_SIGNAL,
            "trap ':' TERM INT",
            "bash -c \"$2\" &",
            "c=$!",
            "while :; do",
            "  wait \"$c\"; s=$?",
            "  if ! kill -0 \"$c\" 2>/dev/null; then wait \"$c\" 2>/dev/null; s2=$?; [ \"$s2\" = 127 ] || s=$s2; exit \"$s\"; fi",
            "done");

    private final Options options;
    private final AgentHttp http;
    private volatile Protocol.Registered registered;
    private volatile RunningJob current;
    private volatile boolean stopping;

    public Agent(Options options) {
        this.options = options;
        this.http = new AgentHttp(options.server(), options.token());
    }

    static void log(String message) {
        System.err.println(Instant.now() + " agent: " + message);
    }

    /** Runs until stopped (standing agent) or until the one job ends; returns the process exit code. */
    public int run() throws Exception {
        Files.createDirectories(options.workdir());
        Protocol.Registration registration = describe();
        registered = retry(
                "register",
                () -> http.post(
                        "/api/nodes/register", registration, Protocol.Registered.class, Duration.ofSeconds(30)));
        log("registered as " + registered.name() + " with "
                + registration.gpus().size() + " GPU(s), " + registration.cpus() + " CPUs, " + registration.memoryMb()
                + " MB");
        Thread heartbeats = new Thread(this::heartbeatLoop, "agent-heartbeat");
        heartbeats.setDaemon(true);
        heartbeats.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "agent-shutdown"));
        if (options.oneJob() != null) {
            Protocol.Start adopt = new Protocol.Start(registered.name(), options.attemptToken());
            Protocol.Assignment a;
            try {
                a = retry(
                        "adopt",
                        () -> http.post(
                                "/api/jobs/" + options.oneJob() + "/adopt",
                                adopt,
                                Protocol.Assignment.class,
                                Duration.ofSeconds(30)));
            } catch (AgentHttp.Stale e) {
                log("job " + options.oneJob() + " is not ours to run: " + e.getMessage());
                return 3;
            }
            return runJob(a, false);
        }
        while (!stopping) {
            Protocol.Assignment a;
            try {
                a = retry(
                        "poll",
                        () -> http.post(
                                "/api/nodes/" + registered.name() + "/poll?waitMs=" + registered.pollWaitMs(),
                                Map.of(),
                                Protocol.Assignment.class,
                                Duration.ofMillis(registered.pollWaitMs() + 15_000)));
            } catch (AgentHttp.Stale e) {
                continue;
            }
            if (a != null) {
                runJob(a, true);
            }
        }
        return 0;
    }

    /**
     * SIGTERM (or another orderly JVM exit): stop taking work, stop the running command (its attempt is abandoned,
     * not reported: the server re-queues it) and, for a standing agent, deregister the node so that no long poll
     * still open on the server can hand it another job.
     */
    void shutdown() {
        stopping = true;
        RunningJob job = current;
        if (job != null) {
            job.leaseLost("the agent is shutting down");
        }
        Protocol.Registered r = registered;
        if (r != null && options.oneJob() == null) {
            try {
                http.post("/api/nodes/" + r.name() + "/deregister", Map.of(), Void.class, Duration.ofSeconds(5));
                log("deregistered " + r.name());
            } catch (Exception e) {
                log("could not deregister " + r.name() + ": " + e.getMessage());
            }
        }
    }

    Protocol.Registration describe() {
        String host = System.getenv("HOSTNAME");
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            // keep $HOSTNAME
        }
        if (host == null || host.isBlank()) {
            host = "node";
        }
        String name = options.name() != null
                ? options.name()
                : options.oneJob() != null ? host + "-job" + options.oneJob() : host;
        long memoryMb = 1024;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memoryMb = os.getTotalMemorySize() / (1024 * 1024);
        }
        String version = Agent.class.getPackage().getImplementationVersion();
        return new Protocol.Registration(
                name.replaceAll("[^A-Za-z0-9._-]", "-"),
                host,
                Runtime.getRuntime().availableProcessors(),
                memoryMb,
                GpuDiscovery.discover(),
                options.oneJob() != null,
                version == null ? "dev" : version);
    }

    private void heartbeatLoop() {
        while (!stopping) {
            try {
                Thread.sleep(registered.heartbeatMs());
                RunningJob job = current;
                List<Protocol.Held> held = job == null
                        ? List.of()
                        : List.of(new Protocol.Held(job.assignment.jobId(), job.assignment.token()));
                Protocol.HeartbeatReply reply = http.post(
                        "/api/nodes/" + registered.name() + "/heartbeat",
                        new Protocol.Heartbeat(held),
                        Protocol.HeartbeatReply.class,
                        Duration.ofSeconds(15));
                if (job != null && reply != null && reply.jobs() != null) {
                    String status = reply.jobs().get(job.assignment.jobId());
                    if ("cancel".equals(status)) {
                        job.cancel();
                    } else if ("lost".equals(status)) {
                        job.leaseLost("the server says the lease is lost");
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log("heartbeat failed (" + e.getMessage() + "); the job keeps running");
            }
        }
    }

    @FunctionalInterface
    interface Call<T> {
        T call() throws IOException, InterruptedException, AgentHttp.Stale;
    }

    /** Retries transport failures and 5xx with exponential backoff (0.5 s … 15 s) until the server answers. */
    <T> T retry(String what, Call<T> call) throws InterruptedException, AgentHttp.Stale {
        long delay = 500;
        while (true) {
            try {
                return call.call();
            } catch (IOException e) {
                log(what + " failed (" + e.getMessage() + "); retrying in " + delay + " ms");
                Thread.sleep(delay);
                delay = Math.min(delay * 2, 15_000);
            }
        }
    }

    private int runJob(Protocol.Assignment a, boolean standing) throws Exception {
        Path folder = options.workdir().resolve("jobs").resolve(a.jobId() + "-attempt" + a.attempt());
        Files.createDirectories(folder);
        RunningJob job = new RunningJob(a, folder);
        Protocol.Start start = new Protocol.Start(registered.name(), a.token());
        try {
            if (options.oneJob() == null) {
                retry(
                        "start",
                        () -> http.post(
                                "/api/jobs/" + a.jobId() + "/start", start, Void.class, Duration.ofSeconds(30)));
            }
        } catch (AgentHttp.Stale e) {
            log("job " + a.jobId() + " was taken back before it started");
            return 3;
        }
        current = job;
        try {
            return job.run();
        } finally {
            current = null;
        }
    }

    /** The jar this agent runs from, when it runs from one. */
    static java.util.Optional<String> ownJar() {
        try {
            var source = Agent.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return java.util.Optional.empty();
            }
            String location = source.getLocation().toString();
            // a Spring Boot fat jar reports "jar:nested:/path/app.jar/!BOOT-INF/classes/!/" (or file:/path/app.jar)
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:jar:)?(?:nested:|file:)(/[^!]*?\\.jar)")
                    .matcher(location);
            return m.find()
                    ? java.util.Optional.of(java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8))
                    : java.util.Optional.empty();
        } catch (SecurityException e) {
            return java.util.Optional.empty();
        }
    }

    /** One job's process, its log shipping and its reports. */
    final class RunningJob {

        final Protocol.Assignment assignment;
        final Path folder;
        private final StringBuilder pending = new StringBuilder();
        private long seq;
        private volatile Process process;
        private volatile boolean cancelled;
        private volatile String lostReason;
        private volatile boolean ended;
        private volatile Protocol.Progress progress;
        private Protocol.Progress sentProgress;

        RunningJob(Protocol.Assignment assignment, Path folder) {
            this.assignment = assignment;
            this.folder = folder;
        }

        int run() throws Exception {
            long id = assignment.jobId();
            ProcessBuilder pb = new ProcessBuilder(commandLine(assignment.command()))
                    .directory(folder.toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            scrub(env, options.token());
            env.putAll(assignment.environment());
            scrub(env, options.token());
            if (assignment.jobCredential() != null
                    && !assignment.jobCredential().isBlank()) {
                env.put("MLFLOW_TRACKING_TOKEN", assignment.jobCredential());
            }
            env.put("STAINBENCH_JOB_ID", Long.toString(id));
            env.put("STAINBENCH_ATTEMPT", Integer.toString(assignment.attempt()));
            env.put("CUDA_VISIBLE_DEVICES", visibleDevices(assignment.gpus()));
            // the agent's own java and jar, for jobs that run one of the jar's commands (e.g. features, issue 21)
            ProcessHandle.current().info().command().ifPresent(java -> env.put("STAINBENCH_JAVA", java));
            ownJar().ifPresent(jar -> env.put("STAINBENCH_JAR", jar));
            env.put("STAINBENCH_SERVER", http.server());
            String tracking = assignment.mlflowTrackingUri() == null
                            || assignment.mlflowTrackingUri().isBlank()
                    ? http.server()
                    : assignment.mlflowTrackingUri();
            env.put("MLFLOW_TRACKING_URI", tracking);
            if (assignment.mlflowRunId() != null && !assignment.mlflowRunId().isBlank()) {
                env.put("MLFLOW_RUN_ID", assignment.mlflowRunId());
            }
            log("job " + id + " attempt " + assignment.attempt() + ": " + assignment.command());
            process = pb.start();
            Thread reader = new Thread(this::readOutput, "agent-output-" + id);
            reader.start();
            Thread shipper = new Thread(this::shipLoop, "agent-log-" + id);
            shipper.setDaemon(true);
            shipper.start();
            long limitMs = assignment.timeLimitSeconds() > 0 ? assignment.timeLimitSeconds() * 1000 : Long.MAX_VALUE;
            boolean timedOut = false;
            if (!process.waitFor(limitMs, TimeUnit.MILLISECONDS)) {
                timedOut = true;
                append("[agent] time limit of " + assignment.timeLimitSeconds() + " s reached; stopping the job\n");
                terminate();
            }
            int exit = process.waitFor();
            reader.join(10_000);
            ended = true;
            shipper.join();
            if (lostReason != null) {
                log("job " + id + " stopped: " + lostReason + "; nothing more is reported");
                return 4;
            }
            try {
                uploadOutputs();
                String error = timedOut ? "time limit of " + assignment.timeLimitSeconds() + " s reached" : null;
                Protocol.Finish finish =
                        new Protocol.Finish(registered.name(), assignment.token(), exit, error, cancelled);
                retry(
                        "finish",
                        () -> http.post("/api/jobs/" + id + "/finish", finish, Void.class, Duration.ofSeconds(30)));
                log("job " + id + " finished with exit code " + exit);
            } catch (AgentHttp.Stale e) {
                log("job " + id + ": the server rejected the report of this attempt: " + e.getMessage());
                return 4;
            }
            return exit;
        }

        private String visibleDevices(int count) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(Integer.toString(i));
            }
            return String.join(",", ids);
        }

        private void readOutput() {
            Path local = folder.resolve("job.log");
            try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    Writer file =
                            Files.newBufferedWriter(local, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                char[] buf = new char[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    String text = new String(buf, 0, n);
                    file.write(text);
                    file.flush();
                    append(text);
                    java.util.regex.Matcher m = PROGRESS.matcher(text);
                    while (m.find()) {
                        progress = new Protocol.Progress(
                                registered.name(),
                                assignment.token(),
                                Long.parseLong(m.group(1)),
                                Long.parseLong(m.group(2)),
                                m.group(3));
                    }
                }
            } catch (IOException e) {
                append("[agent] output stream ended: " + e.getMessage() + "\n");
            }
        }

        private void append(String text) {
            synchronized (pending) {
                pending.append(text);
                if (pending.length() > MAX_BUFFERED_CHARS) {
                    int drop = pending.length() - MAX_BUFFERED_CHARS;
                    pending.delete(0, drop);
                    pending.insert(0, "[agent] " + drop + " characters dropped while the server was unreachable\n");
                }
            }
        }

        /** Sends the log in numbered chunks; a chunk is retried (same number) until the server takes it. */
        private void shipLoop() {
            long delay = 500;
            int refusals = 0; // a chunk refused with a transient 4xx is kept; after the job ended, 5 more tries
            String chunk = null;
            while (lostReason == null) {
                if (chunk == null) {
                    synchronized (pending) {
                        if (pending.length() > 0) {
                            int n = Math.min(pending.length(), CHUNK_CHARS);
                            chunk = pending.substring(0, n);
                            pending.delete(0, n);
                            seq++;
                        }
                    }
                }
                if (chunk == null) {
                    Protocol.Progress p = progress;
                    if (p != null && p != sentProgress) {
                        try {
                            http.post(
                                    "/api/jobs/" + assignment.jobId() + "/progress",
                                    p,
                                    Void.class,
                                    Duration.ofSeconds(30));
                            sentProgress = p;
                        } catch (AgentHttp.Stale e) {
                            leaseLost("the server rejected a progress report: " + e.getMessage());
                        } catch (IOException e) {
                            sleep(delay);
                            delay = Math.min(delay * 2, 15_000);
                        } catch (InterruptedException e) {
                            return;
                        } catch (RuntimeException e) {
                            sentProgress = p;
                        }
                        continue;
                    }
                    if (ended) {
                        return;
                    }
                    sleep(300);
                    continue;
                }
                try {
                    http.post(
                            "/api/jobs/" + assignment.jobId() + "/log",
                            new Protocol.LogChunk(registered.name(), assignment.token(), seq, chunk),
                            Void.class,
                            Duration.ofSeconds(30));
                    chunk = null;
                    delay = 500;
                    refusals = 0;
                } catch (AgentHttp.Stale e) {
                    leaseLost("the server rejected a log chunk: " + e.getMessage());
                } catch (IOException e) {
                    log("log upload failed (" + e.getMessage() + "); retrying in " + delay + " ms");
                    sleep(delay);
                    delay = Math.min(delay * 2, 15_000);
                } catch (InterruptedException e) {
                    return;
                } catch (AgentHttp.Refused e) {
                    refusals++;
                    if (e.transientStatus() && !(ended && refusals > 5)) {
                        // e.g. a proxy or a restarting server: keep the chunk until the server takes it
                        log("log upload refused (" + e.getMessage() + "); keeping it, retrying in " + delay + " ms");
                        sleep(delay);
                        delay = Math.min(delay * 2, 15_000);
                    } else {
                        log("log chunk refused: " + e.getMessage());
                        chunk = null;
                    }
                } catch (RuntimeException e) {
                    log("log chunk refused: " + e.getMessage());
                    chunk = null;
                }
            }
        }

        private void uploadOutputs() throws InterruptedException, AgentHttp.Stale {
            for (String name : assignment.outputs()) {
                Path file = folder.resolve(name).normalize();
                if (!file.startsWith(folder) || !Files.isRegularFile(file)) {
                    log("job " + assignment.jobId() + ": declared output " + name + " was not written");
                    continue;
                }
                String path = "/api/jobs/" + assignment.jobId() + "/outputs/"
                        + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)
                                .replace("%2F", "/");
                retry("upload " + name, () -> {
                    http.put(path, file, registered.name(), assignment.token());
                    return null;
                });
            }
        }

        void cancel() {
            if (!cancelled) {
                cancelled = true;
                log("job " + assignment.jobId() + " cancelled: SIGTERM, SIGKILL after " + registered.cancelGraceMs()
                        + " ms");
                append("[agent] cancelled: stopping the job\n");
                terminate();
            }
        }

        void leaseLost(String why) {
            if (lostReason == null) {
                lostReason = why;
                log("job " + assignment.jobId() + ": " + why + "; stopping it");
                terminate();
            }
        }

        /**
         * SIGTERM to the command's process group (and every descendant, should one have left the group), SIGKILL to
         * both after the grace period.
         */
        private void terminate() {
            Process p = process;
            if (p == null) {
                return;
            }
            ProcessHandle handle = p.toHandle();
            List<ProcessHandle> tree = new ArrayList<>(handle.descendants().toList());
            tree.add(handle);
            signalGroup(p.pid(), "TERM");
            tree.forEach(ProcessHandle::destroy);
            Thread killer = new Thread(
                    () -> {
                        sleep(registered.cancelGraceMs());
                        signalGroup(p.pid(), "KILL");
                        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
                    },
                    "agent-kill-" + assignment.jobId());
            killer.setDaemon(true);
            killer.start();
        }
    }

    /** Whether {@code setsid} and {@code setpriv --pdeathsig} are there (util-linux); without them, plain bash. */
    static final boolean ISOLATE = onPath("setsid") && onPath("setpriv");

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** How the command is started: in its own session under the wrapper that dies with (and kills for) the agent. */
    static List<String> commandLine(String command) {
        if (!ISOLATE) {
            log("warning: setsid/setpriv (util-linux) not found; the job is not stopped if this agent dies");
            return List.of("bash", "-c", command);
        }
        return List.of(
                "setsid",
                "--wait",
                "setpriv",
                "--pdeathsig",
                DEATH_SIGNAL,
                "--",
                "bash",
                "-c",
                WRAPPER,
                "stainbench-job",
                Long.toString(ProcessHandle.current().pid()),
                command);
    }

    /** Removes the agent's secrets from a command's environment: known variables and any value holding the token. */
    static void scrub(Map<String, String> env, String nodeToken) {
        SECRET_VARIABLES.forEach(env::remove);
        if (nodeToken != null && !nodeToken.isBlank()) {
            env.entrySet().removeIf(e -> e.getValue() != null && e.getValue().contains(nodeToken));
        }
    }

    /** {@code kill -SIGNAL -- -PGID}: the command's wrapper leads its own process group (pgid = its pid). */
    static void signalGroup(long pgid, String signal) {
        if (!ISOLATE) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            log("kill -" + signal + " -" + pgid + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument '" + a + "'.");
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                out.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.length) {
                out.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value.");
            }
        }
        return out;
    }
}
