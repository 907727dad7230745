package org.stainbench.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;

/**
 * Runs a reference script under {@code src/test/python} with the {@code python3} on PATH (numpy,
 * scipy), so that tests compare against values and files that numpy itself produced.
 */
public final class Python {

    private Python() {
    }

    /** Runs {@code src/test/python/<script>} with the arguments; returns its stdout; fails the test on error. */
    public static String run(String script, Object... args) {
        List<String> cmd = new ArrayList<>(List.of("python3", Path.of("src/test/python", script).toString()));
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
