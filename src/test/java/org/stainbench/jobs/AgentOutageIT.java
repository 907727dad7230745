package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.support.Waits;

/**
 * A real agent process reaches the server through a forwarder the test cuts. A short outage: the job keeps
 * running, its log waits and arrives complete and in order, the job succeeds on its first attempt. An
 * outage longer than the lease: the server takes the job back, and when the agent reconnects it is told
 * the lease is lost and stops the command. A server restart after an outage longer than the lease (issue 15,
 * item 11): the restarted sweeper gives the agent one lease to report back, so the job keeps its first attempt and
 * no log line is lost.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "stainbench.jobs.lease=4s", "stainbench.jobs.heartbeat=400ms", "stainbench.jobs.sweep-interval=300ms",
            "stainbench.jobs.backoff=30s", "stainbench.jobs.poll-wait=2s", "stainbench.jobs.cancel-grace=1s",
            "stainbench.jobs.assign-ack=2s"
        })
@ActiveProfiles("test")
class AgentOutageIT {

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
    Accounts accounts;

    @Autowired
    LeaseSweeper sweeper;

    @AfterAll
    static void stop() {
        agents.stopAll();
    }

    JobRow waitState(long id, Predicate<JobRow> p, Duration timeout) {
        AgentFailoverIT.waitFor("job " + id, () -> p.test(store.find(id).orElseThrow()), timeout);
        return store.find(id).orElseThrow();
    }

    @Test
    void theAgentRidesOutAShortOutageAndStopsAJobWhoseLeaseWasLost() throws Exception {
        try (FlakyProxy proxy = new FlakyProxy(port)) {
            String token = accounts.issueNodeToken("outage-box", "admin");
            Path workdir = dir.resolve("outage-box");
            agents.start("http://127.0.0.1:" + proxy.port(), token, workdir, "outage-box", null);

            // Short outage (2 s, lease 4 s): nothing is lost.
            long id = queue.submitCommand(CommandJob.shell(
                    "ticks", "for i in $(seq 1 40); do echo tick $i; sleep 0.1; done", Resources.cpu(), "alice"));
            waitState(
                    id,
                    j -> j.state() == JobState.RUNNING && logs.tail(id, 1000).contains("tick 2"),
                    Duration.ofSeconds(60));
            proxy.down();
            Waits.holdsFor(
                    Duration.ofSeconds(2),
                    "the job stays RUNNING through a 2 s outage",
                    () -> store.find(id).orElseThrow().state() == JobState.RUNNING);
            proxy.up();
            JobRow done = waitState(id, j -> j.state().isFinal(), Duration.ofSeconds(60));
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempt()).isEqualTo(1);
            List<String> ticks = logs.tail(id, 100_000)
                    .lines()
                    .filter(l -> l.startsWith("tick "))
                    .toList();
            assertThat(ticks).hasSize(40);
            for (int i = 0; i < 40; i++) {
                assertThat(ticks.get(i)).isEqualTo("tick " + (i + 1));
            }

            // Outage longer than the lease: the job is taken back (backoff 30 s keeps it queued), and the
            // agent, once it reconnects, hears its lease is lost and stops the command.
            long lost = queue.submitCommand(CommandJob.shell(
                    "long sleeper",
                    "echo begin; for i in $(seq 1 1500); do sleep 0.1; done; echo should-not-finish > finished.txt",
                    Resources.cpu(),
                    "alice"));
            waitState(
                    lost,
                    j -> j.state() == JobState.RUNNING && logs.tail(lost, 1000).contains("begin"),
                    Duration.ofSeconds(60));
            proxy.down();
            JobRow requeued = waitState(lost, j -> j.state() == JobState.QUEUED, Duration.ofSeconds(30));
            assertThat(requeued.attempt()).isEqualTo(1);
            proxy.up();
            Path agentLog = workdir.resolveSibling("outage-box.log");
            AgentFailoverIT.waitFor(
                    "the agent stops the job",
                    () -> {
                        try {
                            return Files.readString(agentLog)
                                    .contains("job " + lost + ": the server says the lease is lost");
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    },
                    Duration.ofSeconds(
                            120)); // the agent's reconnect backoff grows during the outage; generous under load
            Path folder = workdir.resolve("jobs").resolve(lost + "-attempt1");
            // the agent logs the lost lease, then stops the command's process group: let the stop land (the command
            // alone would run 150 s more), then the command must stay gone and never write its file
            Waits.upTo(Duration.ofSeconds(10), "the stopped command's processes are gone")
                    .until(() -> ProcessHandle.allProcesses()
                            .noneMatch(p -> p.info().commandLine().orElse("").contains("should-not-finish")));
            Waits.holdsFor(
                    Duration.ofMillis(1500),
                    "the stopped command neither finishes nor runs on",
                    () -> !Files.exists(folder.resolve("finished.txt"))
                            && ProcessHandle.allProcesses()
                                    .noneMatch(p ->
                                            p.info().commandLine().orElse("").contains("should-not-finish")));
            queue.cancel(lost, "test");
            assertThat(store.find(lost).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        }
    }

    @Test
    void aServerRestartAfterAnOutageLongerThanTheLeaseKeepsTheJobAndEveryLogLine() throws Exception {
        try (FlakyProxy proxy = new FlakyProxy(port)) {
            String token = accounts.issueNodeToken("restart-box", "admin");
            Path workdir = dir.resolve("restart-box");
            Process agent = agents.start("http://127.0.0.1:" + proxy.port(), token, workdir, "restart-box", null);
            long id = queue.submitCommand(CommandJob.shell(
                    "ticks through a restart",
                    "for i in $(seq 1 100); do echo tick $i; sleep 0.1; done",
                    Resources.cpu(),
                    "alice"));
            waitState(
                    id,
                    j -> j.state() == JobState.RUNNING && logs.tail(id, 1000).contains("tick 2"),
                    Duration.ofSeconds(60));
            // The server goes away (nobody sweeps, nobody is reachable) for longer than the 4 s lease ...
            sweeper.stop();
            proxy.down();
            try {
                Waits.holdsFor(
                        Duration.ofSeconds(5),
                        "the server is down for more than a lease",
                        () -> store.find(id).orElseThrow().state() == JobState.RUNNING);
                // ... and starts again: the sweeper runs before the agent got through.
                sweeper.start();
                Waits.holdsFor(
                        Duration.ofSeconds(1),
                        "the restarted sweeper leaves the job with its agent",
                        () -> store.find(id).orElseThrow().state() == JobState.RUNNING);
            } finally {
                sweeper.start();
                proxy.up();
            }
            JobRow done = waitState(id, j -> j.state().isFinal(), Duration.ofSeconds(90));
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempt()).isEqualTo(1);
            List<String> ticks = Waits.upTo(Duration.ofSeconds(30), "every log line")
                    .until(
                            () -> logs.tail(id, 100_000)
                                    .lines()
                                    .filter(l -> l.startsWith("tick "))
                                    .toList(),
                            t -> t.size() >= 100);
            assertThat(ticks).hasSize(100);
            for (int i = 0; i < 100; i++) {
                assertThat(ticks.get(i)).isEqualTo("tick " + (i + 1));
            }
            // SIGTERM: the agent deregisters, so the server's long poll still open for it claims no later job
            agent.destroy();
            assertThat(agent.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }
}
