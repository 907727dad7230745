package org.stainbench.training;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.shell.Names;

/**
 * Experiments, runs, params, tags and metric points in SQL. Writes are idempotent where MLflow's
 * client may retry them: the same metric point, the same param value and the same tag value can be
 * written any number of times and are stored once.
 */
@Repository
@Transactional
class TrackingStore {

    // MLflow's documented limits (mlflow/utils/validation.py) where it has them, else the column widths (V6)
    static final int MAX_KEY = 250;
    static final int MAX_PARAM_VALUE = 6000;
    static final int MAX_TAG_VALUE = 8000;
    static final int MAX_EXPERIMENT_TAG_VALUE = 5000;
    static final int MAX_EXPERIMENT_NAME = 500;
    static final int MAX_ARTIFACT_LOCATION = 1000;
    static final int MAX_RUN_NAME = 250;
    static final int MAX_USER_ID = 256;

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.JdbcTemplate batch;
    private final Clock clock;

    TrackingStore(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch, Clock clock) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.clock = clock;
    }

    // ---- experiments -------------------------------------------------------------------------

    long createExperiment(String name, String artifactLocation, Map<String, String> tags) {
        if (name == null || name.isBlank()) {
            throw MlflowException.invalid("Experiment name must be a non-empty string.");
        }
        Names.check("The experiment name", name, MlflowException::invalid);
        checkLength("experiment name", name, MAX_EXPERIMENT_NAME);
        checkLength("artifact_location", artifactLocation, MAX_ARTIFACT_LOCATION);
        tags.forEach((k, v) -> {
            checkKey("experiment tag key", k);
            checkLength("value of experiment tag '" + abbreviate(k) + "'", v, MAX_EXPERIMENT_TAG_VALUE);
        });
        if (experimentByName(name).isPresent()) {
            throw MlflowException.exists("Experiment '" + name + "' already exists.");
        }
        long now = clock.millis();
        var keys = new GeneratedKeyHolder();
        try {
            jdbc.sql(
                            "insert into experiment (name, artifact_location, lifecycle_stage, creation_time, last_update_time)"
                                    + " values (?, '', 'active', ?, ?)")
                    .params(name, now, now)
                    .update(keys, "id");
        } catch (DuplicateKeyException e) {
            throw MlflowException.exists("Experiment '" + name + "' already exists.");
        }
        long id = keys.getKey().longValue();
        String location =
                artifactLocation == null || artifactLocation.isBlank() ? "mlflow-artifacts:/" + id : artifactLocation;
        jdbc.sql("update experiment set artifact_location = ? where id = ?")
                .params(location, id)
                .update();
        tags.forEach((k, v) -> setExperimentTag(id, k, v));
        return id;
    }

    @Transactional(readOnly = true)
    Optional<Tracking.Experiment> experiment(long id) {
        return jdbc.sql("select * from experiment where id = ?")
                .param(id)
                .query(this::experimentRow)
                .optional()
                .map(this::withTags);
    }

    @Transactional(readOnly = true)
    Optional<Tracking.Experiment> experimentByName(String name) {
        return jdbc.sql("select * from experiment where name = ?")
                .param(name)
                .query(this::experimentRow)
                .optional()
                .map(this::withTags);
    }

    @Transactional(readOnly = true)
    List<Tracking.Experiment> experiments(boolean activeOnly) {
        return experiments(activeOnly ? "active" : null);
    }

    /** Experiments of one lifecycle stage ("active", "deleted"), or all for null. */
    @Transactional(readOnly = true)
    List<Tracking.Experiment> experiments(String stage) {
        return jdbc
                .sql("select * from experiment" + (stage != null ? " where lifecycle_stage = ?" : "") + " order by id")
                .params(stage == null ? List.of() : List.of(stage))
                .query(this::experimentRow)
                .list()
                .stream()
                .map(this::withTags)
                .toList();
    }

    void setExperimentTag(long experimentId, String key, String value) {
        requireExperiment(experimentId);
        checkKey("experiment tag key", key);
        checkLength("value of experiment tag '" + abbreviate(key) + "'", value, MAX_EXPERIMENT_TAG_VALUE);
        int updated = jdbc.sql("update experiment_tag set tag_value = ? where experiment_id = ? and tag_key = ?")
                .params(value, experimentId, key)
                .update();
        if (updated == 0) {
            jdbc.sql("insert into experiment_tag (experiment_id, tag_key, tag_value) values (?, ?, ?)")
                    .params(experimentId, key, value)
                    .update();
        }
    }

    /** Sets the experiment's name (checked by the caller); a taken name is a {@code DuplicateKeyException}. */
    void renameExperiment(long experimentId, String name) {
        jdbc.sql("update experiment set name = ?, last_update_time = ? where id = ?")
                .params(name, clock.millis(), experimentId)
                .update();
    }

    Tracking.Experiment requireExperiment(long id) {
        return experiment(id).orElseThrow(() -> MlflowException.notFound("No experiment with id=" + id + "."));
    }

    private Tracking.Experiment experimentRow(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Tracking.Experiment(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("artifact_location"),
                rs.getString("lifecycle_stage"),
                rs.getLong("creation_time"),
                rs.getLong("last_update_time"),
                Map.of());
    }

    private Tracking.Experiment withTags(Tracking.Experiment e) {
        Map<String, String> tags = new LinkedHashMap<>();
        jdbc.sql("select tag_key, tag_value from experiment_tag where experiment_id = ? order by tag_key")
                .param(e.id())
                .query(rs -> {
                    tags.put(rs.getString(1), rs.getString(2));
                });
        return new Tracking.Experiment(
                e.id(), e.name(), e.artifactLocation(), e.lifecycleStage(), e.creationTime(), e.lastUpdateTime(), tags);
    }

    // ---- runs --------------------------------------------------------------------------------

    Tracking.RunInfo createRun(
            long experimentId, String userId, Long startTime, String runName, Map<String, String> tags) {
        Tracking.Experiment exp = requireExperiment(experimentId);
        if (!exp.lifecycleStage().equals("active")) {
            throw MlflowException.invalid("Experiment " + experimentId + " is deleted.");
        }
        String uuid = UUID.randomUUID().toString().replace("-", "");
        String name = runName != null && !runName.isBlank()
                ? runName
                : tags.getOrDefault("mlflow.runName", "run-" + uuid.substring(0, 8));
        Names.check("The run name", name, MlflowException::invalid);
        checkLength("run_name", name, MAX_RUN_NAME);
        checkLength("user_id", userId, MAX_USER_ID);
        String artifactUri = exp.artifactLocation() + "/" + uuid + "/artifacts";
        long start = startTime != null ? startTime : clock.millis();
        jdbc.sql("insert into tracked_run (run_uuid, experiment_id, run_name, user_id, status, start_time,"
                        + " lifecycle_stage, artifact_uri) values (:runUuid, :experimentId, :runName,"
                        + " :userId, 'RUNNING', :startTime, 'active', :artifactUri)")
                .param("runUuid", uuid)
                .param("experimentId", experimentId)
                .param("runName", name)
                .param("userId", userId)
                .param("startTime", start)
                .param("artifactUri", artifactUri)
                .update();
        Tracking.RunInfo info = requireRun(uuid);
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put("mlflow.runName", name);
        all.forEach((k, v) -> setTag(info, k, v));
        return info;
    }

    @Transactional(readOnly = true)
    Optional<Tracking.RunInfo> run(String uuid) {
        if (uuid == null) {
            return Optional.empty();
        }
        return jdbc.sql("select * from tracked_run where run_uuid = ?")
                .param(uuid)
                .query(this::runRow)
                .optional();
    }

    Tracking.RunInfo requireRun(String uuid) {
        if (uuid == null || uuid.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'.");
        }
        return run(uuid).orElseThrow(() -> MlflowException.notFound("Run with id=" + uuid + " not found"));
    }

    Tracking.RunInfo requireActiveRun(String uuid) {
        Tracking.RunInfo info = requireRun(uuid);
        if (!info.lifecycleStage().equals("active")) {
            throw MlflowException.invalid("The run " + uuid + " must be in the 'active' state. Current state is "
                    + info.lifecycleStage() + ".");
        }
        return info;
    }

    Tracking.RunInfo updateRun(String uuid, String status, Long endTime, String runName) {
        Names.check("The run name", runName, MlflowException::invalid);
        Tracking.RunInfo info = requireActiveRun(uuid);
        if (status != null && !Tracking.STATUSES.contains(status)) {
            throw MlflowException.invalid("Invalid run status '" + status + "'; expected one of " + Tracking.STATUSES);
        }
        checkLength("run_name", runName, MAX_RUN_NAME);
        jdbc.sql("update tracked_run set status = coalesce(?, status), end_time = ?, run_name = coalesce(?, run_name)"
                        + " where id = ?")
                .params(status, endTime != null ? endTime : info.endTime(), blankToNull(runName), info.id())
                .update();
        if (runName != null && !runName.isBlank()) {
            setTag(info, "mlflow.runName", runName);
        }
        return requireRun(uuid);
    }

    @Transactional(readOnly = true)
    List<Tracking.RunInfo> runInfos(Collection<Long> experimentIds, String lifecycle) {
        if (experimentIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select * from tracked_run where experiment_id in (:ids)"
                        + (lifecycle == null ? "" : " and lifecycle_stage = :stage")
                        + " order by start_time desc, run_uuid")
                .param("ids", experimentIds)
                .param("stage", lifecycle == null ? "active" : lifecycle)
                .query(this::runRow)
                .list();
    }

    @Transactional(readOnly = true)
    Tracking.Run full(Tracking.RunInfo info) {
        Map<String, String> params = new LinkedHashMap<>();
        jdbc.sql("select param_key, param_value from run_param where run_id = ? order by param_key")
                .param(info.id())
                .query(rs -> {
                    params.put(rs.getString(1), rs.getString(2));
                });
        Map<String, String> tags = new LinkedHashMap<>();
        jdbc.sql("select tag_key, tag_value from run_tag where run_id = ? order by tag_key")
                .param(info.id())
                .query(rs -> {
                    tags.put(rs.getString(1), rs.getString(2));
                });
        return new Tracking.Run(info, params, tags, latestMetrics(info.id()));
    }

    /**
     * For each key, the point with the largest step, then the latest timestamp (MLflow's rule): one row per key of
     * {@code run_latest_metric}, which every write keeps ({@link #raiseLatest}), so no history is read.
     */
    private List<Tracking.Metric> latestMetrics(long runId) {
        return jdbc.sql("select metric_key, metric_value, is_nan, ts, step from run_latest_metric where run_id = ?"
                        + " order by metric_key")
                .param(runId)
                .query((rs, i) -> metricRow(rs))
                .list();
    }

    /** {@link #full} of many runs in four queries (a search page), in the order given. */
    @Transactional(readOnly = true)
    List<Tracking.Run> fullMany(List<Tracking.RunInfo> infos) {
        if (infos.isEmpty()) {
            return List.of();
        }
        List<Long> ids = infos.stream().map(Tracking.RunInfo::id).toList();
        Map<Long, Map<String, String>> params = new HashMap<>();
        jdbc.sql("select run_id, param_key, param_value from run_param where run_id in (:ids) order"
                        + " by run_id, param_key")
                .param("ids", ids)
                .query(rs -> {
                    params.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getString(3));
                });
        Map<Long, Map<String, String>> tags = new HashMap<>();
        jdbc.sql("select run_id, tag_key, tag_value from run_tag where run_id in (:ids) order by run_id, tag_key")
                .param("ids", ids)
                .query(rs -> {
                    tags.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getString(3));
                });
        Map<Long, List<Tracking.Metric>> latest = new HashMap<>();
        jdbc.sql("select run_id, metric_key, metric_value, is_nan, ts, step from run_latest_metric"
                        + " where run_id in (:ids)"
                        + " order by run_id, metric_key")
                .param("ids", ids)
                .query(rs -> {
                    latest.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(metricRow(rs));
                });
        return infos.stream()
                .map(i -> new Tracking.Run(
                        i,
                        params.getOrDefault(i.id(), Map.of()),
                        tags.getOrDefault(i.id(), Map.of()),
                        latest.getOrDefault(i.id(), List.of())))
                .toList();
    }

    private static Tracking.Metric metricRow(java.sql.ResultSet rs) throws java.sql.SQLException {
        double v = rs.getBoolean("is_nan") ? Double.NaN : rs.getDouble("metric_value");
        return new Tracking.Metric(rs.getString("metric_key"), v, rs.getLong("ts"), rs.getLong("step"));
    }

    private Tracking.RunInfo runRow(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        long end = rs.getLong("end_time");
        Long endTime = rs.wasNull() ? null : end;
        long start = rs.getLong("start_time");
        Long startTime = rs.wasNull() ? null : start;
        return new Tracking.RunInfo(
                rs.getLong("id"),
                rs.getString("run_uuid"),
                rs.getLong("experiment_id"),
                rs.getString("run_name"),
                rs.getString("user_id"),
                rs.getString("status"),
                startTime,
                endTime,
                rs.getString("lifecycle_stage"),
                rs.getString("artifact_uri"));
    }

    // ---- soft deletion -----------------------------------------------------------------------

    /** Who deleted a run and when. */
    record Deletion(String by, java.time.Instant at) {}

    /** Marks the run deleted (MLflow's lifecycle stage); false when it already was. */
    boolean markDeleted(Tracking.RunInfo run, String by, java.time.Instant at) {
        return jdbc.sql("update tracked_run set lifecycle_stage = 'deleted', deleted_at = ?, deleted_by = ? "
                                + "where id = ? and lifecycle_stage <> 'deleted'")
                        .params(java.sql.Timestamp.from(at), by, run.id())
                        .update()
                == 1;
    }

    /** Marks the run active again; false when it was not deleted. */
    boolean markRestored(Tracking.RunInfo run) {
        return jdbc.sql("update tracked_run set lifecycle_stage = 'active', deleted_at = null, deleted_by = null "
                                + "where id = ? and lifecycle_stage = 'deleted'")
                        .param(run.id())
                        .update()
                == 1;
    }

    @Transactional(readOnly = true)
    Optional<Deletion> deletion(long runId) {
        return jdbc.sql("select deleted_by, deleted_at from tracked_run where id = ? and lifecycle_stage = 'deleted'")
                .param(runId)
                .query((rs, i) -> deletion(rs))
                .optional();
    }

    private static Deletion deletion(java.sql.ResultSet rs) throws java.sql.SQLException {
        java.sql.Timestamp at = rs.getTimestamp("deleted_at");
        return new Deletion(rs.getString("deleted_by"), at == null ? null : at.toInstant());
    }

    record DeletedRun(Tracking.RunInfo run, Deletion deletion) {}

    record DeletedExperiment(long id, String name, Deletion deletion) {}

    @Transactional(readOnly = true)
    Optional<Tracking.RunInfo> runById(long id) {
        return jdbc.sql("select * from tracked_run where id = ?")
                .param(id)
                .query(this::runRow)
                .optional();
    }

    /** Deleted runs whose experiment is live (the runs of a deleted experiment come back with it), newest first. */
    @Transactional(readOnly = true)
    List<DeletedRun> deletedRuns() {
        return jdbc.sql("select r.* from tracked_run r join experiment e on e.id = r.experiment_id "
                        + "where r.lifecycle_stage = 'deleted' and e.lifecycle_stage = 'active'"
                        + " order by r.deleted_at desc, r.id")
                .query((rs, i) -> new DeletedRun(runRow(rs, i), deletion(rs)))
                .list();
    }

    /** Deleted experiments, newest first. */
    @Transactional(readOnly = true)
    List<DeletedExperiment> deletedExperiments() {
        return jdbc.sql("select id, name, deleted_by, deleted_at from experiment where lifecycle_stage = 'deleted' "
                        + "order by deleted_at desc, id")
                .query((rs, i) -> new DeletedExperiment(rs.getLong("id"), rs.getString("name"), deletion(rs)))
                .list();
    }

    /** Marks the experiment and its live runs deleted at the same instant; false when it already was deleted. */
    boolean markExperimentDeleted(long experimentId, String by, java.time.Instant at) {
        java.sql.Timestamp ts = java.sql.Timestamp.from(at);
        if (jdbc.sql("update experiment set lifecycle_stage = 'deleted', deleted_at = ?,"
                                + " deleted_by = ?, last_update_time = ? "
                                + "where id = ? and lifecycle_stage <> 'deleted'")
                        .params(ts, by, at.toEpochMilli(), experimentId)
                        .update()
                != 1) {
            return false;
        }
        jdbc.sql("update tracked_run set lifecycle_stage = 'deleted', deleted_at = ?, deleted_by = ? "
                        + "where experiment_id = ? and lifecycle_stage <> 'deleted'")
                .params(ts, by, experimentId)
                .update();
        return true;
    }

    /** Marks the experiment active again with the runs its deletion took; false when it was not deleted. */
    boolean markExperimentRestored(long experimentId) {
        java.sql.Timestamp at = jdbc.sql(
                        "select deleted_at from experiment where id = ? and lifecycle_stage = 'deleted'")
                .param(experimentId)
                .query(java.sql.Timestamp.class)
                .optional()
                .orElse(null);
        if (at == null
                || jdbc.sql("update experiment set lifecycle_stage = 'active', deleted_at = null, deleted_by = null "
                                        + "where id = ? and lifecycle_stage = 'deleted'")
                                .param(experimentId)
                                .update()
                        != 1) {
            return false;
        }
        jdbc.sql("update tracked_run set lifecycle_stage = 'active', deleted_at = null, deleted_by = null "
                        + "where experiment_id = ? and lifecycle_stage = 'deleted' and deleted_at = ?")
                .params(experimentId, at)
                .update();
        return true;
    }

    /** Live runs of the experiment. */
    @Transactional(readOnly = true)
    List<Tracking.RunInfo> activeRuns(long experimentId) {
        return jdbc.sql("select * from tracked_run where experiment_id = ? and lifecycle_stage = 'active' order by id")
                .param(experimentId)
                .query(this::runRow)
                .list();
    }

    // ---- params, tags, metrics ---------------------------------------------------------------

    void logParam(Tracking.RunInfo run, String key, String value) {
        checkKey("param key", key);
        String v = value == null ? "" : value;
        checkLength("value of param '" + key + "'", v, MAX_PARAM_VALUE);
        Optional<String> existing = jdbc.sql("select param_value from run_param where run_id = ? and param_key = ?")
                .params(run.id(), key)
                .query(String.class)
                .optional();
        if (existing.isPresent()) {
            if (!existing.get().equals(v)) {
                throw MlflowException.invalid("Changing param values is not allowed. Param with key='" + key
                        + "' was already logged with value='" + existing.get() + "' for run ID='" + run.uuid()
                        + "'. Attempted logging new value '" + v + "'.");
            }
            return;
        }
        jdbc.sql("insert into run_param (run_id, param_key, param_value) values (?, ?, ?)")
                .params(run.id(), key, v)
                .update();
    }

    void setTag(Tracking.RunInfo run, String key, String value) {
        checkKey("tag key", key);
        Names.check("The run name", "mlflow.runName".equals(key) ? value : null, MlflowException::invalid);
        checkLength("value of tag '" + key + "'", value, key.equals("mlflow.runName") ? MAX_RUN_NAME : MAX_TAG_VALUE);
        int updated = jdbc.sql("update run_tag set tag_value = ? where run_id = ? and tag_key = ?")
                .params(value, run.id(), key)
                .update();
        if (updated == 0) {
            jdbc.sql("insert into run_tag (run_id, tag_key, tag_value) values (?, ?, ?)")
                    .params(run.id(), key, value)
                    .update();
        }
        if (key.equals("mlflow.runName") && value != null) {
            jdbc.sql("update tracked_run set run_name = ? where id = ?")
                    .params(value, run.id())
                    .update();
        }
    }

    void deleteTag(Tracking.RunInfo run, String key) {
        int n = jdbc.sql("delete from run_tag where run_id = ? and tag_key = ?")
                .params(run.id(), key)
                .update();
        if (n == 0) {
            throw MlflowException.notFound("No tag with name: " + key + " in run with id " + run.uuid());
        }
    }

    private static final String INSERT_POINT =
            "insert into run_metric (run_id, metric_key, metric_value, is_nan, ts, step)"
                    + " select ?, ?, ?, ?, ?, ? where not exists (select 1 from run_metric where run_id = ?"
                    + " and metric_key = ?"
                    + " and metric_value = ? and is_nan = ? and ts = ? and step = ?)";

    /** Stores a point unless the very same point is already stored (a retried write), and keeps the latest. */
    void logMetric(Tracking.RunInfo run, Tracking.Metric m) {
        checkKey("metric key", m.key());
        lock(run);
        batch.update(INSERT_POINT, pointArgs(run, m));
        raiseLatest(run, m);
    }

    /** All or nothing: a conflicting param rejects the whole batch. */
    void logBatch(String runUuid, List<Tracking.Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        Tracking.RunInfo run = requireActiveRun(runUuid);
        params.forEach((k, v) -> logParam(run, k, v));
        tags.forEach((k, v) -> setTag(run, k, v));
        if (metrics.isEmpty()) {
            return;
        }
        metrics.forEach(m -> checkKey("metric key", m.key()));
        lock(run);
        batch.batchUpdate(
                INSERT_POINT,
                metrics.stream().map(m -> pointArgs(run, m)).collect(java.util.stream.Collectors.toList()));
        Map<String, Tracking.Metric> newest = new LinkedHashMap<>();
        for (Tracking.Metric m : metrics) {
            newest.merge(m.key(), m, (a, b) -> LATEST.compare(a, b) >= 0 ? a : b);
        }
        newest.values().forEach(m -> raiseLatest(run, m));
    }

    /** MLflow's order of "latest": step, then timestamp, then value (NaN the smallest). */
    private static final java.util.Comparator<Tracking.Metric> LATEST = java.util.Comparator.comparingLong(
                    Tracking.Metric::step)
            .thenComparingLong(Tracking.Metric::timestamp)
            .thenComparingDouble(m -> Double.isNaN(m.value()) ? Double.NEGATIVE_INFINITY : m.value());

    private static Object[] pointArgs(Tracking.RunInfo run, Tracking.Metric m) {
        boolean nan = Double.isNaN(m.value());
        double stored = nan ? 0.0 : m.value();
        return new Object[] {
            run.id(),
            m.key(),
            stored,
            nan,
            m.timestamp(),
            m.step(),
            run.id(),
            m.key(),
            stored,
            nan,
            m.timestamp(),
            m.step()
        };
    }

    /** Writers of one run take its row lock, so two writers never race to insert its latest-metric row. */
    private void lock(Tracking.RunInfo run) {
        jdbc.sql("select id from tracked_run where id = ? for update")
                .param(run.id())
                .query(Long.class)
                .list();
    }

    /** Makes {@code m} the run's latest point of its key unless a later one (step, timestamp, value) is there. */
    private void raiseLatest(Tracking.RunInfo run, Tracking.Metric m) {
        boolean nan = Double.isNaN(m.value());
        double stored = nan ? 0.0 : m.value();
        int updated = jdbc.sql("update run_latest_metric set metric_value = :v, is_nan = :nan, ts = :ts, step = :step"
                        + " where run_id = :run and metric_key = :key and (step < :step or (step = :step and (ts < :ts"
                        + " or (ts = :ts and (is_nan and not :nan or (is_nan = :nan and metric_value < :v))))))")
                .param("v", stored)
                .param("nan", nan)
                .param("ts", m.timestamp())
                .param("step", m.step())
                .param("run", run.id())
                .param("key", m.key())
                .update();
        if (updated == 0) {
            jdbc.sql("insert into run_latest_metric (run_id, metric_key, metric_value, is_nan, ts, step)"
                            + " select :run, :key, :v, :nan, :ts, :step where not exists"
                            + " (select 1 from run_latest_metric where run_id = :run and metric_key = :key)")
                    .param("v", stored)
                    .param("nan", nan)
                    .param("ts", m.timestamp())
                    .param("step", m.step())
                    .param("run", run.id())
                    .param("key", m.key())
                    .update();
        }
    }

    /**
     * One page of a metric's history in (step, timestamp) order, as MLflow's {@code GetMetricHistory} pages it:
     * {@code limit} points from {@code offset}.
     */
    @Transactional(readOnly = true)
    List<Tracking.Metric> metricHistory(Tracking.RunInfo run, String key, long offset, int limit) {
        return jdbc.sql("select metric_key, metric_value, is_nan, ts, step from run_metric where run_id = :run"
                        + " and metric_key = :key order by step, ts, metric_value limit :limit offset :offset")
                .param("run", run.id())
                .param("key", key)
                .param("limit", limit)
                .param("offset", offset)
                .query((rs, i) -> metricRow(rs))
                .list();
    }

    /** The first and last point of the key with the largest latest step (empty without two points). */
    @Transactional(readOnly = true)
    Optional<Tracking.Metric[]> progressPoints(Tracking.RunInfo run) {
        Optional<Tracking.Metric> last = jdbc.sql(
                        "select metric_key, metric_value, is_nan, ts, step from run_latest_metric"
                                + " where run_id = ? order by step desc, metric_key limit 1")
                .param(run.id())
                .query((rs, i) -> metricRow(rs))
                .optional();
        if (last.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("select metric_key, metric_value, is_nan, ts, step from run_metric where run_id = ?"
                        + " and metric_key = ? order by step, ts limit 1")
                .params(run.id(), last.get().key())
                .query((rs, i) -> metricRow(rs))
                .optional()
                .map(first -> new Tracking.Metric[] {first, last.get()});
    }

    /** The metric keys the run has logged. */
    @Transactional(readOnly = true)
    List<String> metricKeys(Tracking.RunInfo run) {
        return jdbc.sql("select metric_key from run_latest_metric where run_id = ? order by metric_key")
                .param(run.id())
                .query(String.class)
                .list();
    }

    /** How many points of {@code key} lie in the step range [from, to]. */
    @Transactional(readOnly = true)
    long pointCount(Tracking.RunInfo run, String key, long from, long to) {
        return jdbc.sql("select count(*) from run_metric where run_id = ? and metric_key = ? and step between ? and ?")
                .params(run.id(), key, from, to)
                .query(Long.class)
                .single();
    }

    /** The points of {@code key} with a step in [from, to], as parallel arrays in (step, timestamp) order. */
    @Transactional(readOnly = true)
    Downsample.Series series(Tracking.RunInfo run, String key, long from, long to) {
        Downsample.Builder b = new Downsample.Builder();
        jdbc.sql("select step, metric_value, is_nan from run_metric where run_id = ? and metric_key = ?"
                        + " and step between ? and ? order by step, ts")
                .params(run.id(), key, from, to)
                .query(rs -> {
                    b.add(rs.getLong(1), rs.getBoolean(3) ? Double.NaN : rs.getDouble(2));
                });
        return b.build();
    }

    @Transactional(readOnly = true)
    List<Tracking.Metric> metricHistory(Tracking.RunInfo run, String key) {
        return jdbc.sql("select metric_key, metric_value, is_nan, ts, step from run_metric where run_id = ?"
                        + " and metric_key = ? order by step, ts")
                .params(run.id(), key)
                .query((rs, i) -> metricRow(rs))
                .list();
    }

    @Transactional(readOnly = true)
    Map<String, List<Tracking.Metric>> allHistories(Tracking.RunInfo run) {
        Map<String, List<Tracking.Metric>> out = new HashMap<>();
        jdbc.sql("select metric_key, metric_value, is_nan, ts, step from run_metric where run_id = ?"
                        + " order by metric_key, step, ts")
                .param(run.id())
                .query(rs -> {
                    Tracking.Metric m = metricRow(rs);
                    out.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
                });
        return out;
    }

    @Transactional(readOnly = true)
    long runCount() {
        return jdbc.sql("select count(*) from tracked_run where lifecycle_stage = 'active'")
                .query(Long.class)
                .single();
    }

    /** 400 naming the field and its limit when {@code value} is longer than {@code max} characters. */
    static void checkLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw MlflowException.invalid("The " + field + " is " + value.length() + " characters long; the limit is "
                    + max + " characters.");
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static void checkKey(String field, String key) {
        if (key == null || key.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'key'.");
        }
        if (key.length() > MAX_KEY) {
            throw MlflowException.invalid("The " + field + " '" + abbreviate(key) + "' is " + key.length()
                    + " characters long; the limit is " + MAX_KEY + " characters.");
        }
        if (!pathSafe(key)) {
            throw MlflowException.invalid("Invalid key '" + abbreviate(key) + "': a key must not be '.', start with '/'"
                    + " or hold a '.' or '..' path segment (MLflow's rule; 'loss..v2' is fine).");
        }
    }

    /**
     * MLflow's {@code path_not_unique} rule: the key is its own normalised path. {@code a..b} passes; {@code ..},
     * {@code a/../b}, {@code ./a}, {@code a//b}, {@code a/} and {@code /a} do not.
     */
    static boolean pathSafe(String key) {
        if (key.startsWith("/") || key.endsWith("/")) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
