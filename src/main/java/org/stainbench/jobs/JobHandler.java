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
}
