package org.stainbench.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Read-only figures for other modules' overviews (the dashboard): active jobs, GPU time held by attempts, nodes. */
@Component
public class JobUsage {

    /**
     * One attempt of a job that asked for GPUs: {@code gpus} held by {@code holder} (a node, or a Slurm agent) from
     * {@code start} to {@code end}; {@code end} is null while the attempt still runs.
     */
    public record GpuSpan(long jobId, String title, String holder, int gpus, Instant start, Instant end) {}

    /** A node agent with its GPUs as it last registered them. */
    public record NodeGpus(String name, int gpuCount, List<String> gpuNames, boolean online) {}

    private final JdbcClient jdbc;
    private final AgentService agents;
    private final Clock clock;

    JobUsage(JdbcClient jdbc, AgentService agents, Clock clock) {
        this.jdbc = jdbc;
        this.agents = agents;
        this.clock = clock;
    }

    /** Jobs queued, assigned, submitted or running, newest first, at most {@code limit}. */
    public List<JobSummary> active(int limit) {
        return jdbc
                .sql("select * from job where state = 'QUEUED' or state in " + JobStore.ACTIVE
                        + " order by id desc limit ?")
                .param(limit)
                .query(JobRow::map)
                .list()
                .stream()
                .map(JobRow::summary)
                .toList();
    }

    /** How many jobs are in one of {@code states}. */
    public long count(JobState... states) {
        if (states.length == 0) {
            return 0;
        }
        String in = String.join(",", java.util.Collections.nCopies(states.length, "?"));
        return jdbc.sql("select count(*) from job where state in (" + in + ")")
                .params(java.util.Arrays.stream(states).map(JobState::name).toList())
                .query(Long.class)
                .single();
    }

    /**
     * Attempts of jobs with at least one GPU that overlap [{@code from}, {@code to}). An attempt with no end whose job
     * is final ends at the job's finish time; one whose job is still active is open (end null).
     */
    public List<GpuSpan> gpuSpans(Instant from, Instant to) {
        return jdbc.sql(
                        """
                select a.job_id, j.title, a.holder, j.gpus, j.state, a.started_at, a.ended_at, j.finished_at
                from job_attempt a join job j on j.id = a.job_id
                where j.gpus > 0 and a.started_at < ? and (a.ended_at is null or a.ended_at > ?)
                order by a.started_at, a.id""")
                .params(JobStore.ts(to), JobStore.ts(from))
                .query((rs, i) -> {
                    Instant end = JobRow.instant(rs, "ended_at");
                    if (end == null && JobState.valueOf(rs.getString("state")).isFinal()) {
                        end = JobRow.instant(rs, "finished_at");
                    }
                    return new GpuSpan(
                            rs.getLong("job_id"),
                            rs.getString("title"),
                            rs.getString("holder"),
                            rs.getInt("gpus"),
                            JobRow.instant(rs, "started_at"),
                            end);
                })
                .list();
    }

    /** The standing node agents (not finished Slurm one-job agents) with their GPUs. */
    public List<NodeGpus> nodes() {
        Instant now = clock.instant();
        return agents.nodes().stream()
                .filter(n -> !n.oneJob() || agents.online(n, now))
                .map(n -> new NodeGpus(
                        n.name(),
                        n.gpuCount(),
                        n.gpus().stream().map(g -> g.name()).toList(),
                        agents.online(n, now)))
                .toList();
    }
}
