package org.stainbench.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.stainbench.accounts.ApiPrincipal;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * MLflow 3's logged models (service.proto: {@code CreateLoggedModel}, {@code GetLoggedModel},
 * {@code SearchLoggedModels}, {@code FinalizeLoggedModel}, {@code DeleteLoggedModel}, {@code SetLoggedModelTags},
 * {@code DeleteLoggedModelTag}, {@code LogLoggedModelParamsRequest}) and {@code LogOutputs} ({@code runs/outputs}),
 * with the shapes of MLflow's {@code LoggedModel} message. A model's artifacts live under its
 * {@code artifact_uri} ({@code mlflow-artifacts:/<experiment>/models/<model_id>/artifacts}, served by the artifact
 * proxy). A model finalized {@code LOGGED_MODEL_READY} becomes a Stainbench checkpoint ({@link LoggedModelCheckpoints}).
 * <p>
 * Access ({@link TrackingAccess}): a model with a source run is read and written as that run (so a job's token may log
 * the model of the run it holds); one without needs a member to write and a supervisor to read; searching, deleting
 * and creating a model without a run are for people only.
 */
@RestController
@RequestMapping("/api/2.0/mlflow")
class MlflowLoggedModels {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final int DEFAULT_MAX_RESULTS = 100;
    static final int MAX_TAGS_PER_REQUEST = 100;
    static final int MAX_PARAMS_PER_REQUEST = 100;

    private final LoggedModels models;
    private final Runs runs;
    private final TrackingAccess access;
    private final TrackingProperties limits;

    MlflowLoggedModels(LoggedModels models, Runs runs, TrackingAccess access, TrackingProperties limits) {
        this.models = models;
        this.runs = runs;
        this.access = access;
        this.limits = limits;
    }

    /** {@code CreateLoggedModel}: experiment_id, name, model_type, source_run_id, params, tags → PENDING model. */
    @PostMapping("/logged-models")
    ObjectNode create(@RequestBody JsonNode body, Authentication auth) {
        String runId = blankToNull(MlflowJson.text(body, "source_run_id", false));
        String expText = MlflowJson.text(body, "experiment_id", false);
        if (runId != null) {
            access.write(auth, runId);
        } else {
            access.manage(auth);
        }
        Tracking.RunInfo run = runId == null ? null : runs.requireActiveRun(runId);
        long experimentId = expText == null || expText.isBlank()
                ? (run != null ? run.experimentId() : 0)
                : MlflowJson.experimentId(expText);
        models.checkExperiment(run, experimentId);
        Map<String, String> params = keyValues(body.get("params"), "params", MAX_PARAMS_PER_REQUEST);
        Map<String, String> tags = keyValues(body.get("tags"), "tags", MAX_TAGS_PER_REQUEST);
        var m = models.create(
                experimentId,
                MlflowJson.text(body, "name", false),
                MlflowJson.text(body, "model_type", false),
                runId,
                username(auth),
                params,
                tags);
        return JSON.objectNode().set("model", MlflowJson.loggedModelJson(m, models.metrics(m)));
    }

    /** {@code GetLoggedModel}. */
    @GetMapping("/logged-models/{modelId}")
    ObjectNode get(@PathVariable String modelId, Authentication auth) {
        var m = models.readable(modelId, auth);
        return JSON.objectNode().set("model", MlflowJson.loggedModelJson(m, models.metrics(m)));
    }

    /** {@code FinalizeLoggedModel}: status LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED (READY/FAILED accepted). */
    @PatchMapping("/logged-models/{modelId}")
    ObjectNode finalizeModel(
            @PathVariable String modelId, @RequestBody(required = false) JsonNode body, Authentication auth) {
        var m = models.writable(modelId, auth);
        String status = MlflowJson.loggedModelStatus(body == null ? null : body.get("status"));
        var done = models.finalizeModel(
                m, status, body == null ? null : MlflowJson.text(body, "status_message", false), username(auth));
        return JSON.objectNode().set("model", MlflowJson.loggedModelJson(done, models.metrics(done)));
    }

    /** {@code DeleteLoggedModel}: soft, like runs; its checkpoint stays (delete it on its page). */
    @DeleteMapping("/logged-models/{modelId}")
    ObjectNode delete(@PathVariable String modelId, Authentication auth) {
        models.delete(modelId, auth);
        return JSON.objectNode();
    }

    /** {@code SetLoggedModelTags}: tags [{key, value}]. */
    @PatchMapping("/logged-models/{modelId}/tags")
    ObjectNode setTags(@PathVariable String modelId, @RequestBody JsonNode body, Authentication auth) {
        var m = models.writable(modelId, auth);
        models.setTags(m, keyValues(body.get("tags"), "tags", MAX_TAGS_PER_REQUEST));
        return JSON.objectNode();
    }

    /** {@code DeleteLoggedModelTag}. */
    @DeleteMapping("/logged-models/{modelId}/tags/{key}")
    ObjectNode deleteTag(@PathVariable String modelId, @PathVariable String key, Authentication auth) {
        models.deleteTag(models.writable(modelId, auth), key);
        return JSON.objectNode();
    }

    /** {@code LogLoggedModelParamsRequest}: params [{key, value}]. */
    @PostMapping("/logged-models/{modelId}/params")
    ObjectNode logParams(@PathVariable String modelId, @RequestBody JsonNode body, Authentication auth) {
        var m = models.writable(modelId, auth);
        models.logParams(m, keyValues(body.get("params"), "params", MAX_PARAMS_PER_REQUEST));
        return JSON.objectNode();
    }

    /**
     * {@code SearchLoggedModels}: experiment_ids, filter, datasets (accepted; metrics are not kept per dataset here),
     * max_results (1 to stainbench.tracking.max-search-results, default 100), order_by [{field_name, ascending}],
     * page_token. A next_page_token is given only when there are more models after this page.
     */
    @PostMapping("/logged-models/search")
    ObjectNode search(@RequestBody(required = false) JsonNode body, Authentication auth) {
        access.readAll(auth);
        JsonNode b = body == null ? JSON.objectNode() : body;
        List<Long> experiments = new ArrayList<>();
        b.path("experiment_ids").forEach(e -> experiments.add(MlflowJson.experimentId(e.asString())));
        String filter = b.path("filter").asString("");
        if (filter.length() > limits.maxFilterLength()) {
            throw MlflowException.invalid("filter is " + filter.length() + " characters long; the limit is "
                    + limits.maxFilterLength() + " (stainbench.tracking.max-filter-length).");
        }
        JsonNode maxNode = b.path("max_results");
        int max = maxNode.isMissingNode() || maxNode.isNull() ? DEFAULT_MAX_RESULTS : maxNode.asInt(-1);
        if (max < 1 || max > limits.maxSearchResults()) {
            throw MlflowException.invalid("max_results must be between 1 and " + limits.maxSearchResults()
                    + " (stainbench.tracking.max-search-results), got " + maxNode.asString() + ".");
        }
        List<LoggedModelSearch.Order> orders = new ArrayList<>();
        for (JsonNode o : b.path("order_by")) {
            String field = MlflowJson.text(o, "field_name", true);
            orders.add(new LoggedModelSearch.Order(field, o.path("ascending").asBoolean(true)));
        }
        var page = models.search(
                experiments, filter, orders, max, b.path("page_token").asString(""));
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("models");
        page.items().forEach(m -> list.add(MlflowJson.loggedModelJson(m, models.metrics(m))));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    /** {@code LogOutputs}: run_id, models [{model_id, step}]: the run produced these models. */
    @PostMapping("/runs/outputs")
    ObjectNode logOutputs(@RequestBody JsonNode body, Authentication auth) {
        String runId = MlflowJson.text(body, "run_id", true);
        access.write(auth, runId);
        Tracking.RunInfo run = runs.requireActiveRun(runId);
        var outputs = new ArrayList<LoggedModels.Output>();
        for (JsonNode o : body.path("models")) {
            outputs.add(models.output(
                    run, MlflowJson.text(o, "model_id", true), o.path("step").asLong(0)));
        }
        models.logOutputs(run, outputs);
        return JSON.objectNode();
    }

    // ---- JSON and helpers ------------------------------------------------------------------------

    private static Map<String, String> keyValues(JsonNode array, String field, int max) {
        Map<String, String> out = new LinkedHashMap<>();
        if (array == null || array.isNull()) {
            return out;
        }
        if (!array.isArray()) {
            throw MlflowException.invalid("'" + field + "' must be a list of {key, value}.");
        }
        if (array.size() > max) {
            throw MlflowException.invalid("At most " + max + " " + field + " per request; got " + array.size() + ".");
        }
        for (JsonNode t : array) {
            String v = MlflowJson.text(t, "value", false);
            out.put(MlflowJson.text(t, "key", true), v == null ? "" : v);
        }
        return out;
    }

    private static String username(Authentication auth) {
        return ((ApiPrincipal) auth.getPrincipal()).username();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
