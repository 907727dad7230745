package org.stainbench.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * MLflow's JSON, both ways, for the MLflow REST adapters ({@link MlflowApi}, {@link MlflowLoggedModels},
 * {@link MlflowInputs}, {@link MlflowExperimentUpdate}): the shapes of {@code Experiment}, {@code RunInfo},
 * {@code Run}, {@code Metric} and {@code LoggedModel} (string ids, {@code run_uuid} as an alias of {@code run_id},
 * NaN and infinities as strings), and the request fields they read, with MLflow's 400 for a missing or bad one.
 */
final class MlflowJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MlflowJson() {}

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

    /** MLflow's {@code LoggedModel}: {@code {"info": {...}, "data": {"params": [...], "metrics": [...]}}}. */
    static ObjectNode loggedModelJson(LoggedModelStore.Model m, List<Tracking.Metric> modelMetrics) {
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
        for (Tracking.Metric metric : modelMetrics) {
            metrics.add(metricJson(metric).put("model_id", m.modelId()).put("run_id", m.sourceRunId()));
        }
        return model;
    }

    // ---- request fields ------------------------------------------------------------------------

    /** MLflow's LoggedModelStatus as its JSON name or number; READY and FAILED as Python's enum names. */
    static String loggedModelStatus(JsonNode n) {
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

    /** The dataset inputs of {@code runs/log-inputs}: each {@code {dataset: {...}, tags: [{key, value}]}}. */
    static List<RunInputStore.DatasetInput> datasetInputs(JsonNode datasets) {
        List<RunInputStore.DatasetInput> list = new ArrayList<>();
        for (JsonNode in : datasets) {
            JsonNode d = in.get("dataset");
            if (d == null || !d.isObject()) {
                throw MlflowException.invalid("Missing value for required parameter 'dataset' of a dataset input.");
            }
            Map<String, String> tags = new LinkedHashMap<>();
            for (JsonNode t : in.path("tags")) {
                tags.put(MlflowJson.text(t, "key", true), MlflowJson.text(t, "value", false));
            }
            list.add(new RunInputStore.DatasetInput(
                    new RunInputStore.Dataset(
                            MlflowJson.text(d, "name", false),
                            MlflowJson.text(d, "digest", false),
                            MlflowJson.text(d, "source_type", false),
                            MlflowJson.text(d, "source", false),
                            MlflowJson.text(d, "schema", false),
                            MlflowJson.text(d, "profile", false)),
                    tags));
        }
        return list;
    }

    static String runId(JsonNode body) {
        String id = text(body, "run_id", false);
        return id != null && !id.isBlank() ? id : text(body, "run_uuid", true);
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

    static String valueText(JsonNode body) {
        String v = text(body, "value", false);
        return v == null ? "" : v;
    }

    static Tracking.Metric metric(JsonNode m) {
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

    static Map<String, String> keyValues(JsonNode array) {
        Map<String, String> out = new LinkedHashMap<>();
        if (array != null) {
            for (JsonNode t : array) {
                out.put(text(t, "key", true), text(t, "value", false));
            }
        }
        return out;
    }
}
