package org.stainbench.jobs;

/** A won claim: the job, the attempt number and the token that every later report must carry. */
record Claim(long jobId, int attempt, String token) {}
