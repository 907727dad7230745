package org.stainbench.training;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.shell.Names;

/**
 * A run's inputs ({@code runs/log-inputs}, V62): datasets (one row per experiment, name and digest, as in MLflow's SQL
 * store) with the input's tags, and the logged models it used. Limits are MLflow's (mlflow/utils/validation.py).
 * {@link #runsMatching} is the {@code datasets.*} clause of a run search, self-contained so either search engine can
 * call it.
 */
@Repository
@Transactional
class RunInputStore {

    static final int MAX_DATASET_NAME = 500;
    static final int MAX_DATASET_DIGEST = 36;
    static final int MAX_SOURCE_TYPE = 36;
    static final int MAX_DATASET_SOURCE = 65535;
    static final int MAX_DATASET_SCHEMA = 1048575;
    static final int MAX_DATASET_PROFILE = 16777215;
    static final int MAX_INPUT_TAG_KEY = 255;
    static final int MAX_INPUT_TAG_VALUE = 500;
    /** The tag the client sets for {@code mlflow.log_input(..., context=...)}. */
    static final String CONTEXT_TAG = "mlflow.data.context";

    record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {}

    record DatasetInput(Dataset dataset, Map<String, String> tags) {}

    private final JdbcClient jdbc;

    RunInputStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Checks every input before storing any; a repeated input adds nothing (its tags are updated). */
    void log(Tracking.RunInfo run, List<DatasetInput> inputs) {
        inputs.forEach(RunInputStore::check);
        for (DatasetInput in : inputs) {
            Dataset d = in.dataset();
            Long id = jdbc.sql("select id from run_dataset where experiment_id = ? and name = ? and digest = ?")
                    .params(run.experimentId(), d.name(), d.digest())
                    .query(Long.class)
                    .optional()
                    .orElse(null);
            if (id == null) {
                var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
                jdbc.sql("insert into run_dataset (experiment_id, name, digest, source_type, dataset_source,"
                                + " dataset_schema, profile) values (:experimentId, :name, :digest,"
                                + " :sourceType, :datasetSource, :datasetSchema, :profile)")
                        .param("experimentId", run.experimentId())
                        .param("name", d.name())
                        .param("digest", d.digest())
                        .param("sourceType", d.sourceType())
                        .param("datasetSource", d.source())
                        .param("datasetSchema", d.schema())
                        .param("profile", d.profile())
                        .update(keys, "id");
                id = keys.getKey().longValue();
            }
            long datasetId = id;
            if (jdbc.sql("select count(*) from run_input where run_id = ? and dataset_id = ?")
                            .params(run.id(), datasetId)
                            .query(Long.class)
                            .single()
                    == 0) {
                jdbc.sql("insert into run_input (run_id, dataset_id) values (?, ?)")
                        .params(run.id(), datasetId)
                        .update();
            }
            in.tags().forEach((k, v) -> {
                if (jdbc.sql("update run_input_tag set tag_value = ? where run_id = ? and"
                                        + " dataset_id = ? and tag_key = ?")
                                .params(v, run.id(), datasetId, k)
                                .update()
                        == 0) {
                    jdbc.sql("insert into run_input_tag (run_id, dataset_id, tag_key, tag_value) values (?, ?, ?, ?)")
                            .params(run.id(), datasetId, k, v)
                            .update();
                }
            });
        }
    }

    void logModelInput(Tracking.RunInfo run, LoggedModelStore.Model m) {
        if (jdbc.sql("select count(*) from run_input_model where run_id = ? and model_pk = ?")
                        .params(run.id(), m.pk())
                        .query(Long.class)
                        .single()
                == 0) {
            jdbc.sql("insert into run_input_model (run_id, model_pk) values (?, ?)")
                    .params(run.id(), m.pk())
                    .update();
        }
    }

    /** The run's dataset inputs in the order they were first logged, each with its tags sorted by key. */
    @Transactional(readOnly = true)
    List<DatasetInput> datasets(long runId) {
        Map<Long, Dataset> byId = new LinkedHashMap<>();
        jdbc.sql("select d.* from run_input i join run_dataset d on d.id = i.dataset_id where"
                        + " i.run_id = ? order by d.id")
                .param(runId)
                .query(rs -> {
                    byId.put(
                            rs.getLong("id"),
                            new Dataset(
                                    rs.getString("name"),
                                    rs.getString("digest"),
                                    rs.getString("source_type"),
                                    rs.getString("dataset_source"),
                                    rs.getString("dataset_schema"),
                                    rs.getString("profile")));
                });
        Map<Long, Map<String, String>> tags = new LinkedHashMap<>();
        jdbc.sql("select dataset_id, tag_key, tag_value from run_input_tag where run_id = ? order by tag_key")
                .param(runId)
                .query(rs -> {
                    tags.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getString(3));
                });
        List<DatasetInput> out = new ArrayList<>();
        byId.forEach((id, d) -> out.add(new DatasetInput(d, tags.getOrDefault(id, Map.of()))));
        return out;
    }

    /** Ids of the logged models the run used as inputs. */
    @Transactional(readOnly = true)
    List<String> modelInputs(long runId) {
        return jdbc.sql("select m.model_id from run_input_model i join logged_model m on m.id = i.model_pk"
                        + " where i.run_id = ? order by m.id")
                .param(runId)
                .query(String.class)
                .list();
    }

    /**
     * The {@code datasets.<field> <op> <value>} clause of a run search ({@code datasets.name}, {@code datasets.digest},
     * {@code datasets.context}; operators {@code =}, {@code !=}, {@code IN}, {@code NOT IN}, {@code LIKE},
     * {@code ILIKE}): the uuids of the runs of the experiments that logged a matching dataset input. {@code values}
     * holds one value except for IN and NOT IN. One SQL query; a LIKE pattern follows {@link RunSearch#LIKE_ESCAPE}.
     */
    @Transactional(readOnly = true)
    Set<String> runsMatching(Collection<Long> experimentIds, String field, String op, List<String> values) {
        if (experimentIds.isEmpty() || values.isEmpty()) {
            return Set.of();
        }
        String column =
                switch (field.toLowerCase(java.util.Locale.ROOT)) {
                    case "name" -> "d.name";
                    case "digest" -> "d.digest";
                    case "context" -> "(select t.tag_value from run_input_tag t where t.run_id = i.run_id"
                            + " and t.dataset_id = i.dataset_id and t.tag_key = '" + CONTEXT_TAG + "')";
                    default -> throw MlflowException.invalid(
                            "Invalid dataset attribute '" + field + "'; valid ones are name, digest and context.");
                };
        String condition =
                switch (op.toUpperCase(java.util.Locale.ROOT)) {
                    case "=" -> column + " = :v";
                    case "!=" -> column + " <> :v";
                    case "IN" -> column + " in (:vs)";
                    case "NOT IN" -> column + " not in (:vs)";
                    case "LIKE" -> column + " like :v escape '" + RunSearch.LIKE_ESCAPE + "'";
                    case "ILIKE" -> "lower(" + column + ") like lower(:v) escape '" + RunSearch.LIKE_ESCAPE + "'";
                    default -> throw MlflowException.invalid("Invalid comparator '" + op + "' for datasets." + field
                            + "; use =, !=, IN, NOT IN, LIKE or ILIKE.");
                };
        return new TreeSet<>(
                jdbc.sql("select distinct r.run_uuid from run_input i join run_dataset d on d.id = i.dataset_id"
                                + " join tracked_run r on r.id = i.run_id where r.experiment_id in (:ids) and "
                                + condition)
                        .param("ids", experimentIds)
                        .param("v", values.get(0))
                        .param("vs", values)
                        .query(String.class)
                        .list());
    }

    private static void check(DatasetInput in) {
        Dataset d = in.dataset();
        require("dataset.name", d.name());
        require("dataset.digest", d.digest());
        require("dataset.source_type", d.sourceType());
        require("dataset.source", d.source());
        Names.check("The dataset name", d.name(), MlflowException::invalid);
        TrackingStore.checkLength("dataset name", d.name(), MAX_DATASET_NAME);
        TrackingStore.checkLength("dataset digest", d.digest(), MAX_DATASET_DIGEST);
        TrackingStore.checkLength("dataset source_type", d.sourceType(), MAX_SOURCE_TYPE);
        TrackingStore.checkLength("dataset source", d.source(), MAX_DATASET_SOURCE);
        TrackingStore.checkLength("dataset schema", d.schema(), MAX_DATASET_SCHEMA);
        TrackingStore.checkLength("dataset profile", d.profile(), MAX_DATASET_PROFILE);
        in.tags().forEach((k, v) -> {
            if (k == null || k.isBlank()) {
                throw MlflowException.invalid("Missing value for required parameter 'key' of an input tag.");
            }
            if (v == null) {
                throw MlflowException.invalid("Missing value for required parameter 'value' of input tag '" + k + "'.");
            }
            TrackingStore.checkLength("input tag key", k, MAX_INPUT_TAG_KEY);
            TrackingStore.checkLength("value of input tag '" + k + "'", v, MAX_INPUT_TAG_VALUE);
        });
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter '" + field + "'.");
        }
    }
}
