/**
 * Jobs: a queue that survives crashes, with three executors behind one claim path — embedded worker
 * threads in the server, node agents (the same jar, {@code agent}) and Slurm.
 * <p>
 * Public API: {@link org.stainbench.jobs.JobQueue} (submit, find, cancel), {@link org.stainbench.jobs.JobHandler}
 * (embedded work owned by other modules), {@link org.stainbench.jobs.JobFinished} (event),
 * {@link org.stainbench.jobs.RunHolders} (which MLflow run a NODE token or a job's own credential holds now, and
 * which job a job credential belongs to).
 * The jobs module also resolves the per-attempt job credentials for accounts' bearer filter
 * ({@code accounts.CredentialResolver}).
 */
@ApplicationModule(allowedDependencies = {"shell", "accounts", "artifacts"})
package org.stainbench.jobs;

import org.springframework.modulith.ApplicationModule;
