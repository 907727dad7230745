package org.stainbench.training;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.accounts.TokenScope;
import org.stainbench.jobs.RunHolders;
import org.stainbench.shell.Roles;

/**
 * Every access rule of the MLflow-compatible API ({@link MlflowApi}, {@link MlflowArtifacts}) in one place; each
 * endpoint asks here before it looks anything up, and a refusal is 403 with MLflow's error body
 * ({@code PERMISSION_DENIED}).
 * <p>
 * People's tokens (scope API) act with their owner's role: reading runs and experiments needs SUPERVISOR or higher
 * (a pathologist's token reads nothing), writing needs MEMBER or higher.
 * <p>
 * Machine callers (any other scope: a node agent's NODE token, a job's own credential) have no role here. They may
 * read and write exactly the runs {@link RunHolders#holds} says they hold (the {@code MLFLOW_RUN_ID} of a job they
 * run now), read the experiment such a run is in (the MLflow client looks it up when it resumes the run), and
 * nothing else: no searches, no listing or creating experiments or runs, no deleting or restoring anything.
 */
@Component
class TrackingAccess {

    private final RunHolders holders;
    private final TrackingStore store;

    TrackingAccess(RunHolders holders, TrackingStore store) {
        this.holders = holders;
        this.store = store;
    }

    /** Reading one run: its info, data, metric history and artifacts. */
    void read(Authentication auth, String runUuid) {
        ApiPrincipal machine = machine(auth);
        if (machine != null) {
            requireHeld(machine, runUuid);
        } else {
            requireReader(auth);
        }
    }

    /** Writing into one run: params, metrics, tags, status, name, artifacts. */
    void write(Authentication auth, String runUuid) {
        ApiPrincipal machine = machine(auth);
        if (machine != null) {
            requireHeld(machine, runUuid);
        } else {
            requireWriter(auth);
        }
    }

    /** Reading one experiment: a machine caller only the experiment of a run it holds ({@code null}: none found). */
    void readExperiment(Authentication auth, Long experimentId) {
        ApiPrincipal machine = machine(auth);
        if (machine == null) {
            requireReader(auth);
            return;
        }
        boolean holdsOne = experimentId != null
                && store.activeRuns(experimentId).stream().anyMatch(r -> holders.holds(machine, r.uuid()));
        if (!holdsOne) {
            throw MlflowException.forbidden("This token may only read the experiment of a run its job holds.");
        }
    }

    /**
     * Writing an experiment's logged-model artifacts ({@code <experiment>/models/<model_id>/artifacts/…}): members,
     * like a run's; a machine caller only in the experiment of a run it holds.
     */
    void writeExperiment(Authentication auth, Long experimentId) {
        ApiPrincipal machine = machine(auth);
        if (machine == null) {
            requireWriter(auth);
            return;
        }
        readExperiment(auth, experimentId);
    }

    /** Reading across runs or experiments (searches, lists): people who may read; never machine callers. */
    void readAll(Authentication auth) {
        refuseMachine(auth, "search or list tracking data");
        requireReader(auth);
    }

    /**
     * Changes that name no single run, or change a run's life (creating experiments and runs, experiment tags,
     * deleting and restoring runs and experiments): members; never machine callers.
     */
    void manage(Authentication auth) {
        refuseMachine(auth, "create, delete or restore experiments and runs");
        requireWriter(auth);
    }

    /** Whether the caller is a machine (not a person's API token), and then its principal. */
    private static ApiPrincipal machine(Authentication auth) {
        if (auth != null && auth.getPrincipal() instanceof ApiPrincipal p && p.scope() != TokenScope.API) {
            return p;
        }
        return null;
    }

    private void requireHeld(ApiPrincipal machine, String runUuid) {
        if (runUuid == null || runUuid.isBlank() || !holders.holds(machine, runUuid)) {
            throw MlflowException.forbidden("This token may only use the run of a job its node runs now.");
        }
    }

    private static void refuseMachine(Authentication auth, String what) {
        if (machine(auth) != null) {
            throw MlflowException.forbidden("A " + machine(auth).scope() + " token may not " + what
                    + "; it may only use the run of a job its node runs now.");
        }
    }

    private static void requireReader(Authentication auth) {
        if (!Roles.has(auth, "SUPERVISOR")) {
            throw MlflowException.forbidden(
                    "Reading tracking data needs the supervisor role or higher; this token's owner has neither.");
        }
    }

    private static void requireWriter(Authentication auth) {
        if (!Roles.has(auth, "MEMBER")) {
            throw MlflowException.forbidden("This token may only read: its owner is not a team member.");
        }
    }
}
