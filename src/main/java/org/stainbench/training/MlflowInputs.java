package org.stainbench.training;

import java.util.ArrayList;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * MLflow's {@code LogInputs} ({@code runs/log-inputs}: what {@code mlflow.log_input(dataset, context, tags, model)}
 * sends): datasets with name, digest, source_type, source, schema and profile, each with its input tags
 * ({@code mlflow.data.context} among them), and logged models the run used. Returned in {@code runs/get}'s
 * {@code inputs} ({@link RunInputsJson}). Writing needs the right to write the run ({@link TrackingAccess#write}).
 */
@RestController
@RequestMapping("/api/2.0/mlflow")
class MlflowInputs {

    static final int MAX_DATASETS_PER_REQUEST = 1000;

    private final LoggedModels models;
    private final Runs runs;
    private final TrackingAccess access;

    MlflowInputs(LoggedModels models, Runs runs, TrackingAccess access) {
        this.models = models;
        this.runs = runs;
        this.access = access;
    }

    @PostMapping("/runs/log-inputs")
    ObjectNode logInputs(@RequestBody JsonNode body, Authentication auth) {
        String runId = MlflowJson.text(body, "run_id", true);
        access.write(auth, runId);
        Tracking.RunInfo run = runs.requireActiveRun(runId);
        JsonNode datasets = body.path("datasets");
        if (datasets.size() > MAX_DATASETS_PER_REQUEST) {
            throw MlflowException.invalid(
                    "At most " + MAX_DATASETS_PER_REQUEST + " datasets per request; got " + datasets.size() + ".");
        }
        var list = MlflowJson.datasetInputs(datasets);
        var used = new ArrayList<LoggedModels.Used>();
        for (JsonNode m : body.path("models")) {
            used.add(models.used(MlflowJson.text(m, "model_id", true)));
        }
        models.logInputs(run, list, used);
        return JsonNodeFactory.instance.objectNode();
    }
}
