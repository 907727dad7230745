package org.stainbench.training;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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

    private final LoggedModelStore models;
    private final TrackingStore store;
    private final TrackingAccess access;
    private final TrackingProperties limits;
    private final LoggedModelCheckpoints checkpoints;

    MlflowLoggedModels(
            LoggedModelStore models,
            TrackingStore store,
            TrackingAccess access,
            TrackingProperties limits,
            LoggedModelCheckpoints checkpoints) {
        this.models = models;
        this.store = store;
        this.access = access;
        this.limits = limits;
        this.checkpoints = checkpoints;
    }

    /** {@code CreateLoggedModel}: experiment_id, name, model_type, source_run_id, params, tags → PENDING model. */
    @PostMapping("/logged-models")
    ObjectNode create(@RequestBody JsonNode body, Authentication auth) {
        String runId = blankToNull(MlflowApi.text(body, "source_run_id", false));
        String expText = MlflowApi.text(body, "experiment_id", false);
        if (runId != null) {
            access.write(auth, runId);
        } else {
            access.manage(auth);
        }
        Tracking.RunInfo run = runId == null ? null : store.requireActiveRun(runId);
        long experimentId =
                expText == null || expText.isBlank() ? (run != null ? run.experimentId() : 0) : experimentId(expText);
        Tracking.Experiment exp = store.requireExperiment(experimentId);
        if (!exp.lifecycleStage().equals("active")) {
            throw MlflowException.invalid("Experiment " + experimentId + " is deleted.");
        }
        if (run != null && run.experimentId() != experimentId) {
            throw MlflowException.invalid("The source run " + runId + " is in experiment " + run.experimentId()
                    + ", not in experiment " + experimentId + ".");
        }
        Map<String, String> params = keyValues(body.get("params"), "params", MAX_PARAMS_PER_REQUEST);
        Map<String, String> tags = keyValues(body.get("tags"), "tags", MAX_TAGS_PER_REQUEST);
        LoggedModelStore.Model m = models.create(
                experimentId,
                MlflowApi.text(body, "name", false),
                MlflowApi.text(body, "model_type", false),
                runId,
                username(auth),
                params,
                tags);
        return JSON.objectNode().set("model", json(m));
    }

    /** {@code GetLoggedModel}. */
    @GetMapping("/logged-models/{modelId}")
    ObjectNode get(@PathVariable String modelId, Authentication auth) {
        return JSON.objectNode().set("model", json(readable(modelId, auth)));
    }

    /** {@code FinalizeLoggedModel}: status LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED (READY/FAILED accepted). */
    @PatchMapping("/logged-models/{modelId}")
    ObjectNode finalizeModel(
            @PathVariable String modelId, @RequestBody(required = false) JsonNode body, Authentication auth) {
        LoggedModelStore.Model m = writable(modelId, auth);
        String status = status(body == null ? null : body.get("status"));
        models.finalize(m, status, body == null ? null : MlflowApi.text(body, "status_message", false));
        LoggedModelStore.Model done = models.require(modelId);
        if (status.equals(LoggedModelStore.READY) && done.checkpointId() == null) {
            checkpoints.register(done, username(auth));
            done = models.require(modelId);
        }
        return JSON.objectNode().set("model", json(done));
    }

    /** {@code DeleteLoggedModel}: soft, like runs; its checkpoint stays (delete it on its page). */
    @DeleteMapping("/logged-models/{modelId}")
    ObjectNode delete(@PathVariable String modelId, Authentication auth) {
        access.manage(auth);
        models.delete(models.require(modelId));
        return JSON.objectNode();
    }

    /** {@code SetLoggedModelTags}: tags [{key, value}]. */
    @PatchMapping("/logged-models/{modelId}/tags")
    ObjectNode setTags(@PathVariable String modelId, @RequestBody JsonNode body, Authentication auth) {
        LoggedModelStore.Model m = writable(modelId, auth);
        Map<String, String> tags = keyValues(body.get("tags"), "tags", MAX_TAGS_PER_REQUEST);
        tags.forEach((k, v) -> LoggedModelStore.checkKey("tag key", k));
        tags.forEach((k, v) -> models.setTag(m.pk(), k, v));
        return JSON.objectNode();
    }

    /** {@code DeleteLoggedModelTag}. */
    @DeleteMapping("/logged-models/{modelId}/tags/{key}")
    ObjectNode deleteTag(@PathVariable String modelId, @PathVariable String key, Authentication auth) {
        LoggedModelStore.Model m = writable(modelId, auth);
        models.deleteTag(m, key);
        return JSON.objectNode();
    }

    /** {@code LogLoggedModelParamsRequest}: params [{key, value}]. */
    @PostMapping("/logged-models/{modelId}/params")
    ObjectNode logParams(@PathVariable String modelId, @RequestBody JsonNode body, Authentication auth) {
        LoggedModelStore.Model m = writable(modelId, auth);
        Map<String, String> params = keyValues(body.get("params"), "params", MAX_PARAMS_PER_REQUEST);
        params.forEach((k, v) -> {
            LoggedModelStore.checkKey("param key", k);
            TrackingStore.checkLength("value of param '" + k + "'", v, TrackingStore.MAX_PARAM_VALUE);
        });
        params.forEach((k, v) -> models.logParam(m.pk(), k, v));
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
        b.path("experiment_ids").forEach(e -> experiments.add(experimentId(e.asString())));
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
            String field = MlflowApi.text(o, "field_name", true);
            orders.add(new LoggedModelSearch.Order(field, o.path("ascending").asBoolean(true)));
        }
        var predicate = LoggedModelSearch.filter(filter);
        var order = LoggedModelSearch.order(orders);
        boolean metrics = LoggedModelSearch.needsMetrics(
                filter, orders.stream().map(LoggedModelSearch.Order::field).toList());
        List<LoggedModelSearch.Row> rows = models.ofExperiments(experiments).stream()
                .map(m -> new LoggedModelSearch.Row(m, metrics ? latest(m) : Map.of()))
                .filter(predicate)
                .sorted(order)
                .toList();
        int offset = decodeToken(b.path("page_token").asString(""));
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("models");
        rows.stream().skip(offset).limit(max).forEach(r -> list.add(json(r.model())));
        if ((long) offset + max < rows.size()) {
            out.put("next_page_token", encodeToken(offset + max));
        }
        return out;
    }

    /** {@code LogOutputs}: run_id, models [{model_id, step}]: the run produced these models. */
    @PostMapping("/runs/outputs")
    ObjectNode logOutputs(@RequestBody JsonNode body, Authentication auth) {
        String runId = MlflowApi.text(body, "run_id", true);
        access.write(auth, runId);
        Tracking.RunInfo run = store.requireActiveRun(runId);
        List<LoggedModelStore.Model> outputs = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        for (JsonNode o : body.path("models")) {
            LoggedModelStore.Model m = models.require(MlflowApi.text(o, "model_id", true));
            if (m.experimentId() != run.experimentId()) {
                throw MlflowException.invalid("Logged model " + m.modelId() + " is in experiment " + m.experimentId()
                        + ", the run in experiment " + run.experimentId() + ".");
            }
            outputs.add(m);
            steps.add(o.path("step").asLong(0));
        }
        for (int i = 0; i < outputs.size(); i++) {
            models.logOutput(run, outputs.get(i), steps.get(i));
        }
        return JSON.objectNode();
    }

    // ---- JSON ----------------------------------------------------------------------------------

    /** MLflow's {@code LoggedModel}: {@code {"info": {...}, "data": {"params": [...], "metrics": [...]}}}. */
    ObjectNode json(LoggedModelStore.Model m) {
        ObjectNode model = JSON.objectNode();
        ObjectNode info = model.putObject("info")
                .put("model_id", m.modelId())
                .put("experiment_id", Long.toString(m.experimentId()))
                .put("name", m.name())
                .put("creation_timestamp_ms", m.creationTime())
                .put("last_updated_timestamp_ms", m.lastUpdateTime())
                .put("artifact_uri", m.artifactLocation())
                .put("status", m.status());
        if (m.modelType() != null) {
            info.put("model_type", m.modelType());
        }
        if (m.sourceRunId() != null) {
            info.put("source_run_id", m.sourceRunId());
        }
        if (m.statusMessage() != null) {
            info.put("status_message", m.statusMessage());
        }
        ArrayNode tags = info.putArray("tags");
        m.tags().forEach((k, v) -> tags.add(JSON.objectNode().put("key", k).put("value", v)));
        ObjectNode data = model.putObject("data");
        ArrayNode params = data.putArray("params");
        m.params().forEach((k, v) -> params.add(JSON.objectNode().put("key", k).put("value", v)));
        ArrayNode metrics = data.putArray("metrics");
        for (Tracking.Metric metric : models.metrics(m, store)) {
            metrics.add(
                    MlflowApi.metricJson(metric).put("model_id", m.modelId()).put("run_id", m.sourceRunId()));
        }
        return model;
    }

    private Map<String, Double> latest(LoggedModelStore.Model m) {
        Map<String, Double> out = new LinkedHashMap<>();
        models.metrics(m, store).forEach(x -> out.put(x.key(), x.value()));
        return out;
    }

    // ---- helpers -------------------------------------------------------------------------------

    private LoggedModelStore.Model readable(String modelId, Authentication auth) {
        var found = models.find(modelId);
        if (found.isPresent() && found.get().sourceRunId() != null) {
            access.read(auth, found.get().sourceRunId());
        } else {
            access.readAll(auth);
        }
        return models.require(modelId);
    }

    private LoggedModelStore.Model writable(String modelId, Authentication auth) {
        var found = models.find(modelId);
        if (found.isPresent() && found.get().sourceRunId() != null) {
            access.write(auth, found.get().sourceRunId());
        } else {
            access.manage(auth);
        }
        return models.require(modelId);
    }

    /** MLflow's LoggedModelStatus as its JSON name or number; READY and FAILED as Python's enum names. */
    static String status(JsonNode n) {
        if (n == null || n.isNull()) {
            throw MlflowException.invalid("Missing value for required parameter 'status'.");
        }
        String s = n.asString().trim().toUpperCase(java.util.Locale.ROOT);
        return switch (s) {
            case "LOGGED_MODEL_READY", "READY", "2" -> LoggedModelStore.READY;
            case "LOGGED_MODEL_UPLOAD_FAILED", "FAILED", "UPLOAD_FAILED", "3" -> LoggedModelStore.FAILED;
            case "LOGGED_MODEL_PENDING", "PENDING", "1" -> LoggedModelStore.PENDING;
            default -> throw MlflowException.invalid("Invalid status '" + n.asString() + "'; expected"
                    + " LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED.");
        };
    }

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
            String v = MlflowApi.text(t, "value", false);
            out.put(MlflowApi.text(t, "key", true), v == null ? "" : v);
        }
        return out;
    }

    static long experimentId(String text) {
        if (text == null || text.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_id'.");
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw MlflowException.notFound("No experiment with id=" + text + ".");
        }
    }

    private static String username(Authentication auth) {
        return ((ApiPrincipal) auth.getPrincipal()).username();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static int decodeToken(String token) {
        if (token == null || token.isBlank()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            if (offset < 0) {
                throw new IllegalArgumentException();
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("Invalid page token.");
        }
    }

    private static String encodeToken(int offset) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Integer.toString(offset).getBytes(StandardCharsets.UTF_8));
    }
}
