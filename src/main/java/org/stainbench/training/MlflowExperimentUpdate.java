package org.stainbench.training;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.stainbench.accounts.ApiPrincipal;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * MLflow's {@code UpdateExperiment} ({@code experiments/update}: experiment_id, new_name), which
 * {@code MlflowClient.rename_experiment} sends: members rename an active experiment ({@link Runs#renameExperiment}
 * has the rules).
 */
@RestController
@RequestMapping("/api/2.0/mlflow")
class MlflowExperimentUpdate {

    private final Runs runs;
    private final TrackingAccess access;

    MlflowExperimentUpdate(Runs runs, TrackingAccess access) {
        this.runs = runs;
        this.access = access;
    }

    @PostMapping("/experiments/update")
    ObjectNode update(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        long id = MlflowJson.experimentId(MlflowJson.text(body, "experiment_id", true));
        String name = MlflowJson.text(body, "new_name", false);
        runs.renameExperiment(id, name, ((ApiPrincipal) auth.getPrincipal()).username());
        return JsonNodeFactory.instance.objectNode();
    }
}
