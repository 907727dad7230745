package org.stainbench.training;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.shell.Names;

/**
 * MLflow 3 logged models in SQL (V62): the model, its params and tags, and the runs that output it
 * ({@code runs/outputs}). Ids look like MLflow's ({@code m-} and 32 hex digits); statuses are MLflow's enum names
 * ({@code LOGGED_MODEL_PENDING}, {@code LOGGED_MODEL_READY}, {@code LOGGED_MODEL_UPLOAD_FAILED}). Deleting is soft
 * (lifecycle_stage), as for runs; a deleted model answers 404 like one that never was.
 */
@Repository
@Transactional
class LoggedModelStore implements LoggedModelLocations {

    static final String PENDING = "LOGGED_MODEL_PENDING";
    static final String READY = "LOGGED_MODEL_READY";
    static final String FAILED = "LOGGED_MODEL_UPLOAD_FAILED";
    static final int MAX_NAME = 250;
    static final int MAX_MODEL_TYPE = 250;

    /** A logged model as the store hands it out; params and tags sorted by key. */
    record Model(
            long pk,
            String modelId,
            long experimentId,
            String name,
            String modelType,
            String sourceRunId,
            String status,
            String statusMessage,
            String artifactLocation,
            String creator,
            long creationTime,
            long lastUpdateTime,
            Long checkpointId,
            Map<String, String> params,
            Map<String, String> tags) {}

    /** A model a run output, at a step. */
    record Output(String modelId, long step) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    LoggedModelStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Model create(
            long experimentId,
            String name,
            String modelType,
            String sourceRunId,
            String creator,
            Map<String, String> params,
            Map<String, String> tags) {
        String modelId = "m-" + UUID.randomUUID().toString().replace("-", "");
        String n = name == null || name.isBlank() ? "model" : name;
        Names.check("The model name", n, MlflowException::invalid);
        TrackingStore.checkLength("model name", n, MAX_NAME);
        TrackingStore.checkLength("model_type", modelType, MAX_MODEL_TYPE);
        long now = clock.millis();
        var keys = new GeneratedKeyHolder();
        jdbc.sql("insert into logged_model (model_id, experiment_id, name, model_type, source_run_id, status,"
                        + " artifact_location, creator, creation_time, last_update_time, lifecycle_stage)"
                        + " values (:modelId, :experimentId, :name, :modelType, :sourceRunId, :status,"
                        + " :artifactLocation, :creator, :creationTime, :lastUpdateTime, 'active')")
                .param("modelId", modelId)
                .param("experimentId", experimentId)
                .param("name", n)
                .param("modelType", blankToNull(modelType))
                .param("sourceRunId", blankToNull(sourceRunId))
                .param("status", PENDING)
                .param("artifactLocation", "mlflow-artifacts:/" + experimentId + "/models/" + modelId + "/artifacts")
                .param("creator", creator)
                .param("creationTime", now)
                .param("lastUpdateTime", now)
                .update(keys, "id");
        long pk = keys.getKey().longValue();
        params.forEach((k, v) -> logParam(pk, k, v));
        tags.forEach((k, v) -> setTag(pk, k, v));
        return require(modelId);
    }

    /** For the model registry: where a logged model's files are ({@code models:/m-<id>} sources). */
    @Override
    @Transactional(readOnly = true)
    public Optional<String> artifactLocation(String modelId) {
        return find(modelId).map(Model::artifactLocation);
    }

    @Transactional(readOnly = true)
    Optional<Model> find(String modelId) {
        if (modelId == null || modelId.isBlank()) {
            return Optional.empty();
        }
        return jdbc.sql("select * from logged_model where model_id = ? and lifecycle_stage = 'active'")
                .param(modelId)
                .query(this::row)
                .optional()
                .map(this::withParamsAndTags);
    }

    Model require(String modelId) {
        if (modelId == null || modelId.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'model_id'.");
        }
        return find(modelId)
                .orElseThrow(() -> MlflowException.notFound("Logged model with ID '" + modelId + "' not found."));
    }

    /** Every live model of the experiments, newest first (searches filter, order and page these). */
    @Transactional(readOnly = true)
    List<Model> ofExperiments(Collection<Long> experimentIds) {
        if (experimentIds.isEmpty()) {
            return List.of();
        }
        return jdbc
                .sql("select * from logged_model where experiment_id in (:ids) and lifecycle_stage = 'active'"
                        + " order by creation_time desc, model_id")
                .param("ids", experimentIds)
                .query(this::row)
                .list()
                .stream()
                .map(this::withParamsAndTags)
                .toList();
    }

    void finalize(Model m, String status, String message) {
        jdbc.sql("update logged_model set status = ?, status_message = ?, last_update_time = ? where id = ?")
                .params(status, message, clock.millis(), m.pk())
                .update();
    }

    void setCheckpoint(Model m, long checkpointId) {
        jdbc.sql("update logged_model set checkpoint_id = ? where id = ?")
                .params(checkpointId, m.pk())
                .update();
    }

    void delete(Model m) {
        jdbc.sql("update logged_model set lifecycle_stage = 'deleted', last_update_time = ? where id = ?")
                .params(clock.millis(), m.pk())
                .update();
    }

    void logParam(long pk, String key, String value) {
        checkKey("param key", key);
        String v = value == null ? "" : value;
        TrackingStore.checkLength("value of param '" + key + "'", v, TrackingStore.MAX_PARAM_VALUE);
        int n = jdbc.sql("update logged_model_param set param_value = ? where model_pk = ? and param_key = ?")
                .params(v, pk, key)
                .update();
        if (n == 0) {
            jdbc.sql("insert into logged_model_param (model_pk, param_key, param_value) values (?, ?, ?)")
                    .params(pk, key, v)
                    .update();
        }
        touch(pk);
    }

    void setTag(long pk, String key, String value) {
        checkKey("tag key", key);
        TrackingStore.checkLength("value of tag '" + key + "'", value, TrackingStore.MAX_TAG_VALUE);
        int n = jdbc.sql("update logged_model_tag set tag_value = ? where model_pk = ? and tag_key = ?")
                .params(value, pk, key)
                .update();
        if (n == 0) {
            jdbc.sql("insert into logged_model_tag (model_pk, tag_key, tag_value) values (?, ?, ?)")
                    .params(pk, key, value)
                    .update();
        }
        touch(pk);
    }

    void deleteTag(Model m, String key) {
        int n = jdbc.sql("delete from logged_model_tag where model_pk = ? and tag_key = ?")
                .params(m.pk(), key)
                .update();
        if (n == 0) {
            throw MlflowException.notFound("No tag with key '" + key + "' on logged model " + m.modelId() + ".");
        }
        touch(m.pk());
    }

    /** Records that the run output the model at the step (a repeat with another step moves it). */
    void logOutput(Tracking.RunInfo run, Model m, long step) {
        int n = jdbc.sql("update run_output_model set step = ? where run_id = ? and model_pk = ?")
                .params(step, run.id(), m.pk())
                .update();
        if (n == 0) {
            jdbc.sql("insert into run_output_model (run_id, model_pk, step) values (?, ?, ?)")
                    .params(run.id(), m.pk(), step)
                    .update();
        }
    }

    /** The models the run output, oldest first. */
    @Transactional(readOnly = true)
    List<Output> outputs(long runId) {
        return jdbc.sql("select m.model_id, o.step from run_output_model o join logged_model m on m.id = o.model_pk"
                        + " where o.run_id = ? and m.lifecycle_stage = 'active' order by m.id")
                .param(runId)
                .query((rs, i) -> new Output(rs.getString(1), rs.getLong(2)))
                .list();
    }

    /** The step at which a run output the model, if it did. */
    @Transactional(readOnly = true)
    Optional<Long> outputStep(Model m, long runId) {
        return jdbc.sql("select step from run_output_model where run_id = ? and model_pk = ?")
                .params(runId, m.pk())
                .query(Long.class)
                .optional();
    }

    private void touch(long pk) {
        jdbc.sql("update logged_model set last_update_time = ? where id = ?")
                .params(clock.millis(), pk)
                .update();
    }

    private Model row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        long ck = rs.getLong("checkpoint_id");
        Long checkpoint = rs.wasNull() ? null : ck;
        return new Model(
                rs.getLong("id"),
                rs.getString("model_id"),
                rs.getLong("experiment_id"),
                rs.getString("name"),
                rs.getString("model_type"),
                rs.getString("source_run_id"),
                rs.getString("status"),
                rs.getString("status_message"),
                rs.getString("artifact_location"),
                rs.getString("creator"),
                rs.getLong("creation_time"),
                rs.getLong("last_update_time"),
                checkpoint,
                Map.of(),
                Map.of());
    }

    private Model withParamsAndTags(Model m) {
        Map<String, String> params = new LinkedHashMap<>();
        jdbc.sql("select param_key, param_value from logged_model_param where model_pk = ? order by param_key")
                .param(m.pk())
                .query(rs -> {
                    params.put(rs.getString(1), rs.getString(2));
                });
        Map<String, String> tags = new LinkedHashMap<>();
        jdbc.sql("select tag_key, tag_value from logged_model_tag where model_pk = ? order by tag_key")
                .param(m.pk())
                .query(rs -> {
                    tags.put(rs.getString(1), rs.getString(2));
                });
        return new Model(
                m.pk(),
                m.modelId(),
                m.experimentId(),
                m.name(),
                m.modelType(),
                m.sourceRunId(),
                m.status(),
                m.statusMessage(),
                m.artifactLocation(),
                m.creator(),
                m.creationTime(),
                m.lastUpdateTime(),
                m.checkpointId(),
                params,
                tags);
    }

    /** MLflow's key rule (mlflow/utils/validation.py): 1–250 characters, no {@code ..} path step, not absolute. */
    static void checkKey(String field, String key) {
        if (key == null || key.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'key'.");
        }
        if (key.length() > TrackingStore.MAX_KEY) {
            throw MlflowException.invalid("The " + field + " is " + key.length() + " characters long; the limit is "
                    + TrackingStore.MAX_KEY + " characters.");
        }
        if (key.startsWith("/") || List.of(key.split("/")).contains("..")) {
            throw MlflowException.invalid(
                    "Invalid " + field + " '" + key + "': keys may not start with '/' or hold" + " a '..' path step.");
        }
        Names.check("The " + field, key, MlflowException::invalid);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * The metrics of a model: the points its source run logged at the step it output the model (what
     * {@code Model.log} copies to the model with {@code log_model_metrics_for_step}), the latest per key.
     */
    @Transactional(readOnly = true)
    List<Tracking.Metric> metrics(Model m, TrackingStore runs) {
        if (m.sourceRunId() == null) {
            return List.of();
        }
        Optional<Tracking.RunInfo> run = runs.run(m.sourceRunId());
        if (run.isEmpty()) {
            return List.of();
        }
        long step = outputStep(m, run.get().id()).orElse(0L);
        Map<String, Tracking.Metric> latest = new LinkedHashMap<>();
        jdbc.sql("select metric_key, metric_value, is_nan, ts, step from run_metric where run_id = ? and step = ?"
                        + " order by metric_key, ts")
                .params(run.get().id(), step)
                .query(rs -> {
                    double v = rs.getBoolean("is_nan") ? Double.NaN : rs.getDouble("metric_value");
                    latest.put(rs.getString(1), new Tracking.Metric(rs.getString(1), v, rs.getLong("ts"), step));
                });
        return new ArrayList<>(latest.values());
    }
}
