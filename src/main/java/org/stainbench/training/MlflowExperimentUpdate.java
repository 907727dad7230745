package org.stainbench.training;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.shell.Activity;
import org.stainbench.shell.Names;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * MLflow's {@code UpdateExperiment} ({@code experiments/update}: experiment_id, new_name), which
 * {@code MlflowClient.rename_experiment} sends: members rename an active experiment; the new name follows the rules of
 * {@code experiments/create} (non-empty, at most 500 characters, no control or invisible characters, unique).
 */
@RestController
@RequestMapping("/api/2.0/mlflow")
class MlflowExperimentUpdate {

    private final TrackingStore store;
    private final TrackingAccess access;
    private final JdbcClient jdbc;
    private final java.time.Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    MlflowExperimentUpdate(
            TrackingStore store,
            TrackingAccess access,
            JdbcClient jdbc,
            java.time.Clock clock,
            org.springframework.context.ApplicationEventPublisher events) {
        this.store = store;
        this.access = access;
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
    }

    @PostMapping("/experiments/update")
    @Transactional
    ObjectNode update(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        long id = MlflowLoggedModels.experimentId(MlflowApi.text(body, "experiment_id", true));
        String name = MlflowApi.text(body, "new_name", false);
        Tracking.Experiment e = store.requireExperiment(id);
        if (name == null || name.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'new_name'.");
        }
        Names.check("The experiment name", name, MlflowException::invalid);
        TrackingStore.checkLength("experiment name", name, TrackingStore.MAX_EXPERIMENT_NAME);
        if (!e.lifecycleStage().equals("active")) {
            throw MlflowException.invalid("Cannot rename a non-active experiment (experiment " + id + " is deleted).");
        }
        if (name.equals(e.name())) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (store.experimentByName(name).isPresent()) {
            throw MlflowException.exists("Experiment '" + name + "' already exists.");
        }
        try {
            jdbc.sql("update experiment set name = ?, last_update_time = ? where id = ?")
                    .params(name, clock.millis(), id)
                    .update();
        } catch (DuplicateKeyException x) {
            throw MlflowException.exists("Experiment '" + name + "' already exists.");
        }
        events.publishEvent(Activity.of(
                ((ApiPrincipal) auth.getPrincipal()).username(),
                "renamed",
                "experiment",
                id,
                "Renamed experiment '" + e.name() + "' to '" + name + "' (API)",
                "/runs?experiment=" + id));
        return JsonNodeFactory.instance.objectNode();
    }
}
