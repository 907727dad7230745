package org.stainbench.jobs;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.accounts.CredentialResolver;
import org.stainbench.accounts.TokenScope;
import org.stainbench.shell.Sha256;

/**
 * Per-attempt job credentials: when an agent (or a Slurm one-job agent) takes a command job, the server mints a
 * random secret for that attempt, stores only its SHA-256 on the {@code job_attempt} row and hands the secret to
 * the agent, which gives it to the command as {@code MLFLOW_TRACKING_TOKEN} (never its own NODE token).
 * <p>
 * The secret authenticates as scope {@link TokenScope#JOB} for the job's <em>submitter</em> (the person who
 * asked for the work, so MLflow records show who ran it, as with the submitter's own API token) while the attempt
 * is the job's current one and the job is ASSIGNED or RUNNING: it dies when the attempt finishes, fails, is
 * re-queued, superseded or cancelled. What it may touch is decided by {@link RunHolders} (the job's own run only).
 */
@Component
class JobCredentials implements CredentialResolver {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    JobCredentials(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A fresh credential for the attempt with this attempt token (replacing an earlier one of the same attempt). */
    String mint(String attemptToken) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = JOB_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        int n = jdbc.sql("update job_attempt set credential_hash = ? where token = ?")
                .params(hash(secret), attemptToken)
                .update();
        if (n != 1) {
            throw new IllegalStateException("No attempt to mint a credential for.");
        }
        return secret;
    }

    @Override
    public Optional<ApiPrincipal> resolve(String secret) {
        if (secret == null || !secret.startsWith(JOB_PREFIX)) {
            return Optional.empty();
        }
        return jdbc.sql(
                        """
                select a.id, a.job_id, a.attempt, j.submitted_by from job_attempt a join job j on j.id = a.job_id
                where a.credential_hash = ? and a.ended_at is null and j.attempt_token = a.token
                  and j.state in ('ASSIGNED','RUNNING')""")
                .param(hash(secret))
                .query((rs, row) -> new ApiPrincipal(
                        rs.getString("submitted_by"),
                        rs.getLong("id"),
                        "job " + rs.getLong("job_id") + " attempt " + rs.getInt("attempt"),
                        TokenScope.JOB))
                .optional();
    }

    static String hash(String secret) {
        return Sha256.of(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
