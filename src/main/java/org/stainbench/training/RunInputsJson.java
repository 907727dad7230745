package org.stainbench.training;

import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A run's {@code inputs} ({@code RunInputs}: dataset_inputs with their tags, model_inputs) and {@code outputs}
 * ({@code RunOutputs}: model_outputs with their step) in MLflow's JSON, added to the run of {@code runs/get}.
 */
@Component
class RunInputsJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final RunInputStore inputs;
    private final LoggedModelStore models;

    RunInputsJson(RunInputStore inputs, LoggedModelStore models) {
        this.inputs = inputs;
        this.models = models;
    }

    /** Sets {@code inputs} and {@code outputs} of a run's JSON (as {@link MlflowApi#runJson} makes it). */
    ObjectNode decorate(ObjectNode run, Tracking.RunInfo info) {
        ObjectNode in = run.putObject("inputs");
        ArrayNode datasets = in.putArray("dataset_inputs");
        for (RunInputStore.DatasetInput d : inputs.datasets(info.id())) {
            ObjectNode di = datasets.addObject();
            ArrayNode tags = di.putArray("tags");
            d.tags().forEach((k, v) -> tags.add(JSON.objectNode().put("key", k).put("value", v)));
            ObjectNode ds = di.putObject("dataset")
                    .put("name", d.dataset().name())
                    .put("digest", d.dataset().digest())
                    .put("source_type", d.dataset().sourceType())
                    .put("source", d.dataset().source());
            if (d.dataset().schema() != null) {
                ds.put("schema", d.dataset().schema());
            }
            if (d.dataset().profile() != null) {
                ds.put("profile", d.dataset().profile());
            }
        }
        ArrayNode modelInputs = in.putArray("model_inputs");
        inputs.modelInputs(info.id())
                .forEach(id -> modelInputs.add(JSON.objectNode().put("model_id", id)));
        ArrayNode outputs = run.putObject("outputs").putArray("model_outputs");
        models.outputs(info.id())
                .forEach(o -> outputs.add(
                        JSON.objectNode().put("model_id", o.modelId()).put("step", o.step())));
        return run;
    }
}
