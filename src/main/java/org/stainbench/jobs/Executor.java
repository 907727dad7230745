package org.stainbench.jobs;

/** Where a job runs. */
enum Executor {
    /** Worker threads inside the server. */
    EMBEDDED,
    /** A standing node agent claims it. */
    AGENT,
    /** Submitted to Slurm; a one-job agent inside the allocation runs it. */
    SLURM
}
