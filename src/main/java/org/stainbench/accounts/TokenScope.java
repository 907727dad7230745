package org.stainbench.accounts;

/** What a machine token may do. */
public enum TokenScope {
    /** Acts for its owner on the JSON API with the owner's role (training scripts, MLflow client). */
    API,
    /** A GPU node agent: may only register, heartbeat and work on the jobs it holds. */
    NODE,
    /**
     * One attempt of one command job ({@code MLFLOW_TRACKING_TOKEN} in the job's environment): minted by the jobs
     * module when the attempt is claimed, never stored in {@code machine_token}, valid only on the MLflow API and
     * only for the job's own run while the attempt is the job's current, active one (see {@link CredentialResolver}).
     * Cannot be issued from the admin page.
     */
    JOB;

    /** The scopes an administrator may issue as machine tokens. */
    public static java.util.List<TokenScope> issuable() {
        return java.util.List.of(API, NODE);
    }

    public String authority() {
        return "SCOPE_" + name();
    }
}
