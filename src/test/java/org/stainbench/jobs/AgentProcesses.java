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
final class AgentProcesses {

    static final Path JAR = Path.of("target/stainbench-0.1.0-SNAPSHOT.jar");

    private final List<Process> started = new ArrayList<>();

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** A folder with the fake nvidia-smi (and its recorded CSV), to put first on PATH. */
    static Path fakeNvidiaSmi(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        for (String f : new String[] {"nvidia-smi", "recorded.csv"}) {
            Files.copy(Path.of("src/test/resources/nvidia-smi", f), bin.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        bin.resolve("nvidia-smi").toFile().setExecutable(true);
        return bin;
    }

    /** How a started agent gets its NODE token. */
    enum TokenVia { ENV, FILE, STDIN }

    Process start(String server, String token, Path workdir, String name, Path pathFirst, String... extra)
            throws IOException {
        return start(TokenVia.ENV, server, token, workdir, name, pathFirst, extra);
    }

    Process start(TokenVia via, String server, String token, Path workdir, String name, Path pathFirst,
                  String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-jar",
                JAR.toAbsolutePath().toString(), "agent", "--server", server, "--workdir", workdir.toString()));
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
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(workdir.resolveSibling(workdir.getFileName() + ".log").toFile());
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
    static void killTree(Process p) {
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    void stopAll() {
        for (Process p : started) {
            killTree(p);
        }
    }
}
