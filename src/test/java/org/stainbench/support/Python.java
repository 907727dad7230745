package org.stainbench.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Runs a reference script under {@code src/test/python} with the {@code python3} on PATH (numpy,
 * scipy), so that tests compare against values and files that numpy itself produced.
 */
public final class Python {

    private Python() {}

    private static final Map<String, Path> FIXTURES = new ConcurrentHashMap<>();

    /**
     * The folder that {@code src/test/python/<script> DIR} filled, made once per test run (JVM) and shared by every
     * test class that reads it: numpy-written archives take seconds to write and never change within a run. Readers
     * must not change the files in it (new files of their own are fine). Deleted when the JVM exits.
     */
    public static Path fixtures(String script) {
        return FIXTURES.computeIfAbsent(script, s -> {
            try {
                Path dir = Files.createTempDirectory("stainbench-" + s.replace(".py", "") + "-");
                run(s, dir);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at exit
        }
    }

    /** Runs {@code src/test/python/<script>} with the arguments; returns its stdout; fails the test on error. */
    public static String run(String script, Object... args) {
        List<String> cmd = new ArrayList<>(
                List.of("python3", Path.of("src/test/python", script).toString()));
        for (Object a : args) {
            cmd.add(a.toString());
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                Assertions.fail(script + " timed out");
            }
            if (p.exitValue() != 0) {
                Assertions.fail(script + " failed (exit " + p.exitValue() + "):\n" + out);
            }
            return out;
        } catch (IOException e) {
            return Assertions.fail("cannot run python3 " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Assertions.fail("interrupted");
        }
    }
}
