package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.support.Waits;

/**
 * Issue 15, items 5, 10 and 16 with real agent processes (the built jar):
 * <ul>
 * <li>a job sees neither its agent's NODE token nor {@code STAINBENCH_NODE_TOKEN} (environment, the agent's command
 * line), and gets its own credential as {@code MLFLOW_TRACKING_TOKEN}, which is not the node token;</li>
 * <li>a command that prints nothing dies with its SIGKILLed agent, and its re-queued attempt never runs beside it;</li>
 * <li>an agent stopped with SIGTERM while it long-polls deregisters: its node gets nothing assigned;</li>
 * <li>a long poll whose client gave up does not leave the job it claimed ASSIGNED (nor use up an attempt).</li>
 * </ul>
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "stainbench.jobs.lease=4s", "stainbench.jobs.heartbeat=400ms", "stainbench.jobs.sweep-interval=300ms",
            "stainbench.jobs.backoff=200ms", "stainbench.jobs.poll-wait=5s", "stainbench.jobs.cancel-grace=2s",
            "stainbench.jobs.assign-ack=2s"
        })
@ActiveProfiles("test")
class AgentIsolationIT {

    @TempDir
    static Path dir;

    static final AgentProcesses agents = new AgentProcesses();

    @LocalServerPort
    int port;

    @Autowired
    JobQueue queue;

    @Autowired
    JobStore store;

    @Autowired
    JobLogs logs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Accounts accounts;

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(AgentProcesses.JAR)
                .as("the packaged jar (failsafe runs after package)")
                .exists();
    }

    @AfterAll
    static void stopAgents() {
        agents.stopAll();
    }

    JobRow waitState(long id, Predicate<JobRow> p, Duration timeout) {
        return Waits.upTo(timeout, "job " + id).until(() -> store.find(id).orElseThrow(), p);
    }

    /** Alive and not a zombie (a killed process whose parent is gone waits for init to reap it). */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file).trim() : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void jobsSeeNoNodeTokenDieWithTheirAgentAndAStoppedAgentGetsNoWork() throws Exception {
        String envToken = accounts.issueNodeToken("iso-env", "admin");
        String fileToken = accounts.issueNodeToken("iso-file", "admin");
        String server = "http://127.0.0.1:" + port;
        // the GPU box (fake nvidia-smi) reads its token from STAINBENCH_NODE_TOKEN, the other from a file
        Process envAgent = agents.start(
                AgentProcesses.TokenVia.ENV,
                server,
                envToken,
                dir.resolve("iso-env"),
                "iso-env",
                AgentProcesses.fakeNvidiaSmi(dir));
        Process fileAgent = agents.start(
                AgentProcesses.TokenVia.FILE, server, fileToken, dir.resolve("iso-file"), "iso-file", null);
        Waits.upTo(Duration.ofSeconds(60), "both agents registered")
                .until(() -> jdbc.sql("select count(*) from node where name in ('iso-env','iso-file')")
                                .query(Long.class)
                                .single()
                        == 2);
        assertThat(ProcessHandle.of(envAgent.pid())
                        .orElseThrow()
                        .info()
                        .commandLine()
                        .orElse(""))
                .doesNotContain(envToken);

        // Item 5: what a job can see. Its environment, its parent's (the wrapper's) and its grandparent's (the
        // agent's) command lines.
        String probe = "env; echo '--- cmdline'; tr '\\0' ' ' < /proc/$PPID/cmdline; echo;"
                + " gp=$(awk '{print $4}' /proc/$PPID/stat); tr '\\0' ' ' < /proc/$gp/cmdline; echo; echo '--- end'";
        long gpuJob = queue.submitCommand(new CommandJob(
                "command",
                "probe (env agent)",
                probe,
                Map.of(),
                List.of(),
                List.of(),
                new Resources(1, 1000, 1, 64, Duration.ofMinutes(5)),
                "admin",
                "run-iso",
                false));
        long anyJob = queue.submitCommand(CommandJob.shell("probe (any agent)", probe, Resources.cpu(), "admin"));
        for (long id : new long[] {gpuJob, anyJob}) {
            JobRow done = waitState(id, j -> j.state().isFinal(), Duration.ofSeconds(60));
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            String out = Waits.upTo(Duration.ofSeconds(30), "the probe's output of job " + id)
                    .until(() -> logs.tail(id, 100_000), t -> t.contains("--- end"));
            assertThat(out)
                    .contains("MLFLOW_TRACKING_TOKEN=sbj_", "-jar", " agent --server ")
                    .doesNotContain(
                            envToken, fileToken, "STAINBENCH_NODE_TOKEN", "STAINBENCH_ATTEMPT_TOKEN", "--token ");
        }
        assertThat(store.find(gpuJob).orElseThrow().holder()).isEqualTo("iso-env");
        String credential = logs.tail(gpuJob, 100_000)
                .lines()
                .filter(l -> l.startsWith("MLFLOW_TRACKING_TOKEN="))
                .findFirst()
                .orElseThrow()
                .substring("MLFLOW_TRACKING_TOKEN=".length());
        HttpResponse<String> whoami = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server + "/api/whoami"))
                                .header("Authorization", "Bearer " + credential)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(whoami.statusCode())
                .as("the finished attempt's credential is dead")
                .isEqualTo(401);

        // Item 10: a command that never prints; its agent is SIGKILLed. The command dies with it, and the
        // re-queued attempt starts only after the first one stopped.
        Path marks = Files.createDirectories(dir.resolve("marks"));
        long orphan = queue.submitCommand(CommandJob.shell(
                "silent",
                "if [ \"$STAINBENCH_ATTEMPT\" = 1 ]; then echo $$ > " + marks + "/pid1;"
                        + " while true; do date +%s%N > " + marks + "/hb1.tmp; mv " + marks + "/hb1.tmp " + marks
                        + "/hb1; sleep 0.1; done;"
                        + " else date +%s%N > " + marks + "/start2; echo second attempt; fi",
                Resources.cpu(),
                "admin"));
        JobRow running = waitState(
                orphan,
                j -> j.state() == JobState.RUNNING
                        && !read(marks.resolve("hb1")).isEmpty()
                        && !read(marks.resolve("pid1")).isEmpty(),
                Duration.ofSeconds(60));
        long pid1 = Long.parseLong(read(marks.resolve("pid1")));
        Process victim = running.holder().equals("iso-env") ? envAgent : fileAgent;
        Process survivor = victim == envAgent ? fileAgent : envAgent;
        try {
            victim.destroyForcibly(); // SIGKILL to the agent's JVM only: nothing else is killed by the test
            assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Waits.upTo(Duration.ofSeconds(5), "the job's command dies with its agent")
                    .until(() -> !alive(pid1));
            String last = read(marks.resolve("hb1"));
            Waits.holdsFor(Duration.ofSeconds(1), "the heartbeat file stops changing", () -> read(marks.resolve("hb1"))
                    .equals(last));
            JobRow done = waitState(orphan, j -> j.state().isFinal(), Duration.ofSeconds(90));
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempt()).isEqualTo(2);
            assertThat(Long.parseLong(read(marks.resolve("start2"))))
                    .as("the second attempt started after the first stopped")
                    .isGreaterThan(Long.parseLong(last));
            assertThat(read(marks.resolve("hb1"))).isEqualTo(last);
        } finally {
            if (alive(pid1)) {
                ProcessHandle.of(pid1).ifPresent(ProcessHandle::destroyForcibly);
            }
        }

        // Item 16: the surviving agent gets SIGTERM while it long-polls; it deregisters on the way out, so the
        // server's poll still waiting for it claims nothing.
        String survivorName = survivor == envAgent ? "iso-env" : "iso-file";
        Waits.holdsFor(
                Duration.ofMillis(1500), "the surviving agent is idle, in its next long poll (5 s)", survivor::isAlive);
        survivor.destroy(); // SIGTERM
        assertThat(survivor.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long unclaimed = queue.submitCommand(CommandJob.shell("after shutdown", "echo hi", Resources.cpu(), "admin"));
        Waits.holdsFor(
                Duration.ofSeconds(6),
                "nothing is assigned to the stopped agent",
                () -> store.find(unclaimed).orElseThrow().state() == JobState.QUEUED);
        // (holdsFor restarts its window when the condition turns false: the job's history says it never left)
        assertThat(jdbc.sql("select state from job_event where job_id = ?")
                        .param(unclaimed)
                        .query(String.class)
                        .list())
                .as("the stopped agent's node was never assigned the job")
                .containsExactly("QUEUED");
        queue.cancel(unclaimed, "test");
        assertThat(jdbc.sql("select deregistered_at from node where name = ?")
                        .param(survivorName)
                        .query(java.time.OffsetDateTime.class)
                        .optional())
                .as("deregistered")
                .isPresent();
    }

    @Test
    void aLongPollWhoseClientGaveUpDoesNotKeepTheJob() throws Exception {
        String token = accounts.issueNodeToken("ghost", "admin");
        String server = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> registered = http.send(
                HttpRequest.newBuilder(URI.create(server + "/api/nodes/register"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"ghost\",\"hostname\":\"ghost\",\"cpus\":2,"
                                        + "\"memoryMb\":9000000,\"gpus\":[],\"oneJob\":false,\"version\":\"test\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).isEqualTo(200);
        // The client gives up after 500 ms; the server's poll waits on (poll-wait 5 s) and claims what comes.
        assertThatThrownBy(() -> http.send(
                        HttpRequest.newBuilder(URI.create(server + "/api/nodes/ghost/poll?waitMs=5000"))
                                .header("Authorization", "Bearer " + token)
                                .timeout(Duration.ofMillis(500))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        long id = queue.submitCommand(CommandJob.shell(
                "only ghost fits", "echo hi", new Resources(0, 0, 1, 8_500_000, Duration.ofMinutes(5)), "admin"));
        waitState(id, j -> j.attempt() == 1 && "ghost".equals(j.holder()), Duration.ofSeconds(5));
        JobRow back = waitState(id, j -> j.state() == JobState.QUEUED, Duration.ofSeconds(15));
        assertThat(back.attempt())
                .as("the unacknowledged claim used no attempt")
                .isZero();
        assertThat(back.holder()).isNull();
        assertThat(jdbc.sql("select note from job_event where job_id = ? order by id")
                        .param(id)
                        .query(String.class)
                        .list())
                .anyMatch(n -> n.contains("did not acknowledge"));
        queue.cancel(id, "test");
    }
}
