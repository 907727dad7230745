package org.stainbench.jobs;

import org.springframework.stereotype.Service;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.accounts.TokenScope;

/**
 * Which tracking runs a machine caller that is not a person may touch: the front door the tracking module asks
 * before a NODE token (or a job's own credential) reads or writes an MLflow run.
 * <p>
 * Contract: {@link #holds} is true only when {@code caller} is a NODE token whose node currently holds a job (state
 * ASSIGNED or RUNNING) whose {@code MLFLOW_RUN_ID} is {@code runUuid}, for that attempt; false for every other
 * caller, including API tokens (their rights come from their owner's role, not from this class).
 */
@Service
public class RunHolders {

    /** Whether {@code caller} holds the run {@code runUuid} through a job it is running now. */
    public boolean holds(ApiPrincipal caller, String runUuid) {
        // Placeholder until node tokens are narrowed to the runs of the jobs they hold (issue 15, item 3):
        // today a NODE token may touch every run.
        return caller != null && caller.scope() == TokenScope.NODE && runUuid != null;
    }
}
