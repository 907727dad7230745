package org.stainbench.jobs;

/** queued → assigned (agent) / submitted (Slurm) → running → succeeded / failed / cancelled / lost. */
public enum JobState {
    QUEUED,
    ASSIGNED,
    SUBMITTED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    LOST;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == LOST;
    }

    /** An ended job that did not succeed: it may be retried (a succeeded one is cloned instead). */
    public boolean retryable() {
        return this == FAILED || this == CANCELLED || this == LOST;
    }
}
