package org.stainbench.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

/** One row of {@code job}. */
record JobRow(
        long id,
        String type,
        String title,
        Executor executor,
        JobState state,
        Map<String, String> params,
        String spec,
        Resources resources,
        String submittedBy,
        int attempt,
        int maxAttempts,
        String attemptToken,
        String holder,
        Instant leaseUntil,
        Instant notBefore,
        boolean cancelRequested,
        long progressDone,
        long progressTotal,
        String progressUnit,
        Integer exitCode,
        String error,
        String externalId,
        long logSeq,
        Instant createdAt,
        Instant assignedAt,
        Instant startedAt,
        Instant finishedAt) {

    static JobRow map(ResultSet rs, int row) throws SQLException {
        int exit = rs.getInt("exit_code");
        Integer exitCode = rs.wasNull() ? null : exit;
        return new JobRow(
                rs.getLong("id"),
                rs.getString("type"),
                rs.getString("title"),
                Executor.valueOf(rs.getString("executor")),
                JobState.valueOf(rs.getString("state")),
                Json.stringMap(rs.getString("params")),
                rs.getString("spec"),
                new Resources(
                        rs.getInt("gpus"),
                        rs.getLong("gpu_memory_mb"),
                        rs.getInt("cpus"),
                        rs.getLong("memory_mb"),
                        Duration.ofSeconds(rs.getLong("time_limit_s"))),
                rs.getString("submitted_by"),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                rs.getString("attempt_token"),
                rs.getString("holder"),
                instant(rs, "lease_until"),
                instant(rs, "not_before"),
                rs.getBoolean("cancel_requested"),
                rs.getLong("progress_done"),
                rs.getLong("progress_total"),
                rs.getString("progress_unit"),
                exitCode,
                rs.getString("error"),
                rs.getString("external_id"),
                rs.getLong("log_seq"),
                instant(rs, "created_at"),
                instant(rs, "assigned_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    JobSummary summary() {
        return new JobSummary(
                id,
                type,
                title,
                state,
                attempt,
                progressDone,
                progressTotal,
                progressUnit,
                createdAt,
                startedAt,
                finishedAt,
                error);
    }
}
