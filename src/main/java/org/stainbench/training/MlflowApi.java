package org.stainbench.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.shell.Activity;
import org.stainbench.shell.Dependants;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * MLflow's tracking REST API (the subset the {@code mlflow} Python client uses for experiments, runs,
 * params, metrics and tags), with MLflow's JSON shapes: string ids, {@code run_uuid} as an alias of
 * {@code run_id}, errors as {@code {"error_code", "message"}}. Point the client at Stainbench with
 * {@code MLFLOW_TRACKING_URI=http://host:8080} and {@code MLFLOW_TRACKING_TOKEN=<machine token>}.
 * <p>
 * Every endpoint asks {@link TrackingAccess} first (who may read or write what). Searches are bounded by
 * {@link TrackingProperties}: filter length, page size and the work of one request ({@link RunSearch.Budget}).
 * Values over MLflow's length limits are 400 naming the field ({@link TrackingStore}); any other failure is a
 * generic 500 ({@link MlflowErrors}).
 */
@RestController
@RequestMapping("/api/2.0/mlflow")
class MlflowApi {

    static final int MAX_BATCH_METRICS = 1000;
    static final int MAX_BATCH_PARAMS = 100;
    static final int MAX_BATCH_TAGS = 100;
    private static final int DEFAULT_MAX_RESULTS = 1000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final TrackingStore store;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final Runs runs;
    private final TrackingAccess access;
    private final TrackingProperties limits;
    /** MLflow 3 run inputs and outputs for runs/get (issue 19; a field so the constructor stays as it is). */
    @org.springframework.beans.factory.annotation.Autowired
    private RunInputsJson runIo;
    /** The datasets.* clauses of runs/search (issue 19), answered in SQL before the other clauses. */
    @org.springframework.beans.factory.annotation.Autowired
    private DatasetClauses datasetClauses;

    MlflowApi(
            TrackingStore store,
            org.springframework.context.ApplicationEventPublisher events,
            Runs runs,
            TrackingAccess access,
            TrackingProperties limits) {
        this.store = store;
        this.events = events;
        this.runs = runs;
        this.access = access;
        this.limits = limits;
    }

    // ---- experiments -------------------------------------------------------------------------

    @PostMapping("/experiments/create")
    ObjectNode createExperiment(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        long id = store.createExperiment(
                text(body, "name", true), text(body, "artifact_location", false), keyValues(body.get("tags")));
        events.publishEvent(Activity.of(
                ((ApiPrincipal) auth.getPrincipal()).username(),
                "registered",
                "experiment",
                id,
                "Created experiment '" + text(body, "name", true) + "' (API)",
                "/runs?experiment=" + id));
        return JSON.objectNode().put("experiment_id", Long.toString(id));
    }

    @GetMapping("/experiments/get")
    ObjectNode getExperiment(@RequestParam(name = "experiment_id", required = false) String id, Authentication auth) {
        long experimentId = experimentId(id);
        access.readExperiment(auth, experimentId);
        return JSON.objectNode().set("experiment", experimentJson(store.requireExperiment(experimentId)));
    }

    @GetMapping("/experiments/get-by-name")
    ObjectNode getExperimentByName(
            @RequestParam(name = "experiment_name", required = false) String name, Authentication auth) {
        if (name == null || name.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_name'.");
        }
        java.util.Optional<Tracking.Experiment> found = store.experimentByName(name);
        access.readExperiment(auth, found.map(Tracking.Experiment::id).orElse(null));
        Tracking.Experiment e =
                found.orElseThrow(() -> MlflowException.notFound("Could not find experiment with name '" + name + "'"));
        return JSON.objectNode().set("experiment", experimentJson(e));
    }

    @PostMapping("/experiments/search")
    ObjectNode searchExperiments(@RequestBody(required = false) JsonNode body, Authentication auth) {
        access.readAll(auth);
        JsonNode b = body == null ? JSON.objectNode() : body;
        String viewType = b.path("view_type").asString("ACTIVE_ONLY");
        int max = maxResults(b);
        TrackingSearch.Page<Tracking.Experiment> page = runs.searchExperiments(
                viewType.equals("ALL") ? null : viewType.equals("DELETED_ONLY") ? "deleted" : "active",
                filter(b),
                orderBy(b),
                max,
                b.path("page_token").asString(""));
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("experiments");
        page.items().forEach(e -> list.add(experimentJson(e)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    /** MLflow's {@code experiments/delete}: soft; its live runs are deleted with it (and come back with it). */
    @PostMapping("/experiments/delete")
    ObjectNode deleteExperiment(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        Tracking.Experiment e = store.requireExperiment(experimentId(text(body, "experiment_id", true)));
        try {
            runs.deleteExperiment(e, ((ApiPrincipal) auth.getPrincipal()).username());
        } catch (Dependants.Blocked x) {
            throw MlflowException.invalid(x.getMessage() + " Cancel the jobs first.");
        } catch (IllegalArgumentException x) {
            throw MlflowException.invalid(x.getMessage());
        }
        return JSON.objectNode();
    }

    /** MLflow's {@code experiments/restore}: the experiment and the runs its deletion took. */
    @PostMapping("/experiments/restore")
    ObjectNode restoreExperiment(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        runs.restoreExperiment(
                store.requireExperiment(experimentId(text(body, "experiment_id", true))),
                ((ApiPrincipal) auth.getPrincipal()).username());
        return JSON.objectNode();
    }

    @PostMapping("/experiments/set-experiment-tag")
    ObjectNode setExperimentTag(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        store.setExperimentTag(
                experimentId(text(body, "experiment_id", true)), text(body, "key", true), text(body, "value", false));
        return JSON.objectNode();
    }

    // ---- runs --------------------------------------------------------------------------------

    @PostMapping("/runs/create")
    ObjectNode createRun(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        String expText = text(body, "experiment_id", false);
        long exp = expText == null ? 0 : experimentId(expText);
        Long start = body.hasNonNull("start_time") ? body.get("start_time").asLong() : null;
        String user = text(body, "user_id", false);
        if (user == null || user.isBlank()) {
            user = ((ApiPrincipal) auth.getPrincipal()).username();
        }
        Tracking.RunInfo info =
                store.createRun(exp, user, start, text(body, "run_name", false), keyValues(body.get("tags")));
        events.publishEvent(Activity.of(
                ((ApiPrincipal) auth.getPrincipal()).username(),
                "launched",
                "run",
                info.uuid(),
                "Started run '" + info.name() + "' (API)",
                "/runs/" + info.uuid()));
        return JSON.objectNode().set("run", runJson(store.full(info)));
    }

    @GetMapping("/runs/get")
    ObjectNode getRun(
            @RequestParam(name = "run_id", required = false) String runId,
            @RequestParam(name = "run_uuid", required = false) String runUuid,
            Authentication auth) {
        String uuid = runId != null ? runId : runUuid;
        access.read(auth, uuid);
        Tracking.RunInfo info = store.requireRun(uuid);
        return JSON.objectNode().set("run", runIo.decorate(runJson(store.full(info)), info));
    }

    @PostMapping("/runs/update")
    ObjectNode updateRun(@RequestBody JsonNode body, Authentication auth) {
        access.write(auth, runId(body));
        Long end = body.hasNonNull("end_time") ? body.get("end_time").asLong() : null;
        Tracking.RunInfo info =
                store.updateRun(runId(body), text(body, "status", false), end, text(body, "run_name", false));
        return JSON.objectNode().set("run_info", runInfoJson(info));
    }

    /** MLflow's {@code runs/delete}: soft, as on the run page; repeating it changes nothing. */
    @PostMapping("/runs/delete")
    ObjectNode deleteRun(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        try {
            runs.delete(store.requireRun(runId(body)), ((ApiPrincipal) auth.getPrincipal()).username());
        } catch (Dependants.Blocked e) {
            throw MlflowException.invalid(e.getMessage() + " Cancel the job first.");
        }
        return JSON.objectNode();
    }

    /** MLflow's {@code runs/restore}: a deleted run becomes active again (also from the admins' trash). */
    @PostMapping("/runs/restore")
    ObjectNode restoreRun(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        runs.restore(store.requireRun(runId(body)), ((ApiPrincipal) auth.getPrincipal()).username());
        return JSON.objectNode();
    }

    @PostMapping("/runs/search")
    ObjectNode searchRuns(@RequestBody(required = false) JsonNode body, Authentication auth) {
        access.readAll(auth);
        JsonNode b = body == null ? JSON.objectNode() : body;
        List<Long> experiments = new ArrayList<>();
        b.path("experiment_ids").forEach(e -> experiments.add(experimentId(e.asString())));
        String view = b.path("run_view_type").asString("ACTIVE_ONLY");
        String lifecycle =
                switch (view) {
                    case "ALL" -> null;
                    case "DELETED_ONLY" -> "deleted";
                    default -> "active";
                };
        int max = maxResults(b);
        RunSearch.Budget budget = new RunSearch.Budget(limits.maxSearchWork(), "stainbench.tracking.max-search-work");
        DatasetClauses.Split datasets = datasetClauses.split(filter(b), experiments);
        TrackingSearch.Page<Tracking.Run> page = runs.search(
                experiments,
                lifecycle,
                datasets.rest(),
                orderBy(b),
                max,
                b.path("page_token").asString(""),
                budget,
                datasets.allowedRuns());
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("runs");
        page.items().forEach(r -> list.add(runJson(r)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    /** {@code order_by} of a search, at most stainbench.tracking.max-filter-length characters in all. */
    private List<String> orderBy(JsonNode b) {
        List<String> orderBy = new ArrayList<>();
        b.path("order_by").forEach(o -> orderBy.add(o.asString()));
        if (String.join(",", orderBy).length() > limits.maxFilterLength()) {
            throw MlflowException.invalid("order_by is longer than stainbench.tracking.max-filter-length ("
                    + limits.maxFilterLength() + " characters).");
        }
        return orderBy;
    }

    @PostMapping("/runs/log-metric")
    ObjectNode logMetric(@RequestBody JsonNode body, Authentication auth) {
        access.write(auth, runId(body));
        store.logBatch(runId(body), List.of(metric(body)), Map.of(), Map.of());
        return JSON.objectNode();
    }

    @PostMapping("/runs/log-parameter")
    ObjectNode logParameter(@RequestBody JsonNode body, Authentication auth) {
        access.write(auth, runId(body));
        store.logBatch(runId(body), List.of(), Map.of(text(body, "key", true), valueText(body)), Map.of());
        return JSON.objectNode();
    }

    @PostMapping("/runs/set-tag")
    ObjectNode setTag(@RequestBody JsonNode body, Authentication auth) {
        access.write(auth, runId(body));
        Map<String, String> tag = new LinkedHashMap<>();
        tag.put(text(body, "key", true), valueText(body));
        store.logBatch(runId(body), List.of(), Map.of(), tag);
        return JSON.objectNode();
    }

    @PostMapping("/runs/delete-tag")
    ObjectNode deleteTag(@RequestBody JsonNode body, Authentication auth) {
        access.write(auth, runId(body));
        store.deleteTag(store.requireActiveRun(runId(body)), text(body, "key", true));
        return JSON.objectNode();
    }

    @PostMapping("/runs/log-batch")
    ObjectNode logBatch(@RequestBody JsonNode body, Authentication auth) {
        access.write(auth, runId(body));
        JsonNode metrics = body.path("metrics");
        JsonNode params = body.path("params");
        JsonNode tags = body.path("tags");
        if (metrics.size() > MAX_BATCH_METRICS || params.size() > MAX_BATCH_PARAMS || tags.size() > MAX_BATCH_TAGS) {
            throw MlflowException.invalid("A batch logging request can contain at most " + MAX_BATCH_METRICS
                    + " metrics, " + MAX_BATCH_PARAMS + " params and " + MAX_BATCH_TAGS + " tags; got "
                    + metrics.size() + ", " + params.size() + " and " + tags.size() + ".");
        }
        List<Tracking.Metric> ms = new ArrayList<>();
        metrics.forEach(m -> ms.add(metric(m)));
        Map<String, String> ps = new LinkedHashMap<>();
        for (JsonNode p : params) {
            String key = text(p, "key", true);
            String value = valueText(p);
            if (ps.containsKey(key) && !ps.get(key).equals(value)) {
                throw MlflowException.invalid("Duplicate parameter keys have been submitted: ['" + key + "'].");
            }
            ps.put(key, value);
        }
        store.logBatch(runId(body), ms, ps, keyValues(tags));
        return JSON.objectNode();
    }

    @GetMapping("/metrics/get-history")
    ObjectNode metricHistory(
            @RequestParam(name = "run_id", required = false) String runId,
            @RequestParam(name = "run_uuid", required = false) String runUuid,
            @RequestParam(name = "metric_key", required = false) String key,
            @RequestParam(name = "max_results", required = false) String maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken,
            Authentication auth) {
        String uuid = runId != null ? runId : runUuid;
        access.read(auth, uuid);
        if (key == null || key.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'metric_key'.");
        }
        Tracking.RunInfo info = store.requireRun(uuid);
        // MLflow's GetMetricHistory: pages of max_results (default and cap stainbench.tracking.max-search-results)
        int max = limits.maxSearchResults();
        if (maxResults != null && !maxResults.isBlank()) {
            try {
                max = Integer.parseInt(maxResults.trim());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 0 || max > limits.maxSearchResults()) {
                throw MlflowException.invalid("max_results must be between 0 and " + limits.maxSearchResults()
                        + " (stainbench.tracking.max-search-results), got " + maxResults + ".");
            }
        }
        TrackingSearch.Page<Tracking.Metric> page = runs.history(info, key, max, pageToken);
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("metrics");
        page.items().forEach(m -> list.add(metricJson(m)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    // ---- JSON shapes -------------------------------------------------------------------------

    static ObjectNode experimentJson(Tracking.Experiment e) {
        ObjectNode o = JSON.objectNode()
                .put("experiment_id", Long.toString(e.id()))
                .put("name", e.name())
                .put("artifact_location", e.artifactLocation())
                .put("lifecycle_stage", e.lifecycleStage())
                .put("last_update_time", e.lastUpdateTime())
                .put("creation_time", e.creationTime());
        ArrayNode tags = o.putArray("tags");
        e.tags().forEach((k, v) -> tags.add(JSON.objectNode().put("key", k).put("value", v)));
        return o;
    }

    static ObjectNode runInfoJson(Tracking.RunInfo i) {
        ObjectNode o = JSON.objectNode()
                .put("run_id", i.uuid())
                .put("run_uuid", i.uuid())
                .put("run_name", i.name())
                .put("experiment_id", Long.toString(i.experimentId()))
                .put("user_id", i.userId() == null ? "" : i.userId())
                .put("status", i.status());
        if (i.startTime() != null) {
            o.put("start_time", i.startTime());
        }
        if (i.endTime() != null) {
            o.put("end_time", i.endTime());
        }
        return o.put("artifact_uri", i.artifactUri()).put("lifecycle_stage", i.lifecycleStage());
    }

    static ObjectNode runJson(Tracking.Run r) {
        ObjectNode run = JSON.objectNode();
        run.set("info", runInfoJson(r.info()));
        ObjectNode data = run.putObject("data");
        ArrayNode metrics = data.putArray("metrics");
        r.latestMetrics().forEach(m -> metrics.add(metricJson(m)));
        ArrayNode params = data.putArray("params");
        r.params().forEach((k, v) -> params.add(JSON.objectNode().put("key", k).put("value", v)));
        ArrayNode tags = data.putArray("tags");
        r.tags().forEach((k, v) -> tags.add(JSON.objectNode().put("key", k).put("value", v)));
        run.putObject("inputs");
        return run;
    }

    static ObjectNode metricJson(Tracking.Metric m) {
        ObjectNode o = JSON.objectNode().put("key", m.key());
        double v = m.value();
        if (Double.isNaN(v)) {
            o.put("value", "NaN");
        } else if (Double.isInfinite(v)) {
            o.put("value", v > 0 ? "Infinity" : "-Infinity");
        } else {
            o.put("value", v);
        }
        return o.put("timestamp", m.timestamp()).put("step", m.step());
    }

    // ---- request helpers ---------------------------------------------------------------------

    /**
     * {@code max_results} of a search: 0 (an empty page without a token) to stainbench.tracking.max-search-results.
     */
    private int maxResults(JsonNode b) {
        JsonNode n = b.path("max_results");
        int max = n.isMissingNode() || n.isNull()
                ? Math.min(DEFAULT_MAX_RESULTS, limits.maxSearchResults())
                : n.asInt(-1);
        if (max < 0 || max > limits.maxSearchResults()) {
            throw MlflowException.invalid("max_results must be between 0 and " + limits.maxSearchResults()
                    + " (stainbench.tracking.max-search-results), got " + n.asString() + ".");
        }
        return max;
    }

    /** The {@code filter} of a search, at most stainbench.tracking.max-filter-length characters. */
    private String filter(JsonNode b) {
        String filter = b.path("filter").asString("");
        if (filter.length() > limits.maxFilterLength()) {
            throw MlflowException.invalid("filter is " + filter.length() + " characters long; the limit is "
                    + limits.maxFilterLength() + " (stainbench.tracking.max-filter-length).");
        }
        return filter;
    }

    private static String runId(JsonNode body) {
        String id = text(body, "run_id", false);
        return id != null && !id.isBlank() ? id : text(body, "run_uuid", true);
    }

    private static long experimentId(String text) {
        if (text == null || text.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_id'.");
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw MlflowException.notFound("No experiment with id=" + text + ".");
        }
    }

    static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw MlflowException.invalid("Missing value for required parameter '" + field + "'.");
            }
            return null;
        }
        return n.isValueNode() ? n.asString() : n.toString();
    }

    private static String valueText(JsonNode body) {
        String v = text(body, "value", false);
        return v == null ? "" : v;
    }

    private static Tracking.Metric metric(JsonNode m) {
        String key = text(m, "key", true);
        JsonNode v = m.get("value");
        if (v == null || v.isNull()) {
            throw MlflowException.invalid("Missing value for required parameter 'value' of metric '" + key + "'.");
        }
        double value;
        if (v.isNumber()) {
            value = v.asDouble();
        } else {
            value = switch (v.asString()) {
                case "NaN" -> Double.NaN;
                case "Infinity", "inf" -> Double.POSITIVE_INFINITY;
                case "-Infinity", "-inf" -> Double.NEGATIVE_INFINITY;
                default -> {
                    try {
                        yield Double.parseDouble(v.asString());
                    } catch (NumberFormatException e) {
                        throw MlflowException.invalid(
                                "Metric '" + key + "' has a non-numeric value '" + v.asString() + "'.");
                    }
                }
            };
        }
        if (!m.hasNonNull("timestamp")) {
            throw MlflowException.invalid("Missing value for required parameter 'timestamp' of metric '" + key + "'.");
        }
        return new Tracking.Metric(
                key, value, m.get("timestamp").asLong(), m.path("step").asLong(0));
    }

    private static Map<String, String> keyValues(JsonNode array) {
        Map<String, String> out = new LinkedHashMap<>();
        if (array != null) {
            for (JsonNode t : array) {
                out.put(text(t, "key", true), text(t, "value", false));
            }
        }
        return out;
    }
}
