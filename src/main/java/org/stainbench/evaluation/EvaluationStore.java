package org.stainbench.evaluation;

import static org.stainbench.shell.Columns.doubleOrNull;
import static org.stainbench.shell.Columns.instant;
import static org.stainbench.shell.Columns.intOrNull;
import static org.stainbench.shell.Columns.longOrNull;

import jakarta.persistence.EntityManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.stainbench.evaluation.metrics.SeedSummary;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.shell.LikePattern;

/**
 * Persistence for extractors, cached features, evaluations, their subjects, per-seed values and summaries. The
 * {@code evaluation} row's simple reads and writes go through {@link EvaluationRepository} (Spring Data JPA); the rest
 * stays {@code JdbcClient} where it is measured or bulk (the feature cache, per-seed values and summaries in batches,
 * bootstraps) or a join / dynamic search, as each method says.
 */
@Repository
class EvaluationStore {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final EvaluationRepository evaluations;
    private final EntityManager entities;

    EvaluationStore(JdbcClient jdbc, JdbcTemplate template, EvaluationRepository evaluations, EntityManager entities) {
        this.jdbc = jdbc;
        this.template = template;
        this.evaluations = evaluations;
        this.entities = entities;
    }

    // extractors

    static Extractor extractor(ResultSet rs, int row) throws SQLException {
        return new Extractor(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("file_name"),
                rs.getString("sha256"),
                rs.getLong("size_bytes"),
                rs.getString("source"),
                rs.getString("path"),
                rs.getInt("input_height"),
                rs.getInt("input_width"),
                ResizeFilter.valueOf(rs.getString("resize_filter")),
                rs.getDouble("value_scale"),
                rs.getDouble("value_offset"),
                new double[] {rs.getDouble("mean_r"), rs.getDouble("mean_g"), rs.getDouble("mean_b")},
                new double[] {rs.getDouble("std_r"), rs.getDouble("std_g"), rs.getDouble("std_b")},
                rs.getInt("output_dim"),
                rs.getString("created_by"),
                instant(rs, "created_at"));
    }

    long insertExtractor(Extractor e) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        "insert into feature_extractor (name, file_name, sha256, size_bytes, source, path, input_height, input_width, "
                                + "resize_filter, value_scale, value_offset, mean_r, mean_g, mean_b, std_r, std_g, std_b, output_dim, "
                                + "created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        e.name(),
                        e.fileName(),
                        e.sha256(),
                        e.sizeBytes(),
                        e.source(),
                        e.path(),
                        e.inputHeight(),
                        e.inputWidth(),
                        e.filter().name(),
                        e.scale(),
                        e.offset(),
                        e.mean()[0],
                        e.mean()[1],
                        e.mean()[2],
                        e.std()[0],
                        e.std()[1],
                        e.std()[2],
                        e.outputDim(),
                        e.createdBy(),
                        Timestamp.from(e.createdAt()))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    Optional<Extractor> findExtractor(long id) {
        return jdbc.sql("select * from feature_extractor where id = ?")
                .param(id)
                .query(EvaluationStore::extractor)
                .optional();
    }

    List<Extractor> extractors() {
        return jdbc.sql("select * from feature_extractor order by id")
                .query(EvaluationStore::extractor)
                .list();
    }

    boolean extractorNameTaken(String name) {
        return jdbc.sql("select count(*) from feature_extractor where name = ?")
                        .param(name)
                        .query(Long.class)
                        .single()
                > 0;
    }

    // features: JdbcClient/JdbcTemplate throughout — the feature cache is read and written in chunks and batches of
    // hundreds of vectors per call (the features benchmark), which an entity per vector would multiply

    static byte[] pack(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static float[] unpack(byte[] bytes) {
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    /** Cached vectors of the given tiles in one view: tile id → vector. */
    Map<Long, float[]> features(long extractorId, String view, Collection<Long> tileIds) {
        Map<Long, float[]> out = new HashMap<>();
        List<Long> ids = new ArrayList<>(tileIds);
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            List<Object> p = new ArrayList<>();
            p.add(extractorId);
            p.add(view);
            p.addAll(chunk);
            jdbc.sql("select tile_id, vec from tile_feature where extractor_id = ? and view_key = ? and tile_id in ("
                            + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")")
                    .params(p)
                    .query((rs, i) -> out.put(rs.getLong("tile_id"), unpack(rs.getBytes("vec"))))
                    .list();
        }
        return out;
    }

    /** Stores vectors (replacing any with the same key). */
    void putFeatures(long extractorId, String view, Map<Long, float[]> vectors, String source) {
        for (Map.Entry<Long, float[]> e : vectors.entrySet()) {
            template.update(
                    "delete from tile_feature where extractor_id = ? and tile_id = ? and view_key = ?",
                    extractorId,
                    e.getKey(),
                    view);
        }
        List<Object[]> rows = new ArrayList<>();
        for (Map.Entry<Long, float[]> e : vectors.entrySet()) {
            rows.add(new Object[] {extractorId, e.getKey(), view, e.getValue().length, pack(e.getValue()), source});
        }
        template.batchUpdate(
                "insert into tile_feature (extractor_id, tile_id, view_key, dim, vec, source) values (?, ?, ?, ?, ?, ?)",
                rows);
    }

    /** Of the given tiles' cached views starting with {@code prefix}, those in {@code keys}, as "tileId/viewKey". */
    java.util.Set<String> cachedKeys(long extractorId, List<Long> tileIds, String prefix, java.util.Set<String> keys) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (int from = 0; from < tileIds.size(); from += 500) {
            List<Long> chunk = tileIds.subList(from, Math.min(tileIds.size(), from + 500));
            List<Object> p = new ArrayList<>();
            p.add(extractorId);
            p.add(prefix + "%");
            p.addAll(chunk);
            jdbc.sql(
                            "select tile_id, view_key from tile_feature where extractor_id = ? and view_key like ? and tile_id in ("
                                    + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")")
                    .params(p)
                    .query((rs, i) -> {
                        String v = rs.getString("view_key");
                        if (keys.contains(v)) {
                            out.add(rs.getLong("tile_id") + "/" + v);
                        }
                        return v;
                    })
                    .list();
        }
        return out;
    }

    /** Cached crop vectors ("tileId/viewKey" → vector) of the given tiles whose view is one of {@code keys}. */
    Map<String, float[]> cropFeatures(long extractorId, List<Long> tileIds, java.util.Set<String> keys) {
        Map<String, float[]> out = new HashMap<>();
        for (int from = 0; from < tileIds.size(); from += 200) {
            List<Long> chunk = tileIds.subList(from, Math.min(tileIds.size(), from + 200));
            List<Object> p = new ArrayList<>();
            p.add(extractorId);
            p.addAll(chunk);
            jdbc.sql(
                            "select tile_id, view_key, vec from tile_feature where extractor_id = ? and view_key like 'c%' and tile_id in ("
                                    + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")")
                    .params(p)
                    .query((rs, i) -> {
                        String v = rs.getString("view_key");
                        if (keys.contains(v)) {
                            out.put(rs.getLong("tile_id") + "/" + v, unpack(rs.getBytes("vec")));
                        }
                        return v;
                    })
                    .list();
        }
        return out;
    }

    long countFeatures(long extractorId) {
        return jdbc.sql("select count(*) from tile_feature where extractor_id = ?")
                .param(extractorId)
                .query(Long.class)
                .single();
    }

    long countFeatures(long extractorId, String viewPrefix) {
        return jdbc.sql("select count(*) from tile_feature where extractor_id = ? and view_key like ?")
                .params(extractorId, viewPrefix + "%")
                .query(Long.class)
                .single();
    }

    // evaluations

    static Evaluation evaluation(ResultSet rs, int row) throws SQLException {
        return new Evaluation(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("origin"),
                rs.getString("status"),
                longOrNull(rs, "real_dataset_id"),
                longOrNull(rs, "extractor_id"),
                rs.getString("extractor_sha256"),
                rs.getString("protocol"),
                longOrNull(rs, "job_id"),
                rs.getString("error"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "finished_at"),
                rs.getString("fingerprint"),
                rs.getString("fingerprint_text"));
    }

    void setFingerprint(long id, String fingerprint, String text) {
        evaluations.setFingerprint(id, fingerprint, text);
    }

    List<Evaluation> withoutFingerprint() {
        return evaluations.findByFingerprintIsNullOrderByIdAsc().stream()
                .map(EvaluationEntity::toEvaluation)
                .toList();
    }

    /** Other evaluations that compared at least one of this evaluation's checkpoints, newest first. */
    List<Long> evaluationsSharingCheckpoints(long evaluationId) {
        // JdbcClient: a self-join of evaluation_subject
        return jdbc.sql("select distinct o.evaluation_id from evaluation_subject o join evaluation_subject s "
                        + "on s.checkpoint_id = o.checkpoint_id where s.evaluation_id = ? and o.evaluation_id <> ? "
                        + "order by o.evaluation_id desc")
                .params(evaluationId, evaluationId)
                .query(Long.class)
                .list();
    }

    long insertEvaluation(
            String name,
            String origin,
            String status,
            Long realDatasetId,
            Long extractorId,
            String sha,
            String protocol,
            String by,
            Instant at) {
        EvaluationEntity e = evaluations.save(
                new EvaluationEntity(name, origin, status, realDatasetId, extractorId, sha, protocol, by, at));
        // not kept managed: a later read in the same transaction reads the row as stored (timestamps in microseconds)
        entities.detach(e);
        return e.id();
    }

    Optional<Evaluation> findEvaluation(long id) {
        return evaluations.findById(id).map(EvaluationEntity::toEvaluation);
    }

    /** JdbcClient: an offset page (the pages' pager counts rows, not Spring Data page numbers). */
    List<Evaluation> evaluations(int offset, int limit) {
        return jdbc.sql("select * from evaluation order by id desc offset ? rows fetch next ? rows only")
                .params(offset, limit)
                .query(EvaluationStore::evaluation)
                .list();
    }

    List<Evaluation> finishedEvaluations() {
        return evaluations.findByStatusAndFinishedAtIsNotNullOrderByFinishedAtAscIdAsc("DONE").stream()
                .map(EvaluationEntity::toEvaluation)
                .toList();
    }

    /**
     * Evaluations whose lower-cased name matches {@code pattern} ({@link LikePattern}), newest first. JdbcClient: the
     * search's escaped LIKE on {@code lower(name)}.
     */
    List<Evaluation> searchEvaluations(String pattern, int limit) {
        return jdbc.sql("select * from evaluation where lower(name) like ? escape '!' order by id desc limit ?")
                .params(pattern, limit)
                .query(EvaluationStore::evaluation)
                .list();
    }

    long countEvaluations() {
        return evaluations.count();
    }

    void setJob(long id, long jobId) {
        evaluations.setJob(id, jobId);
    }

    /** The node job computing the evaluation's features (issue 21), and where its features were computed. */
    void setFeaturesJob(long id, Long jobId, String where) {
        evaluations.setFeaturesJob(id, jobId, where);
    }

    void setFeaturesWhere(long id, String where) {
        evaluations.setFeaturesWhere(id, where == null ? null : where.substring(0, Math.min(200, where.length())));
    }

    Optional<Long> featuresJob(long id) {
        return evaluations.findById(id).map(EvaluationEntity::featuresJobId);
    }

    Optional<String> featuresWhere(long id) {
        return evaluations.findById(id).map(EvaluationEntity::featuresWhere);
    }

    /** The evaluation whose features the node job {@code jobId} computes. */
    Optional<Long> evaluationOfFeaturesJob(long jobId) {
        return evaluations.findFirstByFeaturesJobIdOrderByIdAsc(jobId).map(EvaluationEntity::id);
    }

    void setStatus(long id, String status, String error, Instant finishedAt) {
        evaluations.setStatus(
                id, status, error == null ? null : error.substring(0, Math.min(4000, error.length())), finishedAt);
    }

    static Subject subject(ResultSet rs, int row) throws SQLException {
        return new Subject(
                rs.getLong("id"),
                rs.getLong("evaluation_id"),
                rs.getInt("position"),
                rs.getString("label"),
                longOrNull(rs, "checkpoint_id"),
                longOrNull(rs, "generated_set_id"),
                rs.getString("run_uuid"),
                intOrNull(rs, "epoch"));
    }

    long insertSubject(
            long evaluationId,
            int position,
            String label,
            Long checkpointId,
            Long setId,
            String runUuid,
            Integer epoch) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        "insert into evaluation_subject (evaluation_id, position, label, checkpoint_id, generated_set_id, run_uuid, epoch) "
                                + "values (?, ?, ?, ?, ?, ?, ?)")
                .params(evaluationId, position, label, checkpointId, setId, runUuid, epoch)
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    /** Evaluations with at least one compared checkpoint of the training run, oldest first. */
    List<Long> evaluationIdsOfRun(String runUuid) {
        return jdbc.sql(
                        "select distinct evaluation_id from evaluation_subject where run_uuid = ? order by evaluation_id")
                .param(runUuid)
                .query(Long.class)
                .list();
    }

    List<Subject> subjects(long evaluationId) {
        return jdbc.sql("select * from evaluation_subject where evaluation_id = ? order by position")
                .param(evaluationId)
                .query(EvaluationStore::subject)
                .list();
    }

    /** A per-seed value. */
    record SeedValue(long subjectId, Metric metric, long seed, double value) {}

    void deleteValues(long evaluationId) {
        String subjects = "(select id from evaluation_subject where evaluation_id = ?)";
        jdbc.sql("delete from evaluation_value where subject_id in " + subjects)
                .param(evaluationId)
                .update();
        jdbc.sql("delete from evaluation_summary where subject_id in " + subjects)
                .param(evaluationId)
                .update();
        jdbc.sql("delete from evaluation_bootstrap where subject_id in " + subjects)
                .param(evaluationId)
                .update();
    }

    /** A metric's patient bootstrap for one compared set: B, seed, the percentile interval and the B values in order. */
    record Bootstrap(
            long subjectId, Metric metric, int resamples, long seed, double low, double high, double[] values) {}

    void insertBootstrap(Bootstrap b) {
        String vals = java.util.Arrays.stream(b.values())
                .mapToObj(Double::toString)
                .collect(java.util.stream.Collectors.joining(","));
        jdbc.sql("insert into evaluation_bootstrap (subject_id, metric, resamples, seed, ci_low, ci_high, vals) "
                        + "values (?, ?, ?, ?, ?, ?, ?)")
                .params(b.subjectId(), b.metric().name(), b.resamples(), b.seed(), b.low(), b.high(), vals)
                .update();
    }

    /** subject id → metric → bootstrap. */
    Map<Long, Map<Metric, Bootstrap>> bootstraps(long evaluationId) {
        Map<Long, Map<Metric, Bootstrap>> out = new HashMap<>();
        jdbc.sql("select b.* from evaluation_bootstrap b join evaluation_subject s on s.id = b.subject_id "
                        + "where s.evaluation_id = ?")
                .param(evaluationId)
                .query((rs, i) -> {
                    String text = rs.getString("vals");
                    double[] v = text.isEmpty()
                            ? new double[0]
                            : java.util.Arrays.stream(text.split(","))
                                    .mapToDouble(Double::parseDouble)
                                    .toArray();
                    Bootstrap b = new Bootstrap(
                            rs.getLong("subject_id"),
                            Metric.valueOf(rs.getString("metric")),
                            rs.getInt("resamples"),
                            rs.getLong("seed"),
                            rs.getDouble("ci_low"),
                            rs.getDouble("ci_high"),
                            v);
                    out.computeIfAbsent(b.subjectId(), k -> new java.util.EnumMap<>(Metric.class))
                            .put(b.metric(), b);
                    return b;
                })
                .list();
        return out;
    }

    void insertValues(List<SeedValue> values) {
        template.batchUpdate(
                "insert into evaluation_value (subject_id, metric, seed, val) values (?, ?, ?, ?)",
                values.stream()
                        .map(v -> new Object[] {v.subjectId(), v.metric().name(), v.seed(), v.value()})
                        .toList());
    }

    void insertSummary(long subjectId, Metric metric, SeedSummary s) {
        jdbc.sql(
                        "insert into evaluation_summary (subject_id, metric, n, mean, std, ci_low, ci_high) values (?, ?, ?, ?, ?, ?, ?)")
                .params(subjectId, metric.name(), s.n(), s.mean(), s.std(), s.ciLow(), s.ciHigh())
                .update();
    }

    List<SeedValue> values(long evaluationId) {
        return jdbc.sql("select v.* from evaluation_value v join evaluation_subject s on s.id = v.subject_id "
                        + "where s.evaluation_id = ? order by s.position, v.metric, v.seed")
                .param(evaluationId)
                .query((rs, i) -> new SeedValue(
                        rs.getLong("subject_id"),
                        Metric.valueOf(rs.getString("metric")),
                        rs.getLong("seed"),
                        rs.getDouble("val")))
                .list();
    }

    /** subject id → metric → summary. */
    Map<Long, Map<Metric, SeedSummary>> summaries(long evaluationId) {
        Map<Long, Map<Metric, SeedSummary>> out = new HashMap<>();
        jdbc.sql(
                        "select m.* from evaluation_summary m join evaluation_subject s on s.id = m.subject_id where s.evaluation_id = ?")
                .param(evaluationId)
                .query((rs, i) -> out.computeIfAbsent(
                                rs.getLong("subject_id"), k -> new java.util.EnumMap<>(Metric.class))
                        .put(
                                Metric.valueOf(rs.getString("metric")),
                                new SeedSummary(
                                        rs.getInt("n"),
                                        rs.getDouble("mean"),
                                        doubleOrNull(rs, "std"),
                                        doubleOrNull(rs, "ci_low"),
                                        doubleOrNull(rs, "ci_high"))))
                .list();
        return out;
    }
}
