package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runaway job cannot fill the disk: its log rotates at the cap and keeps at most two files. */
class JobLogsTest {

    static final long CAP = 1000;

    @TempDir
    Path dir;

    @Test
    void logsRotateAtTheCapAndTheTailShowsTheLatestLines() throws Exception {
        JobsProperties props = new JobsProperties(
                1,
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                3,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(20),
                Duration.ofSeconds(10),
                CAP,
                "",
                Duration.ofSeconds(60),
                Duration.ofSeconds(15));
        JobLogs logs = new JobLogs(dir.toString(), props);
        long written = 0;
        for (int i = 0; i < 5000; i++) {
            String line = "line " + i + " of a job that prints far too much";
            logs.append(7, line);
            written += line.length() + 1;
        }
        assertThat(written).isGreaterThan(100 * CAP);
        assertThat(logs.size(7)).isLessThanOrEqualTo(2 * CAP);
        try (var files = Files.list(logs.folder(7))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("log.txt", "log.1.txt");
        }
        assertThat(logs.tail(7, 300)).endsWith("line 4999 of a job that prints far too much\n");
        // One oversized chunk is cut to its end rather than breaking the cap.
        logs.append(8, "x".repeat((int) (5 * CAP)) + "END");
        assertThat(logs.size(8)).isLessThanOrEqualTo(CAP);
        assertThat(logs.tail(8, 10)).endsWith("END\n");
    }
}
