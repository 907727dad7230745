package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stainbench.jobs.agent.AgentCommand;

/**
 * Issue 15, item 5: the agent refuses a NODE token on its command line (every local process, the jobs included,
 * could read it in /proc/PID/cmdline) and says where to put it instead.
 */
class AgentTokenTest {

    @TempDir
    Path dir;

    int run(ByteArrayOutputStream err, String... args) throws Exception {
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new AgentCommand().run(args);
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void aTokenOnTheCommandLineIsRefusedWithAClearMessage() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(err, "--server", "http://127.0.0.1:9", "--token", "sbt_secret", "--workdir", dir.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "--token is refused",
                        "/proc/PID/cmdline",
                        "--token-file",
                        "--token-stdin",
                        "STAINBENCH_NODE_TOKEN")
                .doesNotContain("sbt_secret");

        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertThat(run(err2, "--server", "http://127.0.0.1:9", "--token=sbt_secret", "--workdir", dir.toString()))
                .isEqualTo(2);
        assertThat(err2.toString(StandardCharsets.UTF_8)).contains("--token is refused");
    }

    @Test
    void anEmptyTokenFileIsRefused() throws Exception {
        Path empty = dir.resolve("empty.token");
        java.nio.file.Files.writeString(empty, "\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(
                        err,
                        "--server",
                        "http://127.0.0.1:9",
                        "--token-file",
                        empty.toString(),
                        "--workdir",
                        dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("A NODE token is required");
    }
}
