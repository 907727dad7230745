/**
 * Jobs: a queue that survives crashes, with three executors behind one claim path — embedded worker
 * threads in the server, node agents (the same jar, {@code agent}) and Slurm.
 * <p>
 * Public API: {@link org.stainbench.jobs.JobQueue} (submit, find, cancel), {@link org.stainbench.jobs.JobHandler}
 * (embedded work owned by other modules), {@link org.stainbench.jobs.JobFinished} (event).
 */
package org.stainbench.jobs;
