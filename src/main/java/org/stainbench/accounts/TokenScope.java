package org.stainbench.accounts;

/** What a machine token may do. */
public enum TokenScope {
    /** Acts for its owner on the JSON API with the owner's role (training scripts, MLflow client). */
    API,
    /** A GPU node agent: may only register, heartbeat and work on the jobs it holds. */
    NODE;

    public String authority() {
        return "SCOPE_" + name();
    }
}
