package org.stainbench.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private final RunInputStore inputs;
    private final LoggedModelStore models;
    private final TrackingStore store;
    private final TrackingAccess access;

    MlflowInputs(RunInputStore inputs, LoggedModelStore models, TrackingStore store, TrackingAccess access) {
        this.inputs = inputs;
        this.models = models;
        this.store = store;
        this.access = access;
    }

    @PostMapping("/runs/log-inputs")
    ObjectNode logInputs(@RequestBody JsonNode body, Authentication auth) {
        String runId = MlflowApi.text(body, "run_id", true);
        access.write(auth, runId);
        Tracking.RunInfo run = store.requireActiveRun(runId);
        JsonNode datasets = body.path("datasets");
        if (datasets.size() > MAX_DATASETS_PER_REQUEST) {
            throw MlflowException.invalid(
                    "At most " + MAX_DATASETS_PER_REQUEST + " datasets per request; got " + datasets.size() + ".");
        }
        List<RunInputStore.DatasetInput> list = new ArrayList<>();
        for (JsonNode in : datasets) {
            JsonNode d = in.get("dataset");
            if (d == null || !d.isObject()) {
                throw MlflowException.invalid("Missing value for required parameter 'dataset' of a dataset input.");
            }
            Map<String, String> tags = new LinkedHashMap<>();
            for (JsonNode t : in.path("tags")) {
                tags.put(MlflowApi.text(t, "key", true), MlflowApi.text(t, "value", false));
            }
            list.add(new RunInputStore.DatasetInput(
                    new RunInputStore.Dataset(
                            MlflowApi.text(d, "name", false),
                            MlflowApi.text(d, "digest", false),
                            MlflowApi.text(d, "source_type", false),
                            MlflowApi.text(d, "source", false),
                            MlflowApi.text(d, "schema", false),
                            MlflowApi.text(d, "profile", false)),
                    tags));
        }
        List<LoggedModelStore.Model> used = new ArrayList<>();
        for (JsonNode m : body.path("models")) {
            used.add(models.require(MlflowApi.text(m, "model_id", true)));
        }
        inputs.log(run, list);
        used.forEach(m -> inputs.logModelInput(run, m));
        return JsonNodeFactory.instance.objectNode();
    }
}
