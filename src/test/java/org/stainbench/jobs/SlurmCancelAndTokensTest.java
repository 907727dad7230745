package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.support.MutableClock;

/**
 * The Slurm executor's own rules, with the real {@code scancel} of this host refusing a malformed Slurm job id
 * (with or without a cluster; an unknown numeric id is accepted silently by Slurm 22.05): a cancelled attempt's agent is told to
 * stop only once Slurm took the cancel or after {@link SlurmExecutor#AGENT_CANCEL_FALLBACK}; one-job agent tokens
 * of earlier starts are revoked once no job submitted before this start is active. The end-to-end cancel on a
 * real Slurm is in {@code SlurmCliIT}/{@code SlurmRestIT}.
 */
@SpringBootTest
@ActiveProfiles("test")
class SlurmCancelAndTokensTest {

    @Autowired
    JobStore store;

    @Autowired
    JobQueue queue;

    @Autowired
    JobLogs logs;

    @Autowired
    JobEvents events;

    @Autowired
    QueueSignal signal;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Value("${stainbench.data-dir}")
    String dataDir;

    MutableClock clock;
    SlurmExecutor executor;

    @BeforeEach
    void setUp() {
        // an hour ahead: tokens and claims made by this test on the system clock are "before this start"
        clock = new MutableClock(Instant.now().plus(Duration.ofHours(1)));
        SlurmProperties props = new SlurmProperties(
                SlurmProperties.Mode.CLI,
                "",
                "",
                "",
                "v0.0.38",
                "",
                "",
                "",
                "",
                "",
                "",
                "admin",
                "",
                Duration.ofSeconds(2));
        executor = new SlurmExecutor(
                props,
                new SlurmCli(),
                store,
                logs,
                events,
                signal,
                accounts,
                clock,
                dataDir,
                0,
                new JobInstance(false, "test"));
    }

    long slurmJob() {
        return queue.submitCommand(new CommandJob(
                "command",
                "cancel rules",
                "sleep 600",
                Map.of(),
                List.of(),
                List.of(),
                new Resources(0, 0, 1, 64, Duration.ofMinutes(5)),
                "alice",
                null,
                true));
    }

    @Test
    void aCancelledAttemptsAgentWaitsForScancelThenForTheFallback() {
        long id = slurmJob();
        Claim claim = store.trySubmit(id, "slurm", clock.instant()).orElseThrow();
        store.setExternalId(id, claim.token(), "not-a-slurm-job");
        try {
            JobRow running = store.find(id).orElseThrow();
            assertThat(executor.agentMayStop(running))
                    .as("nothing was cancelled yet")
                    .isFalse();

            queue.cancel(id, "bob");
            executor.tick(); // scancel refuses the id: the attempt waits
            JobRow cancelling = store.find(id).orElseThrow();
            assertThat(cancelling.cancelRequested()).isTrue();
            assertThat(executor.agentMayStop(cancelling)).isFalse();
            clock.advance(SlurmExecutor.AGENT_CANCEL_FALLBACK.minusSeconds(1));
            assertThat(executor.agentMayStop(cancelling)).isFalse();
            clock.advance(Duration.ofSeconds(1));
            assertThat(executor.agentMayStop(cancelling))
                    .as("scancel failed for the whole fallback time")
                    .isTrue();
        } finally {
            // no active Slurm job is left behind for the other tests of this context
            store.finish(id, claim.token(), JobState.CANCELLED, null, "test over", clock.instant());
        }
    }

    @Test
    void tokensOfEarlierStartsAreRevokedOnceTheirJobsAreOver() {
        String earlier = SlurmExecutor.TOKEN_NAME + " (an earlier start " + System.nanoTime() + ")";
        String unrelated = "gpu-node-" + System.nanoTime();
        accounts.issueNodeToken(earlier, "admin");
        accounts.issueNodeToken(unrelated, "admin");
        long id = slurmJob();
        Claim claim = store.trySubmit(id, "slurm", Instant.now()).orElseThrow(); // submitted before this start
        store.setExternalId(id, claim.token(), "not-a-slurm-job");

        executor.revokeEarlierTokens(store.active(Executor.SLURM));
        assertThat(revoked(earlier))
                .as("its job may still be running with that token")
                .isFalse();

        store.finish(id, claim.token(), JobState.SUCCEEDED, 0, null, Instant.now());
        assertThat(store.active(Executor.SLURM)).isEmpty();
        executor.revokeEarlierTokens(store.active(Executor.SLURM));
        assertThat(revoked(earlier)).isTrue();
        assertThat(revoked(unrelated)).as("only the one-job agent tokens").isFalse();
    }

    @Test
    void withSeveralInstancesAStartRevokesOnlyItsOwnEarlierTokens() {
        SlurmProperties props = new SlurmProperties(
                SlurmProperties.Mode.CLI,
                "",
                "",
                "",
                "v0.0.38",
                "",
                "",
                "",
                "",
                "",
                "",
                "admin",
                "",
                Duration.ofSeconds(2));
        SlurmExecutor nodeA = new SlurmExecutor(
                props,
                new SlurmCli(),
                store,
                logs,
                events,
                signal,
                accounts,
                clock,
                dataDir,
                0,
                new JobInstance(true, "node-a"));
        String ownEarlier = nodeA.tokenPrefix() + "earlier " + System.nanoTime() + ")";
        String otherLive = SlurmExecutor.TOKEN_NAME + " (node-b, " + System.nanoTime() + ")";
        accounts.issueNodeToken(ownEarlier, "admin");
        accounts.issueNodeToken(otherLive, "admin");

        nodeA.revokeEarlierTokens(List.of());

        assertThat(revoked(ownEarlier)).isTrue();
        assertThat(revoked(otherLive))
                .as("node-b still runs: its agents keep their token")
                .isFalse();
    }

    boolean revoked(String tokenName) {
        return jdbc.sql("select count(*) from machine_token where name = ? and revoked_at is not null")
                        .param(tokenName)
                        .query(Long.class)
                        .single()
                == 1;
    }
}
