package org.stainbench.jobs;

/** Work that runs inside the server on the embedded executor. A Spring bean in the module that owns the work. */
public interface JobHandler {

    /** The job type it runs, e.g. "ingest". Unique across handlers. */
    String type();

    /**
     * Runs the job. Throwing fails the attempt; the exception message is shown on the job page.
     * Must be safe to run again from the start (a job interrupted by a server crash is re-run).
     */
    void run(JobContext context) throws Exception;

    /**
     * True for work the platform queues by itself as a side effect (the ingest of a registered archive, the quality
     * measures of a generated one): the jobs page hides such jobs unless asked to show every job.
     */
    default boolean automatic() {
        return false;
    }
}
