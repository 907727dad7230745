package org.stainbench.jobs;

import java.util.List;

/** Talks to Slurm: through its command-line tools on this host, or through slurmrestd. */
interface SlurmGateway {

    /** What Slurm says of a job; {@code state} is null when Slurm no longer knows the job. */
    record Status(String state, Integer exitCode) {

        boolean isFinal() {
            return state == null
                    || switch (state) {
                        case "PENDING",
                                "RUNNING",
                                "CONFIGURING",
                                "COMPLETING",
                                "SUSPENDED",
                                "REQUEUED",
                                "RESIZING",
                                "SIGNALING",
                                "STAGE_OUT",
                                "STOPPED",
                                "RESV_DEL_HOLD",
                                "REQUEUE_FED",
                                "REQUEUE_HOLD" -> false;
                        default -> true;
                    };
        }
    }

    /** Submits and returns Slurm's job id. */
    String submit(SlurmSubmission submission);

    Status status(String slurmJobId);

    void cancel(String slurmJobId);

    List<SlurmClusters.Partition> partitions();
}
