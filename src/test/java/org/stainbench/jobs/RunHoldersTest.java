package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.accounts.TokenScope;
import org.stainbench.jobs.agent.Protocol;

/**
 * Issue 15, item 3: a NODE token holds a run only while one of its nodes holds the ASSIGNED/RUNNING job whose
 * MLFLOW_RUN_ID it is, for the current attempt; a job's own credential (scope JOB) only while its attempt is the
 * job's current, active one. Everything else — another run, a finished job, a re-queued attempt, an API token —
 * holds nothing. (Before: every NODE token held every run.)
 */
@SpringBootTest
@ActiveProfiles("test")
class RunHoldersTest {

    /** Only the nodes of this test have this much memory: nobody else claims these jobs. */
    static final long MEMORY_MB = 7_000_000;

    static int counter;

    @Autowired
    RunHolders holders;

    @Autowired
    AgentService agents;

    @Autowired
    JobStore store;

    @Autowired
    JobQueue queue;

    @Autowired
    JobCredentials credentials;

    record Node(String name, ApiPrincipal principal) {}

    Node node() {
        int n = ++counter;
        long tokenId = 880_000 + n;
        String name = "holder-node-" + n;
        agents.register(tokenId, new Protocol.Registration(name, "h", 4, MEMORY_MB, List.of(), false, "test"));
        return new Node(name, new ApiPrincipal("admin", tokenId, "node token " + n, TokenScope.NODE));
    }

    long submit(String runId) {
        return queue.submitCommand(new CommandJob(
                "command",
                "tracked",
                "sleep 1",
                Map.of(),
                List.of(),
                List.of(),
                new Resources(0, 0, 1, MEMORY_MB, Duration.ofHours(1)),
                "admin",
                runId,
                false));
    }

    /** Claims the job for the node as a long poll would, and returns the assignment (with the job credential). */
    Protocol.Assignment claim(long id, Node node) {
        Instant now = Instant.now();
        Claim claim = store.tryClaim(id, node.name(), now.plus(Duration.ofMinutes(5)), now)
                .orElseThrow();
        return agents.assignment(store.find(id).orElseThrow(), claim);
    }

    ApiPrincipal job(Protocol.Assignment a) {
        return credentials.resolve(a.jobCredential()).orElse(null);
    }

    @Test
    void aNodeHoldsOnlyTheRunOfAJobItHoldsNow() {
        Node node = node();
        Node other = node();
        long id = submit("run-held-1");
        assertThat(holders.holds(node.principal(), "run-held-1"))
                .as("queued: nobody holds it")
                .isFalse();

        Protocol.Assignment a = claim(id, node);
        assertThat(holders.holds(node.principal(), "run-held-1")).as("ASSIGNED").isTrue();
        agents.start(node.principal().tokenId(), id, new Protocol.Start(node.name(), a.token()));
        assertThat(holders.holds(node.principal(), "run-held-1")).as("RUNNING").isTrue();

        assertThat(holders.holds(node.principal(), "some-other-run"))
                .as("another run")
                .isFalse();
        assertThat(holders.holds(other.principal(), "run-held-1"))
                .as("another node's token")
                .isFalse();
        assertThat(holders.holds(
                        new ApiPrincipal("admin", node.principal().tokenId(), "api", TokenScope.API), "run-held-1"))
                .as("API tokens get their rights from their owner's role, not here")
                .isFalse();
        assertThat(holders.holds(node.principal(), null)).isFalse();
        assertThat(holders.holds(null, "run-held-1")).isFalse();

        agents.finish(node.principal().tokenId(), id, new Protocol.Finish(node.name(), a.token(), 0, null, false));
        assertThat(holders.holds(node.principal(), "run-held-1")).as("finished").isFalse();
    }

    @Test
    void aReQueuedAttemptNoLongerHoldsTheRunButTheNextAttemptDoes() {
        Node first = node();
        Node second = node();
        long id = submit("run-held-2");
        Protocol.Assignment a1 = claim(id, first);
        agents.start(first.principal().tokenId(), id, new Protocol.Start(first.name(), a1.token()));
        ApiPrincipal cred1 = job(a1);
        assertThat(cred1).as("the first attempt's credential resolves").isNotNull();
        assertThat(cred1.scope()).isEqualTo(TokenScope.JOB);
        assertThat(cred1.username()).as("acts for the job's submitter").isEqualTo("admin");
        assertThat(holders.holds(cred1, "run-held-2"))
                .as("JOB credential, current attempt")
                .isTrue();
        assertThat(holders.holds(cred1, "another-run"))
                .as("JOB credential, another run")
                .isFalse();

        // the lease runs out: back in the queue (not before a backoff)
        Instant now = Instant.now();
        assertThat(store.requeueOrLose(id, a1.token(), "lease expired (test)", now, now))
                .isTrue();
        assertThat(holders.holds(first.principal(), "run-held-2"))
                .as("node of the re-queued attempt")
                .isFalse();
        assertThat(holders.holds(cred1, "run-held-2"))
                .as("stale JOB credential")
                .isFalse();
        assertThat(credentials.resolve(a1.jobCredential()))
                .as("a stale credential no longer resolves")
                .isEmpty();

        Protocol.Assignment a2 = claim(id, second);
        assertThat(a2.attempt()).isEqualTo(2);
        ApiPrincipal cred2 = job(a2);
        assertThat(holders.holds(second.principal(), "run-held-2")).isTrue();
        assertThat(holders.holds(first.principal(), "run-held-2"))
                .as("the old node, while another holds it")
                .isFalse();
        assertThat(holders.holds(cred2, "run-held-2")).isTrue();
        assertThat(credentials.resolve(a1.jobCredential()))
                .as("still dead while the next attempt runs")
                .isEmpty();
        assertThat(holders.holds(cred1, "run-held-2")).isFalse();
        assertThat(a2.jobCredential()).isNotEqualTo(a1.jobCredential()).startsWith("sbj_");

        // cancelled while running: the attempt ends, the credential dies with it
        queue.cancel(id, "admin");
        agents.finish(
                second.principal().tokenId(), id, new Protocol.Finish(second.name(), a2.token(), 143, null, true));
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(credentials.resolve(a2.jobCredential())).isEmpty();
        assertThat(holders.holds(cred2, "run-held-2")).isFalse();
        assertThat(holders.holds(second.principal(), "run-held-2")).isFalse();
    }

    @Test
    void aDeregisteredNodeHoldsNothing() {
        Node node = node();
        long id = submit("run-held-3");
        Protocol.Assignment a = claim(id, node);
        agents.start(node.principal().tokenId(), id, new Protocol.Start(node.name(), a.token()));
        assertThat(holders.holds(node.principal(), "run-held-3")).isTrue();
        agents.deregister(node.principal().tokenId(), node.name());
        assertThat(holders.holds(node.principal(), "run-held-3")).isFalse();
        JobRow job = store.find(id).orElseThrow();
        assertThat(job.state()).as("its running job is re-queued at once").isEqualTo(JobState.QUEUED);
        assertThat(credentials.resolve(a.jobCredential())).isEmpty();
        queue.cancel(id, "admin");
    }
}
