package org.stainbench.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code stainbench.slurm.*}: where Slurm jobs go.
 *
 * @param mode           NONE (no cluster), CLI ({@code sbatch}/{@code squeue}/{@code scancel} on this host) or REST (slurmrestd)
 * @param partition      {@code --partition}, empty for the cluster's default
 * @param account        {@code --account}, empty for none
 * @param restUrl        slurmrestd base URL, e.g. {@code http://slurm-head:6820}
 * @param restApiVersion OpenAPI plugin version: {@code v0.0.38} (Slurm 22.05, Debian 12) up to {@code v0.0.41}
 * @param restUser       {@code X-SLURM-USER-NAME}
 * @param restToken      {@code X-SLURM-USER-TOKEN} (a JWT from {@code scontrol token})
 * @param serverUrl      the URL one-job agents in the allocation use to reach this server
 * @param agentJar       the application jar as the compute nodes see it (default: the jar this server runs from)
 * @param java           the java executable on the compute nodes (default: this server's)
 * @param agentToken     a NODE token for one-job agents (default: one is issued to {@code tokenOwner} on first use)
 * @param tokenOwner     owner of the issued NODE token
 * @param workdir        batch scripts, Slurm output files and job work folders; must be shared with the compute nodes
 * @param pollInterval   how often the application submits queued jobs and follows submitted ones
 */
@ConfigurationProperties("stainbench.slurm")
record SlurmProperties(
        @DefaultValue("NONE") Mode mode,
        @DefaultValue("") String partition,
        @DefaultValue("") String account,
        @DefaultValue("") String restUrl,
        @DefaultValue("v0.0.38") String restApiVersion,
        @DefaultValue("") String restUser,
        @DefaultValue("") String restToken,
        @DefaultValue("") String serverUrl,
        @DefaultValue("") String agentJar,
        @DefaultValue("") String java,
        @DefaultValue("") String agentToken,
        @DefaultValue("admin") String tokenOwner,
        @DefaultValue("") String workdir,
        @DefaultValue("2s") Duration pollInterval) {

    enum Mode {
        NONE,
        CLI,
        REST
    }
}
