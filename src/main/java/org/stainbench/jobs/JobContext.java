package org.stainbench.jobs;

import java.util.Map;

/** What a running {@link JobHandler} sees of its job. */
public interface JobContext {

    long jobId();

    int attempt();

    Map<String, String> params();

    /** Persists progress (throttled by the implementation), e.g. progress(1200, 5000, "tiles"). */
    void progress(long done, long total, String unit);

    /** Appends a line to the job's log. */
    void log(String line);

    /** True once someone cancelled the job; handlers check it between units of work and return. */
    boolean isCancelled();
}
