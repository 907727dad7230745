package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
import org.stainbench.support.Browser;
import org.stainbench.support.Waits;

/**
 * Acceptance: a running server and two real agent processes (the built jar). Shell-command jobs run;
 * one agent is killed with SIGKILL in the middle of a job; the job is re-queued when its lease runs out
 * and completed by the other agent, with exactly one success recorded and the dead attempt's late report
 * refused. Also: GPU discovery from a fake {@code nvidia-smi} on PATH, the job environment, failures,
 * declared outputs, and cancel (SIGTERM).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "stainbench.jobs.lease=4s", "stainbench.jobs.heartbeat=400ms", "stainbench.jobs.sweep-interval=300ms",
            "stainbench.jobs.backoff=200ms", "stainbench.jobs.poll-wait=2s", "stainbench.jobs.cancel-grace=2s"
        })
@ActiveProfiles("test")
class AgentFailoverIT {

    @TempDir
    static Path dir;

    static final AgentProcesses agents = new AgentProcesses();
    static Process gpuAgent;
    static Process cpuAgent;
    static String gpuToken;
    static String cpuToken;

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

    @Autowired
    AgentService agentService;

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

    synchronized void startAgents() throws Exception {
        if (gpuAgent != null) {
            return;
        }
        gpuToken = accounts.issueNodeToken("gpu-box", "admin");
        cpuToken = accounts.issueNodeToken("cpu-box", "admin");
        String server = "http://127.0.0.1:" + port;
        gpuAgent = agents.start(server, gpuToken, dir.resolve("gpu-box"), "gpu-box", AgentProcesses.fakeNvidiaSmi(dir));
        // the token on the agent's standard input (the GPU box has it in STAINBENCH_NODE_TOKEN)
        cpuAgent =
                agents.start(AgentProcesses.TokenVia.STDIN, server, cpuToken, dir.resolve("cpu-box"), "cpu-box", null);
        waitFor(
                "both agents registered",
                () -> jdbc.sql("select count(*) from node where name in ('gpu-box','cpu-box')")
                                .query(Long.class)
                                .single()
                        == 2,
                Duration.ofSeconds(60));
    }

    static void waitFor(String what, java.util.function.BooleanSupplier condition, Duration timeout) {
        Waits.upTo(timeout, what).until(condition::getAsBoolean);
    }

    JobRow waitState(long id, Predicate<JobRow> p, Duration timeout) {
        return Waits.upTo(timeout, "job " + id).until(() -> store.find(id).orElseThrow(), p);
    }

    long submit(String title, String command, Resources resources, List<String> outputs, String runId) {
        return queue.submitCommand(new CommandJob(
                "command",
                title,
                command,
                Map.of("GREETING", "hello"),
                List.of(),
                outputs,
                resources,
                "alice",
                runId,
                false));
    }

    void showInBrowser(long id, String victim, String survivor) throws Exception {
        try {
            Browser.require();
        } catch (org.opentest4j.TestAbortedException e) {
            return; // no Chromium here (outside CI): the rest of this acceptance test still runs
        }
        try (Browser browser = Browser.open(port)) {
            browser.signIn("admin", "admin-test-pw");
            browser.waitFor(org.openqa.selenium.By.id("logout"));
            browser.go("/jobs/" + id);
            String page = browser.driver
                    .findElement(org.openqa.selenium.By.tagName("main"))
                    .getText();
            assertThat(page)
                    .contains("SUCCEEDED", "ABANDONED", "lease expired", victim, survivor, "result.txt", "tick 50");
            browser.screenshot("job-failover");
            // Both machines listed (the killed one turns offline after stainbench.jobs.node-offline), the GPU box
            // with its two A40s.
            browser.go("/nodes");
            String nodes = browser.driver
                    .findElement(org.openqa.selenium.By.id("nodes"))
                    .getText();
            assertThat(nodes).contains("gpu-box", "cpu-box", "0: NVIDIA A40 (46068 MB)", "1: NVIDIA A40 (46068 MB)");
            browser.screenshot("nodes");
            browser.go("/");
            assertThat(browser.driver
                            .findElement(org.openqa.selenium.By.tagName("main"))
                            .getText())
                    .contains("jobs queued", "jobs running");
        }
    }

    @Test
    void aJobSurvivesTheDeathOfItsAgentAndCompletesExactlyOnceElsewhere() throws Exception {
        startAgents();

        // GPU discovery: the agent with the fake nvidia-smi reported its two A40s; the other has none.
        NodeRow gpuBox = jdbc.sql("select * from node where name = 'gpu-box'")
                .query(NodeRow::map)
                .single();
        assertThat(gpuBox.gpuCount()).isEqualTo(2);
        assertThat(gpuBox.gpuMemoryMb()).isEqualTo(46068);
        assertThat(gpuBox.gpus()).extracting(g -> g.name()).containsExactly("NVIDIA A40", "NVIDIA A40");
        assertThat(gpuBox.gpus().get(1).uuid()).isEqualTo("GPU-9e0b7d54-2c3a-4b8f-8d6e-1f4a5c2b3d22");
        NodeRow cpuBox = jdbc.sql("select * from node where name = 'cpu-box'")
                .query(NodeRow::map)
                .single();
        assertThat(cpuBox.gpuCount()).isZero();
        assertThat(cpuBox.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());

        // A GPU job goes to the GPU machine, with its environment set.
        long gpuJob = submit(
                "gpu env",
                "echo \"cuda=$CUDA_VISIBLE_DEVICES job=$STAINBENCH_JOB_ID run=$MLFLOW_RUN_ID"
                        + " uri=$MLFLOW_TRACKING_URI greeting=$GREETING\"; echo '##stainbench progress 3/4 tiles'",
                new Resources(1, 40_000, 1, 256, Duration.ofMinutes(5)),
                List.of(),
                "run-42");
        JobRow gpuDone = waitState(gpuJob, j -> j.state().isFinal(), Duration.ofSeconds(60));
        assertThat(gpuDone.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(gpuDone.holder()).isEqualTo("gpu-box");
        assertThat(gpuDone.progressDone()).isEqualTo(3);
        assertThat(gpuDone.progressTotal()).isEqualTo(4);
        assertThat(gpuDone.progressUnit()).isEqualTo("tiles");
        assertThat(logs.tail(gpuJob, 10_000))
                .contains("cuda=0 job=" + gpuJob + " run=run-42 uri=http://127.0.0.1:" + port + " greeting=hello");

        // A failing command: exit code and stderr arrive.
        long failing = submit("fails", "echo oops >&2; exit 3", Resources.cpu(), List.of(), null);
        JobRow failed = waitState(failing, j -> j.state().isFinal(), Duration.ofSeconds(60));
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.error()).isEqualTo("exit code 3");
        assertThat(logs.tail(failing, 10_000)).contains("oops");

        // The failover: a 5-second job; its agent is SIGKILLed once the job is running and printing.
        long id = submit(
                "long",
                "for i in $(seq 1 50); do echo tick $i; sleep 0.1; done;"
                        + " echo \"finished by attempt $STAINBENCH_ATTEMPT\" > result.txt",
                Resources.cpu(),
                List.of("result.txt"),
                null);
        JobRow running = waitState(
                id,
                j -> j.state() == JobState.RUNNING && logs.tail(id, 1000).contains("tick 3"),
                Duration.ofSeconds(60));
        String victim = running.holder();
        String survivor = victim.equals("gpu-box") ? "cpu-box" : "gpu-box";
        Process victimProcess = victim.equals("gpu-box") ? gpuAgent : cpuAgent;
        String victimToken = victim.equals("gpu-box") ? gpuToken : cpuToken;
        String staleAttemptToken = running.attemptToken();
        List<ProcessHandle> orphans = victimProcess.descendants().toList();
        victimProcess.destroyForcibly(); // SIGKILL: no goodbye, no report
        assertThat(victimProcess.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
        assertThat(victimProcess.exitValue()).isEqualTo(137);
        orphans.forEach(ProcessHandle::destroyForcibly); // the dead agent's shell would otherwise run on unseen

        JobRow done = waitState(id, j -> j.state().isFinal(), Duration.ofSeconds(90));
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.holder()).isEqualTo(survivor);
        assertThat(done.exitCode()).isZero();
        List<Map<String, Object>> attempts = jdbc.sql(
                        "select attempt, holder, outcome from job_attempt where job_id = ? order by attempt")
                .param(id)
                .query()
                .listOfRows();
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0)).containsEntry("holder", victim).containsEntry("outcome", "ABANDONED");
        assertThat(attempts.get(1)).containsEntry("holder", survivor).containsEntry("outcome", "SUCCEEDED");
        assertThat(jdbc.sql("select count(*) from job_attempt where job_id = ? and outcome = 'SUCCEEDED'")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("select state from job_event where job_id = ? order by id")
                        .param(id)
                        .query(String.class)
                        .list())
                .containsSubsequence("QUEUED", "ASSIGNED", "RUNNING", "QUEUED", "ASSIGNED", "RUNNING", "SUCCEEDED");

        // The declared output of the successful attempt was uploaded.
        Map<String, Object> output = jdbc.sql("select * from job_output where job_id = ?")
                .param(id)
                .query()
                .singleRow();
        byte[] expected = "finished by attempt 2\n".getBytes();
        assertThat(output).containsEntry("name", "result.txt").containsEntry("attempt", 2);
        assertThat(output.get("sha256"))
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(expected)));
        assertThat(agentService.openOutput((String) output.get("path")).readAllBytes())
                .isEqualTo(expected);

        // The dead attempt's late report (as the killed agent would have sent it) is refused.
        HttpResponse<String> late = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs/" + id + "/finish"))
                                .header("Authorization", "Bearer " + victimToken)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"node\":\"" + victim + "\",\"token\":\"" + staleAttemptToken
                                                + "\",\"exitCode\":1,\"error\":\"late\",\"cancelled\":false}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains("no longer holds the job");
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(jdbc.sql("select count(*) from job_attempt where job_id = ? and outcome = 'SUCCEEDED'")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        // The pages show it: the job with both attempts, the nodes with their GPUs and states.
        showInBrowser(id, victim, survivor);

        // Cancel on the surviving agent: the command gets SIGTERM.
        long cancel = submit(
                "cancel me",
                "trap 'echo got TERM; exit 143' TERM; echo ready; sleep 60 & wait",
                Resources.cpu(),
                List.of(),
                null);
        waitState(
                cancel,
                j -> j.state() == JobState.RUNNING && logs.tail(cancel, 1000).contains("ready"),
                Duration.ofSeconds(60));
        queue.cancel(cancel, "bob");
        JobRow cancelled = waitState(cancel, j -> j.state().isFinal(), Duration.ofSeconds(30));
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        // the command's last line may reach the server just after the final state
        waitFor(
                "the cancelled command's TERM trap in the log",
                () -> logs.tail(cancel, 10_000).contains("got TERM"),
                Duration.ofSeconds(30));
    }
}
