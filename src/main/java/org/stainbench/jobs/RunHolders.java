package org.stainbench.jobs;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.accounts.TokenScope;

/**
 * Which tracking runs a machine caller that is not a person may touch: the front door the tracking module asks
 * before a NODE token (or a job's own credential) reads or writes an MLflow run.
 * <p>
 * Contract: {@link #holds} is true only when
 * <ul>
 * <li>{@code caller} is a NODE token one of whose nodes (a node registered with that token and not deregistered)
 * currently holds a job in state ASSIGNED or RUNNING whose {@code MLFLOW_RUN_ID} ({@link CommandSpec#mlflowRunId})
 * is {@code runUuid} — for that attempt: once the attempt ends (finished, failed, cancelled, re-queued, or taken
 * by another node) the node no longer holds the run; or</li>
 * <li>{@code caller} is a JOB credential ({@link JobCredentials}) whose attempt is still the job's current one, the
 * job is ASSIGNED or RUNNING, and the job's {@code MLFLOW_RUN_ID} is {@code runUuid};</li>
 * </ul>
 * false for every other caller, including API tokens (their rights come from their owner's role, not from this
 * class), for a null or blank run id and for jobs without a run.
 */
@Service
public class RunHolders {

    private final JdbcClient jdbc;

    RunHolders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The job a job credential belongs to, and the node running it ({@code holder}), issue 21. */
    public record HeldJob(long jobId, String type, String holder) {}

    /**
     * The job whose current attempt {@code caller} is the credential of ({@link JobCredentials}), while that job is
     * ASSIGNED or RUNNING; empty for every other caller (NODE and API tokens, a finished or superseded attempt).
     */
    public java.util.Optional<HeldJob> jobOf(ApiPrincipal caller) {
        if (caller == null || caller.scope() != TokenScope.JOB) {
            return java.util.Optional.empty();
        }
        return jdbc.sql(
                        """
                select j.id, j.type, j.holder from job_attempt a join job j on j.id = a.job_id
                where a.id = ? and a.ended_at is null and j.attempt_token = a.token
                  and j.state in ('ASSIGNED','RUNNING')""")
                .param(caller.tokenId())
                .query((rs, row) -> new HeldJob(rs.getLong("id"), rs.getString("type"), rs.getString("holder")))
                .optional();
    }

    /** Whether {@code caller} holds the run {@code runUuid} through a job it is running now. */
    public boolean holds(ApiPrincipal caller, String runUuid) {
        if (caller == null || runUuid == null || runUuid.isBlank()) {
            return false;
        }
        List<String> specs;
        if (caller.scope() == TokenScope.NODE) {
            // hand SQL: a join of job and node per authorised MLflow call, one statement
            specs = jdbc.sql(
                            """
                    select j.spec from job j join node n on n.name = j.holder
                    where n.token_id = ? and n.deregistered_at is null and j.state in ('ASSIGNED','RUNNING')
                      and j.executor <> 'EMBEDDED' and j.attempt_token is not null""")
                    .param(caller.tokenId())
                    .query(String.class)
                    .list();
        } else if (caller.scope() == TokenScope.JOB) {
            specs = jdbc.sql(
                            """
                    select j.spec from job_attempt a join job j on j.id = a.job_id
                    where a.id = ? and a.ended_at is null and j.attempt_token = a.token
                      and j.state in ('ASSIGNED','RUNNING')""")
                    .param(caller.tokenId())
                    .query(String.class)
                    .list();
        } else {
            return false;
        }
        for (String json : specs) {
            CommandSpec spec;
            try {
                spec = json == null ? null : CommandSpec.of(json);
            } catch (RuntimeException e) {
                continue; // not a command job's spec
            }
            if (spec != null && runUuid.equals(spec.mlflowRunId())) {
                return true;
            }
        }
        return false;
    }
}
