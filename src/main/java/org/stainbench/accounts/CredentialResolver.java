package org.stainbench.accounts;

import java.util.Optional;

/**
 * Resolves bearer secrets that are not machine tokens: the per-attempt credentials of command jobs
 * ({@link TokenScope#JOB}, secrets starting with {@link #JOB_PREFIX}). Implemented by the module that mints them
 * (jobs), looked up as a bean by {@link BearerTokenFilter}, so that accounts does not depend on it.
 * <p>
 * An implementation answers only while the credential is alive (its attempt is the job's current, active one);
 * the filter then checks that the principal's user exists and is enabled, and gives it the single authority
 * {@code SCOPE_JOB}, which the API filter chain admits on the MLflow API only.
 */
public interface CredentialResolver {

    /** Every job credential starts with this, so the filter knows where to look. */
    String JOB_PREFIX = "sbj_";

    /** The principal (scope {@link TokenScope#JOB}) of a live credential, or empty. */
    Optional<ApiPrincipal> resolve(String secret);
}
