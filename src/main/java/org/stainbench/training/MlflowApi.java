package org.stainbench.training;

import static org.stainbench.training.MlflowJson.experimentId;
import static org.stainbench.training.MlflowJson.experimentJson;
import static org.stainbench.training.MlflowJson.keyValues;
import static org.stainbench.training.MlflowJson.metric;
import static org.stainbench.training.MlflowJson.metricJson;
import static org.stainbench.training.MlflowJson.runId;
import static org.stainbench.training.MlflowJson.runInfoJson;
import static org.stainbench.training.MlflowJson.runJson;
import static org.stainbench.training.MlflowJson.text;
import static org.stainbench.training.MlflowJson.valueText;

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
 * Values over MLflow's length limits are 400 naming the field; any other failure is a generic 500
 * ({@link MlflowErrors}). Reads and writes go through the module's door, {@link Runs}; run inputs and outputs through
 * {@link LoggedModels}; the JSON shapes are {@link MlflowJson}'s.
 */
@RestController
@RequestMapping("/api/2.0/mlflow")
class MlflowApi {

    static final int MAX_BATCH_METRICS = 1000;
    static final int MAX_BATCH_PARAMS = 100;
    static final int MAX_BATCH_TAGS = 100;
    private static final int DEFAULT_MAX_RESULTS = 1000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Runs runs;
    private final LoggedModels models;
    private final TrackingAccess access;
    private final TrackingProperties limits;

    MlflowApi(Runs runs, LoggedModels models, TrackingAccess access, TrackingProperties limits) {
        this.runs = runs;
        this.models = models;
        this.access = access;
        this.limits = limits;
    }

    // ---- experiments -------------------------------------------------------------------------

    @PostMapping("/experiments/create")
    ObjectNode createExperiment(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        long id = runs.createExperiment(
                text(body, "name", true),
                text(body, "artifact_location", false),
                keyValues(body.get("tags")),
                ((ApiPrincipal) auth.getPrincipal()).username());
        return JSON.objectNode().put("experiment_id", Long.toString(id));
    }

    @GetMapping("/experiments/get")
    ObjectNode getExperiment(@RequestParam(name = "experiment_id", required = false) String id, Authentication auth) {
        long experimentId = experimentId(id);
        access.readExperiment(auth, experimentId);
        return JSON.objectNode().set("experiment", experimentJson(runs.requireExperiment(experimentId)));
    }

    @GetMapping("/experiments/get-by-name")
    ObjectNode getExperimentByName(
            @RequestParam(name = "experiment_name", required = false) String name, Authentication auth) {
        if (name == null || name.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_name'.");
        }
        java.util.Optional<Tracking.Experiment> found = runs.experimentByName(name);
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
        Tracking.Experiment e = runs.requireExperiment(experimentId(text(body, "experiment_id", true)));
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
                runs.requireExperiment(experimentId(text(body, "experiment_id", true))),
                ((ApiPrincipal) auth.getPrincipal()).username());
        return JSON.objectNode();
    }

    @PostMapping("/experiments/set-experiment-tag")
    ObjectNode setExperimentTag(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        runs.setExperimentTag(
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
        Tracking.Run run = runs.createRun(
                exp,
                user,
                start,
                text(body, "run_name", false),
                keyValues(body.get("tags")),
                ((ApiPrincipal) auth.getPrincipal()).username());
        return JSON.objectNode().set("run", runJson(run));
    }

    @GetMapping("/runs/get")
    ObjectNode getRun(
            @RequestParam(name = "run_id", required = false) String runId,
            @RequestParam(name = "run_uuid", required = false) String runUuid,
            Authentication auth) {
        String uuid = runId != null ? runId : runUuid;
        access.read(auth, uuid);
        Tracking.RunInfo info = runs.requireRun(uuid);
        return JSON.objectNode().set("run", models.decorate(runJson(runs.full(info)), info));
    }

    @PostMapping("/runs/update")
    ObjectNode updateRun(@RequestBody JsonNode body, Authentication auth) {
        access.write(auth, runId(body));
        Long end = body.hasNonNull("end_time") ? body.get("end_time").asLong() : null;
        Tracking.RunInfo info =
                runs.updateRun(runId(body), text(body, "status", false), end, text(body, "run_name", false));
        return JSON.objectNode().set("run_info", runInfoJson(info));
    }

    /** MLflow's {@code runs/delete}: soft, as on the run page; repeating it changes nothing. */
    @PostMapping("/runs/delete")
    ObjectNode deleteRun(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        try {
            runs.delete(runs.requireRun(runId(body)), ((ApiPrincipal) auth.getPrincipal()).username());
        } catch (Dependants.Blocked e) {
            throw MlflowException.invalid(e.getMessage() + " Cancel the job first.");
        }
        return JSON.objectNode();
    }

    /** MLflow's {@code runs/restore}: a deleted run becomes active again (also from the admins' trash). */
    @PostMapping("/runs/restore")
    ObjectNode restoreRun(@RequestBody JsonNode body, Authentication auth) {
        access.manage(auth);
        runs.restore(runs.requireRun(runId(body)), ((ApiPrincipal) auth.getPrincipal()).username());
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
        DatasetClauses.Split datasets = runs.datasetClauses(filter(b), experiments);
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
        runs.logBatch(runId(body), List.of(metric(body)), Map.of(), Map.of());
        return JSON.objectNode();
    }

    @PostMapping("/runs/log-parameter")
    ObjectNode logParameter(@RequestBody JsonNode body, Authentication auth) {
        access.write(auth, runId(body));
        runs.logBatch(runId(body), List.of(), Map.of(text(body, "key", true), valueText(body)), Map.of());
        return JSON.objectNode();
    }

    @PostMapping("/runs/set-tag")
    ObjectNode setTag(@RequestBody JsonNode body, Authentication auth) {
        access.write(auth, runId(body));
        Map<String, String> tag = new LinkedHashMap<>();
        tag.put(text(body, "key", true), valueText(body));
        runs.logBatch(runId(body), List.of(), Map.of(), tag);
        return JSON.objectNode();
    }

    @PostMapping("/runs/delete-tag")
    ObjectNode deleteTag(@RequestBody JsonNode body, Authentication auth) {
        access.write(auth, runId(body));
        runs.deleteTag(runId(body), text(body, "key", true));
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
        runs.logBatch(runId(body), ms, ps, keyValues(tags));
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
        Tracking.RunInfo info = runs.requireRun(uuid);
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
}
