package org.stainbench.jobs;

import java.util.Map;

/** Published (Spring application event, after commit) when a job reaches a final state. */
public record JobFinished(long jobId, String type, JobState state, Map<String, String> params, String error) {}
