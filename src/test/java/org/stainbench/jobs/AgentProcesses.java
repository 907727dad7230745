package org.stainbench.jobs;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts real agent processes from the built jar, for integration tests. The NODE token goes in
 * {@code STAINBENCH_NODE_TOKEN} (or a token file, {@link TokenVia#FILE}); never on the command line.
 */
public final class AgentProcesses {

    public static final Path JAR = Path.of("target/stainbench-0.1.0-SNAPSHOT.jar");

    private final List<Process> started = new ArrayList<>();

    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** A folder with the fake nvidia-smi (and its recorded CSV), to put first on PATH. */
    public static Path fakeNvidiaSmi(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        for (String f : new String[] {"nvidia-smi", "recorded.csv"}) {
            Files.copy(
                    Path.of("src/test/resources/nvidia-smi", f), bin.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        bin.resolve("nvidia-smi").toFile().setExecutable(true);
        return bin;
    }

    /** How a started agent gets its NODE token. */
    public enum TokenVia {
        ENV,
        FILE,
        STDIN
    }

    public Process start(String server, String token, Path workdir, String name, Path pathFirst, String... extra)
            throws IOException {
        return start(TokenVia.ENV, server, token, workdir, name, pathFirst, extra);
    }

    public Process start(
            TokenVia via, String server, String token, Path workdir, String name, Path pathFirst, String... extra)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                java(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                JAR.toAbsolutePath().toString(),
                "agent",
                "--server",
                server,
                "--workdir",
                workdir.toString()));
        if (via == TokenVia.FILE) {
            Path file = workdir.resolveSibling(workdir.getFileName() + ".token");
            Files.writeString(file, token + "\n");
            cmd.addAll(List.of("--token-file", file.toString()));
        } else if (via == TokenVia.STDIN) {
            cmd.add("--token-stdin");
        }
        if (name != null) {
            cmd.addAll(List.of("--name", name));
        }
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(
                        workdir.resolveSibling(workdir.getFileName() + ".log").toFile());
        Files.createDirectories(workdir);
        Map<String, String> env = pb.environment();
        if (via == TokenVia.ENV) {
            env.put("STAINBENCH_NODE_TOKEN", token);
        }
        if (pathFirst != null) {
            env.put("PATH", pathFirst + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        }
        Process p = pb.start();
        if (via == TokenVia.STDIN) {
            p.getOutputStream().write((token + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        started.add(p);
        return p;
    }

    /** SIGKILL for a process and everything it started. */
    public static void killTree(Process p) {
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** The last {@code max} characters of a job's log (JobLogs is the jobs module's own; tests elsewhere read it here). */
    public static String log(org.springframework.context.ApplicationContext context, long jobId, int max) {
        return context.getBean(JobLogs.class).tail(jobId, max);
    }

    public void stopAll() {
        for (Process p : started) {
            killTree(p);
        }
    }
}
