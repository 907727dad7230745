package org.stainbench.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Read models for the jobs and nodes pages. */
@Component
class JobViews {

    record Event(Instant at, String state, int attempt, String note) {}

    record Attempt(
            int attempt,
            String holder,
            Instant startedAt,
            Instant endedAt,
            String outcome,
            Integer exitCode,
            String note) {}

    record Output(long id, int attempt, String name, long sizeBytes, String sha256, String path, Instant createdAt) {}

    record NodeView(NodeRow node, String status, List<JobRow> jobs) {}

    private final JdbcClient jdbc;
    private final AgentService agents;
    private final Clock clock;

    JobViews(JdbcClient jdbc, AgentService agents, Clock clock) {
        this.jdbc = jdbc;
        this.agents = agents;
        this.clock = clock;
    }

    Page<JobRow> page(String state, String type, int page, int size) {
        return page(state, type, null, List.of(), page, size);
    }

    /**
     * A page of jobs, newest first. {@code submittedBy}: only that user's jobs (null: anyone's); {@code hiddenTypes}:
     * job types left out (the automatic ones, unless every job is asked for).
     */
    Page<JobRow> page(String state, String type, String submittedBy, List<String> hiddenTypes, int page, int size) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> args = new ArrayList<>();
        if (submittedBy != null) {
            where.append(" and submitted_by = ?");
            args.add(submittedBy);
        }
        if (!hiddenTypes.isEmpty() && (type == null || type.isBlank())) {
            where.append(" and type not in (")
                    .append(String.join(",", java.util.Collections.nCopies(hiddenTypes.size(), "?")))
                    .append(")");
            args.addAll(hiddenTypes);
        }
        if (state != null && !state.isBlank()) {
            where.append(" and state = ?");
            args.add(JobState.valueOf(state).name());
        }
        if (type != null && !type.isBlank()) {
            where.append(" and type = ?");
            args.add(type);
        }
        long total = jdbc.sql("select count(*) from job" + where)
                .params(args)
                .query(Long.class)
                .single();
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(size);
        pageArgs.add((long) page * size);
        List<JobRow> rows = jdbc.sql("select * from job" + where + " order by id desc limit ? offset ?")
                .params(pageArgs)
                .query(JobRow::map)
                .list();
        return new PageImpl<>(rows, PageRequest.of(page, size), total);
    }

    List<String> types() {
        return jdbc.sql("select distinct type from job order by type")
                .query(String.class)
                .list();
    }

    long countIn(String... states) {
        String in = String.join(",", java.util.Collections.nCopies(states.length, "?"));
        return jdbc.sql("select count(*) from job where state in (" + in + ")")
                .params((Object[]) states)
                .query(Long.class)
                .single();
    }

    List<Event> events(long jobId) {
        return jdbc.sql("select * from job_event where job_id = ? order by id")
                .param(jobId)
                .query((rs, i) -> new Event(
                        JobRow.instant(rs, "at"), rs.getString("state"), rs.getInt("attempt"), rs.getString("note")))
                .list();
    }

    List<Attempt> attempts(long jobId) {
        return jdbc.sql("select * from job_attempt where job_id = ? order by attempt")
                .param(jobId)
                .query((rs, i) -> {
                    int exit = rs.getInt("exit_code");
                    return new Attempt(
                            rs.getInt("attempt"),
                            rs.getString("holder"),
                            JobRow.instant(rs, "started_at"),
                            JobRow.instant(rs, "ended_at"),
                            rs.getString("outcome"),
                            rs.wasNull() ? null : exit,
                            rs.getString("note"));
                })
                .list();
    }

    List<Output> outputs(long jobId) {
        return jdbc.sql("select * from job_output where job_id = ? order by id")
                .param(jobId)
                .query((rs, i) -> new Output(
                        rs.getLong("id"),
                        rs.getInt("attempt"),
                        rs.getString("name"),
                        rs.getLong("size_bytes"),
                        rs.getString("sha256"),
                        rs.getString("path"),
                        JobRow.instant(rs, "created_at")))
                .list();
    }

    Optional<Output> output(long jobId, long outputId) {
        return outputs(jobId).stream().filter(o -> o.id() == outputId).findFirst();
    }

    List<NodeView> nodes() {
        Instant now = clock.instant();
        List<NodeView> views = new ArrayList<>();
        for (NodeRow n : agents.nodes()) {
            List<JobRow> jobs = jdbc.sql("select * from job where holder = ? and state in " + JobStore.ACTIVE)
                    .param(n.name())
                    .query(JobRow::map)
                    .list();
            String status = !agents.online(n, now) ? "offline" : jobs.isEmpty() ? "idle" : "busy";
            if (n.oneJob() && "offline".equals(status)) {
                continue; // a Slurm one-job agent that has finished
            }
            views.add(new NodeView(n, status, jobs));
        }
        return views;
    }

    /**
     * Why no node takes a queued agent job: empty when an online node could run it (it waits its turn), else
     * one sentence naming the resource no online node has.
     */
    Optional<String> whyWaiting(JobRow job) {
        if (job.state() != JobState.QUEUED || job.executor() != Executor.AGENT) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (job.notBefore() != null && job.notBefore().isAfter(now)) {
            return Optional.of("Backing off after a lost attempt until " + job.notBefore() + ".");
        }
        return noNodeFor(job.resources(), "this job");
    }

    /**
     * Why no online node agent could run work needing {@code r} now: empty when one could, else one sentence ("No
     * node agent is online.", or the resource no online node has). {@code what} names the work in that sentence.
     */
    Optional<String> noNodeFor(Resources r, String what) {
        Instant now = clock.instant();
        List<NodeRow> online =
                agents.nodes().stream().filter(n -> agents.online(n, now)).toList();
        if (online.isEmpty()) {
            return Optional.of("No node agent is online.");
        }
        if (online.stream().anyMatch(n -> n.satisfies(r))) {
            return Optional.empty();
        }
        List<String> reasons = new ArrayList<>();
        int maxGpus = online.stream().mapToInt(NodeRow::gpuCount).max().orElse(0);
        if (r.gpus() > maxGpus) {
            reasons.add("it needs " + r.gpus() + " GPU(s); the most any online node has is " + maxGpus);
        } else if (r.gpus() > 0
                && online.stream()
                        .filter(n -> n.gpuCount() >= r.gpus())
                        .noneMatch(n -> n.gpuMemoryMb() >= r.gpuMemoryMb())) {
            reasons.add("it needs " + r.gpuMemoryMb() + " MB per GPU; no online node with " + r.gpus()
                    + " GPU(s) has that much");
        }
        int maxCpus = online.stream().mapToInt(NodeRow::cpus).max().orElse(0);
        if (r.cpus() > maxCpus) {
            reasons.add("it needs " + r.cpus() + " CPUs; the most any online node has is " + maxCpus);
        }
        long maxMem = online.stream().mapToLong(NodeRow::memoryMb).max().orElse(0);
        if (r.memoryMb() > maxMem) {
            reasons.add(
                    "it needs " + r.memoryMb() + " MB of memory; the most any online node has is " + maxMem + " MB");
        }
        if (reasons.isEmpty()) {
            reasons.add("no single online node has all of " + r.gpus() + " GPU(s), " + r.cpus() + " CPUs and "
                    + r.memoryMb() + " MB together");
        }
        return Optional.of("No online node can run " + what + ": " + String.join("; ", reasons) + ".");
    }

    Map<String, Long> stateCounts() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (JobState s : JobState.values()) {
            counts.put(s.name(), 0L);
        }
        jdbc.sql("select state, count(*) n from job group by state")
                .query((rs, i) -> {
                    counts.put(rs.getString("state"), rs.getLong("n"));
                    return null;
                })
                .list();
        return counts;
    }
}
