package org.stainbench.jobs;

import java.time.Instant;

/** A job as other modules see it. */
public record JobSummary(
        long id,
        String type,
        String title,
        JobState state,
        int attempt,
        long progressDone,
        long progressTotal,
        String progressUnit,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String error) {

    /** "/jobs/{id}" — the job's page. */
    public String href() {
        return "/jobs/" + id;
    }
}
