package org.stainbench.jobs;

import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every state change of a job is one guarded UPDATE here: a change applies only when the row is still
 * in the state (and, for a running attempt, carries the attempt token) the caller saw, and the row
 * count says whether it won. Works the same on H2 and PostgreSQL at READ COMMITTED: a second writer
 * waits for the first's commit, then finds the guard false and updates nothing.
 * <p>
 * Hand SQL ({@link JdbcClient}), not Spring Data: the claim and every transition are guarded UPDATEs whose row count
 * decides the winner (measured by {@code ClaimRace}); the node table itself is {@link NodeRepository}'s.
 */
@Component
class JobStore {

    static final String ACTIVE = "('ASSIGNED','SUBMITTED','RUNNING')";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    JobStore(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Timestamps are stored to the microsecond (both databases); truncating here keeps comparisons exact. */
    static SqlParameterValue ts(Instant instant) {
        return new SqlParameterValue(
                Types.TIMESTAMP_WITH_TIMEZONE,
                instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
    }

    long insert(JobRequest request, Executor executor, String spec, int maxAttempts, Instant now) {
        return tx.execute(s -> {
            GeneratedKeyHolder keys = new GeneratedKeyHolder();
            Resources r = request.resources();
            jdbc.sql(
                            """
                    insert into job (type, title, executor, state, params, spec, gpus, gpu_memory_mb, cpus, memory_mb,
                      time_limit_s, submitted_by, attempt, max_attempts, cancel_requested, progress_done,
                      progress_total, log_seq, created_at)
                    values (:type, :title, :executor, 'QUEUED', :params, :spec, :gpus, :gpuMemoryMb, :cpus, :memoryMb,
                      :timeLimitS, :submittedBy, 0, :maxAttempts, false, 0, 0, 0, :createdAt)""")
                    .param("type", request.type())
                    .param("title", request.title())
                    .param("executor", executor.name())
                    .param("params", Json.write(request.params()))
                    .param("spec", spec)
                    .param("gpus", r.gpus())
                    .param("gpuMemoryMb", r.gpuMemoryMb())
                    .param("cpus", r.cpus())
                    .param("memoryMb", r.memoryMb())
                    .param("timeLimitS", r.timeLimit().toSeconds())
                    .param("submittedBy", request.submittedBy())
                    .param("maxAttempts", maxAttempts)
                    .param("createdAt", ts(now))
                    .update(keys, "id");
            long id = keys.getKey().longValue();
            event(id, JobState.QUEUED, 0, "submitted by " + request.submittedBy(), now);
            return id;
        });
    }

    Optional<JobRow> find(long id) {
        return jdbc.sql("select * from job where id = ?")
                .param(id)
                .query(JobRow::map)
                .optional();
    }

    /** Ids of queued jobs of an executor that may start now, oldest first. */
    List<Long> queuedIds(Executor executor, Instant now, int limit) {
        return jdbc.sql(
                        """
                select id from job where state = 'QUEUED' and executor = ? and cancel_requested = false
                  and (not_before is null or not_before <= ?) order by id limit ?""")
                .params(executor.name(), ts(now), limit)
                .query(Long.class)
                .list();
    }

    /** Queued agent jobs a machine with these resources can run, oldest first. */
    List<Long> satisfiableIds(int gpus, long gpuMemoryMb, int cpus, long memoryMb, Instant now, int limit) {
        return jdbc.sql(
                        """
                select id from job where state = 'QUEUED' and executor = 'AGENT' and cancel_requested = false
                  and (not_before is null or not_before <= :now) and gpus <= :gpus
                  and (gpus = 0 or gpu_memory_mb <= :gpuMemoryMb) and cpus <= :cpus and memory_mb <= :memoryMb
                order by id limit :limit""")
                .param("now", ts(now))
                .param("gpus", gpus)
                .param("gpuMemoryMb", gpuMemoryMb)
                .param("cpus", cpus)
                .param("memoryMb", memoryMb)
                .param("limit", limit)
                .query(Long.class)
                .list();
    }

    /**
     * The claim: {@code update job set state='ASSIGNED', holder=?, attempt_token=?, lease_until=? where id=?
     * and state='QUEUED'}; exactly one caller sees a row count of 1. A node whose agent deregistered claims nothing.
     */
    Optional<Claim> tryClaim(long id, String holder, Instant leaseUntil, Instant now) {
        return tryTake(id, JobState.ASSIGNED, holder, leaseUntil, null, now);
    }

    /** Like {@link #tryClaim} for Slurm: QUEUED → SUBMITTED, no lease until the one-job agent starts. */
    Optional<Claim> trySubmit(long id, String holder, Instant now) {
        return tryTake(id, JobState.SUBMITTED, holder, null, null, now);
    }

    private Optional<Claim> tryTake(long id, JobState to, String holder, Instant leaseUntil, String note, Instant now) {
        String token = UUID.randomUUID().toString();
        return Optional.ofNullable(tx.execute(s -> {
            // hand SQL: the guarded claim, with the node's deregistration checked in the same statement (no race)
            int n = jdbc.sql(
                            """
                    update job set state = :state, holder = :holder, attempt_token = :attemptToken,
                      lease_until = :leaseUntil, assigned_at = :assignedAt,
                      attempt = attempt + 1, exit_code = null, error = null, progress_done = 0, progress_total = 0,
                      log_seq = 0
                    where id = :id and state = 'QUEUED' and cancel_requested = false
                      and not exists (select 1 from node n where n.name = :holder and n.deregistered_at is not null)""")
                    .param("state", to.name())
                    .param("holder", holder)
                    .param("attemptToken", token)
                    .param("leaseUntil", ts(leaseUntil))
                    .param("assignedAt", ts(now))
                    .param("id", id)
                    .update();
            if (n != 1) {
                return null;
            }
            int attempt = jdbc.sql("select attempt from job where id = ?")
                    .param(id)
                    .query(Integer.class)
                    .single();
            jdbc.sql("insert into job_attempt (job_id, attempt, token, holder, started_at) values (:jobId,"
                            + " :attempt, :token, :holder, :startedAt)")
                    .param("jobId", id)
                    .param("attempt", attempt)
                    .param("token", token)
                    .param("holder", holder)
                    .param("startedAt", ts(now))
                    .update();
            event(id, to, attempt, note == null ? "by " + holder : note, now);
            return new Claim(id, attempt, token);
        }));
    }

    /** ASSIGNED/SUBMITTED → RUNNING for the current attempt; the holder may change (a Slurm one-job agent). */
    boolean markRunning(long id, String token, String holder, Instant leaseUntil, Instant now) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            int n = jdbc.sql(
                            """
                    update job set state = 'RUNNING', started_at = :startedAt, holder = :holder,
                      lease_until = :leaseUntil
                    where id = :id and attempt_token = :attemptToken and state in ('ASSIGNED','SUBMITTED')""")
                    .param("startedAt", ts(now))
                    .param("holder", holder)
                    .param("leaseUntil", ts(leaseUntil))
                    .param("id", id)
                    .param("attemptToken", token)
                    .update();
            if (n == 1) {
                jdbc.sql("update job_attempt set holder = ? where token = ?")
                        .params(holder, token)
                        .update();
                event(id, JobState.RUNNING, attemptOf(id), "on " + holder, now);
            }
            return n == 1;
        }));
    }

    /** Extends the lease of the current attempt; false when the attempt was superseded or finished. */
    boolean extendLease(long id, String token, Instant leaseUntil) {
        return jdbc.sql("update job set lease_until = ? where id = ? and attempt_token = ? and state in " + ACTIVE)
                        .params(ts(leaseUntil), id, token)
                        .update()
                == 1;
    }

    boolean progress(long id, String token, long done, long total, String unit) {
        return jdbc.sql(
                                """
                update job set progress_done = :progressDone, progress_total = :progressTotal,
                  progress_unit = :progressUnit
                where id = :id and attempt_token = :attemptToken and state in """
                                        + ACTIVE)
                        .param("progressDone", done)
                        .param("progressTotal", total)
                        .param("progressUnit", unit)
                        .param("id", id)
                        .param("attemptToken", token)
                        .update()
                == 1;
    }

    /** Records the highest log chunk accepted for the attempt; false for a stale attempt. */
    boolean advanceLogSeq(long id, String token, long seq) {
        return jdbc.sql("update job set log_seq = ? where id = ? and attempt_token = ? and log_seq < ?")
                        .params(seq, id, token, seq)
                        .update()
                == 1;
    }

    /** Ends the current attempt in a final state; false when the token no longer holds the job. */
    boolean finish(long id, String token, JobState state, Integer exitCode, String error, Instant now) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            int n = jdbc.sql(
                            """
                    update job set state = :state, exit_code = :exitCode, error = :error,
                      finished_at = :finishedAt, lease_until = null
                    where id = :id and attempt_token = :attemptToken and state in """
                                    + ACTIVE)
                    .param("state", state.name())
                    .param("exitCode", exitCode)
                    .param("error", clip(error))
                    .param("finishedAt", ts(now))
                    .param("id", id)
                    .param("attemptToken", token)
                    .update();
            if (n == 1) {
                endAttempt(token, state.name(), exitCode, error, now);
                event(
                        id,
                        state,
                        attemptOf(id),
                        exitCode == null
                                ? clip(error)
                                : "exit code " + exitCode + (error == null ? "" : ": " + clip(error)),
                        now);
            }
            return n == 1;
        }));
    }

    /** Puts an attempt's job back in the queue (lease expired, server restarted) or marks it LOST. */
    boolean requeueOrLose(long id, String token, String why, Instant notBefore, Instant now) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            JobRow job = find(id).orElse(null);
            if (job == null
                    || !token.equals(job.attemptToken())
                    || job.state().isFinal()
                    || job.state() == JobState.QUEUED) {
                return false;
            }
            JobState to = job.cancelRequested()
                    ? JobState.CANCELLED
                    : job.attempt() >= job.maxAttempts() ? JobState.LOST : JobState.QUEUED;
            int n = jdbc.sql(
                            """
                    update job set state = :state, holder = null, attempt_token = null, lease_until = null,
                      not_before = :notBefore,
                      finished_at = :finishedAt, error = :error
                    where id = :id and attempt_token = :attemptToken and state in """
                                    + ACTIVE)
                    .param("state", to.name())
                    .param("notBefore", ts(to == JobState.QUEUED ? notBefore : null))
                    .param("finishedAt", ts(to.isFinal() ? now : null))
                    .param("error", to == JobState.LOST ? clip(why + " after " + job.attempt() + " attempts") : null)
                    .param("id", id)
                    .param("attemptToken", token)
                    .update();
            if (n == 1) {
                endAttempt(token, "ABANDONED", null, why, now);
                event(id, to, job.attempt(), why, now);
            }
            return n == 1;
        }));
    }

    /**
     * A claim its agent never acknowledged (the long poll's client was gone): back to the queue at once, as if
     * never claimed — the attempt is not counted and its record is dropped.
     */
    boolean unclaim(long id, String token, String why, Instant now) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            int n = jdbc.sql(
                            """
                    update job set state = 'QUEUED', holder = null, attempt_token = null, lease_until = null,
                      assigned_at = null, attempt = attempt - 1
                    where id = ? and attempt_token = ? and state = 'ASSIGNED'""")
                    .params(id, token)
                    .update();
            if (n == 1) {
                jdbc.sql("delete from job_attempt where token = ?").param(token).update();
                event(id, JobState.QUEUED, attemptOf(id), why, now);
            }
            return n == 1;
        }));
    }

    /** Agent jobs handed out before {@code before} and still not started. */
    List<JobRow> unacknowledged(Instant before) {
        return jdbc.sql("select * from job where state = 'ASSIGNED' and executor = 'AGENT' and assigned_at < ?")
                .param(ts(before))
                .query(JobRow::map)
                .list();
    }

    /** Start-up grace: every agent/Slurm lease that ends before {@code until} is moved to {@code until}. */
    int extendLeasesTo(Instant until) {
        return jdbc.sql("update job set lease_until = ? where state in " + ACTIVE
                        + " and executor <> 'EMBEDDED' and lease_until is not null and lease_until < ?")
                .params(ts(until), ts(until))
                .update();
    }

    /** Active agent/Slurm attempts whose lease ran out. */
    List<JobRow> expired(Instant now) {
        return jdbc.sql("select * from job where state in " + ACTIVE
                        + " and executor <> 'EMBEDDED' and lease_until is not null and lease_until < ?")
                .param(ts(now))
                .query(JobRow::map)
                .list();
    }

    /**
     * Several instances: active embedded attempts whose lease ran out (their instance died), that hold none (left by
     * a single-instance server) or whose holder starts with {@code ownPrefix} (this instance's earlier run).
     */
    List<JobRow> embeddedToRecover(Instant now, String ownPrefix) {
        return jdbc.sql("select * from job where state in " + ACTIVE + " and executor = 'EMBEDDED'"
                        + " and (lease_until is null or lease_until < ? or holder like ?)")
                .params(ts(now), ownPrefix.replace("%", "").replace("_", "\\_") + "%")
                .query(JobRow::map)
                .list();
    }

    /** Several instances: active embedded attempts whose lease ran out (their instance stopped renewing it). */
    List<JobRow> expiredEmbedded(Instant now) {
        return jdbc.sql("select * from job where state in " + ACTIVE
                        + " and executor = 'EMBEDDED' and lease_until is not null and lease_until < ?")
                .param(ts(now))
                .query(JobRow::map)
                .list();
    }

    List<JobRow> active(Executor executor) {
        return jdbc.sql("select * from job where state in " + ACTIVE + " and executor = ?")
                .param(executor.name())
                .query(JobRow::map)
                .list();
    }

    List<JobRow> heldBy(String holder) {
        return jdbc.sql("select * from job where state in " + ACTIVE + " and holder = ? order by id")
                .param(holder)
                .query(JobRow::map)
                .list();
    }

    /** Sets the cancel flag; a queued job is cancelled at once. Returns the row after the change. */
    Optional<JobRow> requestCancel(long id, String by, Instant now) {
        return tx.execute(s -> {
            JobRow job = find(id).orElse(null);
            if (job == null || job.state().isFinal()) {
                return Optional.ofNullable(job);
            }
            int queued = jdbc.sql(
                            """
                    update job set state = 'CANCELLED', cancel_requested = true, finished_at = ?
                    where id = ? and state = 'QUEUED'""")
                    .params(ts(now), id)
                    .update();
            if (queued == 1) {
                event(id, JobState.CANCELLED, job.attempt(), "cancelled by " + by + " while queued", now);
            } else {
                int n = jdbc.sql("update job set cancel_requested = true where id = ? and state in " + ACTIVE
                                + " and cancel_requested = false")
                        .param(id)
                        .update();
                if (n == 1) {
                    event(id, job.state(), job.attempt(), "cancel requested by " + by, now);
                }
            }
            return find(id);
        });
    }

    /** A failed, cancelled or lost job goes back to the queue for a fresh set of attempts (a succeeded one does not). */
    boolean retry(long id, String by, int extraAttempts, Instant now) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            int n = jdbc.sql(
                            """
                    update job set state = 'QUEUED', cancel_requested = false, holder = null, attempt_token = null,
                      lease_until = null, not_before = null, finished_at = null, error = null, exit_code = null,
                      max_attempts = attempt + ?
                    where id = ? and state in ('FAILED','CANCELLED','LOST')""")
                    .params(extraAttempts, id)
                    .update();
            if (n == 1) {
                event(id, JobState.QUEUED, attemptOf(id), "retried by " + by, now);
            }
            return n == 1;
        }));
    }

    void setExternalId(long id, String token, String externalId) {
        jdbc.sql("update job set external_id = ? where id = ? and attempt_token = ?")
                .params(externalId, id, token)
                .update();
    }

    void event(long jobId, JobState state, int attempt, String note, Instant now) {
        jdbc.sql("insert into job_event (job_id, at, state, attempt, note) values (:jobId, :at, :state,"
                        + " :attempt, :note)")
                .param("jobId", jobId)
                .param("at", ts(now))
                .param("state", state.name())
                .param("attempt", attempt)
                .param("note", clip(note))
                .update();
    }

    private void endAttempt(String token, String outcome, Integer exitCode, String note, Instant now) {
        jdbc.sql("update job_attempt set ended_at = :endedAt, outcome = :outcome, exit_code = :exitCode,"
                        + " note = :note where token = :token")
                .param("endedAt", ts(now))
                .param("outcome", outcome)
                .param("exitCode", exitCode)
                .param("note", clip(note))
                .param("token", token)
                .update();
    }

    private int attemptOf(long id) {
        return jdbc.sql("select attempt from job where id = ?")
                .param(id)
                .query(Integer.class)
                .single();
    }

    static String clip(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }
}
