package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stainbench.support.SlurmCluster;
import org.stainbench.support.Waits;

/**
 * Submit, follow and cancel jobs on the real Slurm cluster; the one-job agent in the allocation streams
 * the log and reports the exit code. Run through sbatch ({@link SlurmCliIT}) and slurmrestd ({@link SlurmRestIT}).
 */
// the integration tests run classes side by side (pom.xml): the two Slurm classes share the one-node cluster, whose
// slots a running job of the other class would hold, so they take turns
@ResourceLock("slurm-cluster")
abstract class SlurmJobsChecks {

    @Autowired
    JobQueue queue;

    @Autowired
    JobStore store;

    @Autowired
    JobLogs logs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SlurmExecutor slurm;

    @Autowired
    SlurmClusters clusters;

    @BeforeAll
    static void needsSlurm() {
        SlurmCluster.require();
    }

    long submit(String command) {
        return queue.submitCommand(new CommandJob(
                "command",
                "slurm test",
                command,
                Map.of("WHO", "slurm"),
                List.of(),
                List.of("out.txt"),
                new Resources(0, 0, 1, 256, Duration.ofMinutes(10)),
                "alice",
                "run-7",
                true));
    }

    JobRow await(long id, java.util.function.Predicate<JobRow> p) {
        try {
            return Waits.upTo(Duration.ofSeconds(90), "job " + id)
                    .until(() -> store.find(id).orElseThrow(), p);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "job " + id + " did not get there: " + store.find(id) + "\nlog:\n" + logs.tail(id, 4000), e);
        }
    }

    /** Slurm's own record of the job once final, or its last state after 30 s (the caller asserts on it). */
    SlurmGateway.Status awaitSlurmFinal(JobRow job) {
        try {
            return Waits.upTo(Duration.ofSeconds(30), "Slurm's final state of job " + job.id())
                    .until(() -> slurm.slurmStatus(job).orElseThrow(), SlurmGateway.Status::isFinal);
        } catch (ConditionTimeoutException e) {
            return slurm.slurmStatus(job).orElseThrow();
        }
    }

    @Test
    void aJobsLogAndExitCodeArriveInThePlatform() throws Exception {
        long id = submit(
                "echo \"hello from slurm job $SLURM_JOB_ID, platform job $STAINBENCH_JOB_ID, $WHO, run $MLFLOW_RUN_ID\";"
                        + " echo result > out.txt; echo oops >&2; exit 7");
        JobRow done = await(id, j -> j.state().isFinal());
        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.exitCode()).isEqualTo(7);
        assertThat(done.externalId()).matches("\\d+");
        assertThat(logs.tail(id, 10_000))
                .contains("hello from slurm job " + done.externalId() + ", platform job " + id + ", slurm, run run-7")
                .contains("oops");
        assertThat(jdbc.sql("select state from job_event where job_id = ? order by id")
                        .param(id)
                        .query(String.class)
                        .list())
                .containsSubsequence("QUEUED", "SUBMITTED", "RUNNING", "FAILED");
        assertThat(jdbc.sql("select count(*) from job_output where job_id = ? and name = 'out.txt'")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        // Slurm agrees the batch job is over (once the agent's JVM has exited).
        assertThat(awaitSlurmFinal(done).state()).isEqualTo("FAILED");
    }

    @Test
    void aSucceedingJobSucceeds() throws Exception {
        long id = submit("echo fine");
        JobRow done = await(id, j -> j.state().isFinal());
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.exitCode()).isZero();
        assertThat(logs.tail(id, 10_000)).contains("fine");
    }

    @Test
    void cancellingARunningJobCancelsItOnSlurm() throws Exception {
        long id = submit("echo started; sleep 120");
        await(id, j -> j.state() == JobState.RUNNING && logs.tail(id, 1000).contains("started"));
        queue.cancel(id, "bob");
        JobRow done = await(id, j -> j.state().isFinal());
        assertThat(done.state()).isEqualTo(JobState.CANCELLED);
        // the job has ended on Slurm too, as CANCELLED: scancel goes first, the agent is told to stop only after it
        // (were the agent first, its non-zero exit would make Slurm's accounting say FAILED)
        assertThat(awaitSlurmFinal(done).state()).isEqualTo("CANCELLED");
        assertThat(jdbc.sql("select note from job_event where job_id = ? and note is not null order by id")
                        .param(id)
                        .query(String.class)
                        .list())
                .anyMatch(m -> m.startsWith("Slurm job " + done.externalId() + " cancelled"));
    }

    /** How this path's refusal of a GPU request reads (the CI cluster has no GPUs). */
    abstract void checkGpuRefusal(String error);

    @Test
    void aGpuRequestReachesSlurmWhichRefusesItOnAClusterWithoutGpus() throws Exception {
        long id = queue.submitCommand(new CommandJob(
                "command",
                "needs a GPU",
                "nvidia-smi",
                Map.of(),
                List.of(),
                List.of(),
                new Resources(1, 1000, 1, 256, Duration.ofMinutes(10)),
                "alice",
                null,
                true));
        JobRow done = await(id, j -> j.state().isFinal());
        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.error()).startsWith("Slurm submission failed");
        checkGpuRefusal(done.error());
    }

    @Test
    void thePartitionsAreListed() {
        assertThat(clusters.partitions())
                .extracting(SlurmClusters.Partition::name)
                .contains("debug");
    }
}
