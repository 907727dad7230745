package org.stainbench.checkpoints;

import static org.stainbench.shell.Columns.doubleOrNull;
import static org.stainbench.shell.Columns.instant;
import static org.stainbench.shell.Columns.intOrNull;
import static org.stainbench.shell.Columns.longOrNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.stainbench.shell.SoftDelete;
import org.stainbench.tiles.QualityMeasures;

/** SQL for checkpoints, generated sets, generated archives and tile quality. */
@Repository
class CheckpointStore {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    CheckpointStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    static Checkpoint checkpoint(ResultSet rs, int row) throws SQLException {
        return new Checkpoint(
                rs.getLong("id"),
                rs.getString("name"),
                CheckpointKind.valueOf(rs.getString("kind")),
                rs.getString("base_model"),
                rs.getString("embedding_flow"),
                rs.getString("adapter_file_name"),
                rs.getString("adapter_sha256"),
                longOrNull(rs, "adapter_size"),
                rs.getString("adapter_source"),
                rs.getString("adapter_path"),
                intOrNull(rs, "lora_rank"),
                doubleOrNull(rs, "lora_alpha"),
                rs.getString("target_modules"),
                rs.getString("run_uuid"),
                intOrNull(rs, "epoch"),
                longOrNull(rs, "trained_on_dataset_id"),
                rs.getString("baseline_params"),
                rs.getString("notes"),
                rs.getString("tags"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "deleted_at"),
                rs.getString("deleted_by"));
    }

    static GeneratedSet set(ResultSet rs, int row) throws SQLException {
        return new GeneratedSet(
                rs.getLong("id"),
                rs.getLong("checkpoint_id"),
                rs.getLong("source_dataset_id"),
                rs.getLong("dataset_id"),
                longOrNull(rs, "job_id"),
                GeneratedSetStatus.valueOf(rs.getString("status")),
                rs.getString("report"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                longOrNull(rs, "sampling_seed"));
    }

    static GeneratedArchive archive(ResultSet rs, int row) throws SQLException {
        return new GeneratedArchive(
                rs.getLong("archive_id"),
                rs.getLong("generated_set_id"),
                rs.getLong("source_archive_id"),
                rs.getString("file_name"),
                rs.getInt("row_count"));
    }

    // checkpoints

    boolean nameTaken(String name) {
        return jdbc.sql("select count(*) from checkpoint where name = ?")
                        .param(name)
                        .query(Long.class)
                        .single()
                > 0;
    }

    long insert(Checkpoint c) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("insert into checkpoint (name, kind, base_model, embedding_flow, adapter_file_name, adapter_sha256, "
                        + "adapter_size, adapter_source, adapter_path, lora_rank, lora_alpha, target_modules, run_uuid, epoch, "
                        + "trained_on_dataset_id, baseline_params, notes, tags, created_by, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        c.name(),
                        c.kind().name(),
                        c.baseModel(),
                        c.embeddingFlow(),
                        c.adapterFileName(),
                        c.adapterSha256(),
                        c.adapterSize(),
                        c.adapterSource(),
                        c.adapterPath(),
                        c.loraRank(),
                        c.loraAlpha(),
                        c.targetModules(),
                        c.runUuid(),
                        c.epoch(),
                        c.trainedOnDatasetId(),
                        c.baselineParams(),
                        c.notes(),
                        c.tags(),
                        c.createdBy(),
                        Timestamp.from(c.createdAt()))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    Optional<Checkpoint> find(long id) {
        return jdbc.sql("select * from checkpoint where id = ?")
                .param(id)
                .query(CheckpointStore::checkpoint)
                .optional();
    }

    Optional<Checkpoint> findByName(String name) {
        return jdbc.sql("select * from checkpoint where name = ?")
                .param(name)
                .query(CheckpointStore::checkpoint)
                .optional();
    }

    Optional<Checkpoint> findByRunEpoch(String runUuid, int epoch) {
        return jdbc.sql("select * from checkpoint where run_uuid = ? and epoch = ?")
                .params(runUuid, epoch)
                .query(CheckpointStore::checkpoint)
                .optional();
    }

    /** Checkpoints that are not deleted. */
    List<Checkpoint> list(int offset, int limit) {
        return jdbc.sql("select * from checkpoint where deleted_at is null order by id limit ? offset ?")
                .params(limit, offset)
                .query(CheckpointStore::checkpoint)
                .list();
    }

    long count() {
        return jdbc.sql("select count(*) from checkpoint where deleted_at is null")
                .query(Long.class)
                .single();
    }

    List<Checkpoint> deleted() {
        return jdbc.sql("select * from checkpoint where deleted_at is not null order by deleted_at desc, id desc")
                .query(CheckpointStore::checkpoint)
                .list();
    }

    boolean softDelete(long id, String by, Instant at) {
        return SoftDelete.mark(jdbc, "checkpoint", id, by, at);
    }

    boolean restore(long id) {
        return SoftDelete.restore(jdbc, "checkpoint", id);
    }

    /** Live checkpoints trained on the dataset. */
    List<Checkpoint> trainedOn(long datasetId) {
        return jdbc.sql("select * from checkpoint where trained_on_dataset_id = ? and deleted_at is null order by id")
                .param(datasetId)
                .query(CheckpointStore::checkpoint)
                .list();
    }

    /** Live checkpoints with baseline parameters (which may name a target dataset). */
    List<Checkpoint> liveBaselines() {
        return jdbc.sql("select * from checkpoint where baseline_params is not null and deleted_at is null order by id")
                .query(CheckpointStore::checkpoint)
                .list();
    }

    /** Generated sets of live checkpoints made from, or stored in, the dataset. */
    List<GeneratedSet> liveSetsUsing(long datasetId) {
        return jdbc.sql("select g.* from generated_set g join checkpoint c on c.id = g.checkpoint_id "
                        + "where c.deleted_at is null and (g.source_dataset_id = ? or g.dataset_id = ?) order by g.id")
                .params(datasetId, datasetId)
                .query(CheckpointStore::set)
                .list();
    }

    // generated sets

    long insertSet(
            long checkpointId, long sourceDatasetId, long datasetId, GeneratedSetStatus status, String by, Instant at) {
        return insertSet(checkpointId, sourceDatasetId, datasetId, status, by, at, null);
    }

    long insertSet(
            long checkpointId,
            long sourceDatasetId,
            long datasetId,
            GeneratedSetStatus status,
            String by,
            Instant at,
            Long samplingSeed) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        "insert into generated_set (checkpoint_id, source_dataset_id, dataset_id, status, created_by, created_at, "
                                + "sampling_seed, sampling_seed_key) values (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        checkpointId,
                        sourceDatasetId,
                        datasetId,
                        status.name(),
                        by,
                        Timestamp.from(at),
                        samplingSeed,
                        seedKey(samplingSeed))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    /** The unique index's key of a sampling seed ('-' for none: at most one seedless set per checkpoint and source). */
    static String seedKey(Long samplingSeed) {
        return samplingSeed == null ? "-" : Long.toString(samplingSeed);
    }

    Optional<GeneratedSet> findSet(long id) {
        return jdbc.sql("select * from generated_set where id = ?")
                .param(id)
                .query(CheckpointStore::set)
                .optional();
    }

    Optional<GeneratedSet> findSet(long checkpointId, long sourceDatasetId, Long samplingSeed) {
        return jdbc.sql(
                        "select * from generated_set where checkpoint_id = ? and source_dataset_id = ? and sampling_seed_key = ?")
                .params(checkpointId, sourceDatasetId, seedKey(samplingSeed))
                .query(CheckpointStore::set)
                .optional();
    }

    Optional<GeneratedSet> setOfDataset(long datasetId) {
        return jdbc.sql("select * from generated_set where dataset_id = ?")
                .param(datasetId)
                .query(CheckpointStore::set)
                .optional();
    }

    List<GeneratedSet> setsOf(long checkpointId) {
        return jdbc.sql("select * from generated_set where checkpoint_id = ? order by id")
                .param(checkpointId)
                .query(CheckpointStore::set)
                .list();
    }

    /** Sets of live checkpoints on the source. */
    List<GeneratedSet> setsOnSource(long sourceDatasetId) {
        return jdbc.sql("select g.* from generated_set g join checkpoint c on c.id = g.checkpoint_id "
                        + "where g.source_dataset_id = ? and c.deleted_at is null order by g.checkpoint_id")
                .param(sourceDatasetId)
                .query(CheckpointStore::set)
                .list();
    }

    /** Sets of live checkpoints. */
    List<GeneratedSet> allSets() {
        return jdbc.sql("select g.* from generated_set g join checkpoint c on c.id = g.checkpoint_id "
                        + "where c.deleted_at is null order by g.id")
                .query(CheckpointStore::set)
                .list();
    }

    void setJob(long setId, long jobId) {
        jdbc.sql("update generated_set set job_id = ? where id = ?")
                .params(jobId, setId)
                .update();
    }

    void setStatus(long setId, GeneratedSetStatus status, String report) {
        jdbc.sql("update generated_set set status = ?, report = ? where id = ?")
                .params(status.name(), report, setId)
                .update();
    }

    void insertArchive(GeneratedArchive a) {
        jdbc.sql(
                        "insert into generated_archive (archive_id, generated_set_id, source_archive_id, file_name, row_count) "
                                + "values (?, ?, ?, ?, ?)")
                .params(a.archiveId(), a.generatedSetId(), a.sourceArchiveId(), a.fileName(), a.rows())
                .update();
    }

    List<GeneratedArchive> archivesOf(long setId) {
        return jdbc.sql("select * from generated_archive where generated_set_id = ? order by source_archive_id")
                .param(setId)
                .query(CheckpointStore::archive)
                .list();
    }

    List<GeneratedArchive> archivesOfSets(Collection<Long> setIds) {
        if (setIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select * from generated_archive where generated_set_id in ("
                        + String.join(",", java.util.Collections.nCopies(setIds.size(), "?"))
                        + ") order by source_archive_id")
                .params(new java.util.ArrayList<Object>(setIds))
                .query(CheckpointStore::archive)
                .list();
    }

    // quality

    void replaceQuality(long archiveId, List<StoredQuality> rows) {
        jdbc.sql("delete from tile_quality where archive_id = ?")
                .param(archiveId)
                .update();
        template.batchUpdate(
                "insert into tile_quality (archive_id, idx, saturation_std, autocorrelation16, "
                        + "laplacian_variance709, dab_positive_fraction, mean_dab, mean_hematoxylin) values (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
                1000,
                (ps, q) -> {
                    QualityMeasures m = q.measures();
                    ps.setLong(1, archiveId);
                    ps.setInt(2, q.index());
                    ps.setDouble(3, m.saturationStd());
                    ps.setDouble(4, m.autocorrelation16());
                    ps.setDouble(5, m.laplacianVariance709());
                    ps.setDouble(6, m.dabPositiveFraction());
                    ps.setDouble(7, m.meanDab());
                    ps.setDouble(8, m.meanHematoxylin());
                });
    }

    Map<Integer, QualityMeasures> quality(long archiveId, Collection<Integer> indices) {
        Map<Integer, QualityMeasures> out = new HashMap<>();
        if (indices.isEmpty()) {
            return out;
        }
        String in = String.join(",", java.util.Collections.nCopies(indices.size(), "?"));
        List<Object> p = new java.util.ArrayList<>();
        p.add(archiveId);
        p.addAll(indices);
        jdbc.sql("select * from tile_quality where archive_id = ? and idx in (" + in + ")")
                .params(p)
                .query(rs -> {
                    out.put(
                            rs.getInt("idx"),
                            new QualityMeasures(
                                    rs.getDouble("saturation_std"),
                                    rs.getDouble("autocorrelation16"),
                                    rs.getDouble("laplacian_variance709"),
                                    rs.getDouble("dab_positive_fraction"),
                                    rs.getDouble("mean_dab"),
                                    rs.getDouble("mean_hematoxylin")));
                });
        return out;
    }

    Map<Long, Map<Integer, QualityMeasures>> quality(Collection<Long> archiveIds, Collection<Integer> indices) {
        Map<Long, Map<Integer, QualityMeasures>> out = new HashMap<>();
        if (archiveIds.isEmpty() || indices.isEmpty()) {
            return out;
        }
        List<Object> p = new java.util.ArrayList<>(archiveIds);
        p.addAll(indices);
        jdbc.sql("select * from tile_quality where archive_id in ("
                        + String.join(",", java.util.Collections.nCopies(archiveIds.size(), "?")) + ") and idx in ("
                        + String.join(",", java.util.Collections.nCopies(indices.size(), "?")) + ")")
                .params(p)
                .query(rs -> {
                    out.computeIfAbsent(rs.getLong("archive_id"), k -> new HashMap<>())
                            .put(
                                    rs.getInt("idx"),
                                    new QualityMeasures(
                                            rs.getDouble("saturation_std"),
                                            rs.getDouble("autocorrelation16"),
                                            rs.getDouble("laplacian_variance709"),
                                            rs.getDouble("dab_positive_fraction"),
                                            rs.getDouble("mean_dab"),
                                            rs.getDouble("mean_hematoxylin")));
                });
        return out;
    }

    long countQuality(long archiveId) {
        return jdbc.sql("select count(*) from tile_quality where archive_id = ?")
                .param(archiveId)
                .query(Long.class)
                .single();
    }
}
