package org.stainbench.checkpoints;

import static org.stainbench.shell.Columns.doubleOrNull;
import static org.stainbench.shell.Columns.instant;
import static org.stainbench.shell.Columns.intOrNull;
import static org.stainbench.shell.Columns.longOrNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.stainbench.shell.OffsetPage;
import org.stainbench.tiles.QualityMeasures;

/**
 * The checkpoints module's persistence: checkpoints and generated sets through {@link CheckpointRepository} and
 * {@link GeneratedSetRepository} (Spring Data JPA); the set lists that join live checkpoints, generated archives and
 * tile quality (batch inserts, IN-list reads) in {@link JdbcClient} SQL.
 */
@Repository
class CheckpointStore {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final CheckpointRepository checkpoints;
    private final GeneratedSetRepository sets;

    CheckpointStore(
            JdbcClient jdbc, JdbcTemplate template, CheckpointRepository checkpoints, GeneratedSetRepository sets) {
        this.jdbc = jdbc;
        this.template = template;
        this.checkpoints = checkpoints;
        this.sets = sets;
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

    private static final Sort BY_ID = Sort.by("id");
    private static final Sort NEWEST_FIRST = Sort.by(Sort.Direction.DESC, "id");

    // checkpoints: the aggregate's reads and writes are CheckpointRepository's (Spring Data); these keep the calls

    boolean nameTaken(String name) {
        return checkpoints.existsByName(name);
    }

    long insert(Checkpoint c) {
        return checkpoints.save(new CheckpointEntity(c)).id();
    }

    Optional<Checkpoint> find(long id) {
        return checkpoints.findById(id).map(CheckpointEntity::toCheckpoint);
    }

    Optional<Checkpoint> findByName(String name) {
        return checkpoints.findByName(name).map(CheckpointEntity::toCheckpoint);
    }

    Optional<Checkpoint> findByRunEpoch(String runUuid, int epoch) {
        return checkpoints.findByRunUuidAndEpoch(runUuid, epoch).map(CheckpointEntity::toCheckpoint);
    }

    /** Checkpoints that are not deleted, oldest first. */
    List<Checkpoint> list(int offset, int limit) {
        return checkpoints(checkpoints.findByDeletedAtIsNull(OffsetPage.of(offset, limit, BY_ID)));
    }

    /** Checkpoints that are not deleted, newest first (the list page). */
    List<Checkpoint> listNewestFirst(int offset, int limit) {
        return checkpoints(checkpoints.findByDeletedAtIsNull(OffsetPage.of(offset, limit, NEWEST_FIRST)));
    }

    long count() {
        return checkpoints.countByDeletedAtIsNull();
    }

    List<Checkpoint> deleted() {
        return checkpoints(checkpoints.findByDeletedAtIsNotNullOrderByDeletedAtDescIdDesc());
    }

    boolean softDelete(long id, String by, Instant at) {
        return checkpoints.markDeleted(id, by, at) == 1;
    }

    boolean restore(long id) {
        return checkpoints.restore(id) == 1;
    }

    /** Live checkpoints trained on the dataset. */
    List<Checkpoint> trainedOn(long datasetId) {
        return checkpoints(checkpoints.findByTrainedOnDatasetIdAndDeletedAtIsNullOrderByIdAsc(datasetId));
    }

    /** Live checkpoints with baseline parameters (which may name a target dataset). */
    List<Checkpoint> liveBaselines() {
        return checkpoints(checkpoints.findByBaselineParamsIsNotNullAndDeletedAtIsNullOrderByIdAsc());
    }

    private static List<Checkpoint> checkpoints(List<CheckpointEntity> rows) {
        return rows.stream().map(CheckpointEntity::toCheckpoint).toList();
    }

    /** Generated sets of live checkpoints made from, or stored in, the dataset (hand SQL: a join with checkpoint). */
    List<GeneratedSet> liveSetsUsing(long datasetId) {
        return jdbc.sql("select g.* from generated_set g join checkpoint c on c.id = g.checkpoint_id "
                        + "where c.deleted_at is null and (g.source_dataset_id = ? or g.dataset_id = ?) order by g.id")
                .params(datasetId, datasetId)
                .query(CheckpointStore::set)
                .list();
    }

    // generated sets: GeneratedSetRepository's (Spring Data), except the lists that join the live checkpoints

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
        return sets.save(new GeneratedSetEntity(checkpointId, sourceDatasetId, datasetId, status, by, at, samplingSeed))
                .id();
    }

    Optional<GeneratedSet> findSet(long id) {
        return sets.findById(id).map(GeneratedSetEntity::toGeneratedSet);
    }

    Optional<GeneratedSet> findSet(long checkpointId, long sourceDatasetId, Long samplingSeed) {
        return sets.findByCheckpointIdAndSourceDatasetIdAndSamplingSeedKey(
                        checkpointId, sourceDatasetId, GeneratedSetEntity.seedKey(samplingSeed))
                .map(GeneratedSetEntity::toGeneratedSet);
    }

    Optional<GeneratedSet> setOfDataset(long datasetId) {
        return sets.findByDatasetId(datasetId).map(GeneratedSetEntity::toGeneratedSet);
    }

    List<GeneratedSet> setsOf(long checkpointId) {
        return sets.findByCheckpointIdOrderByIdAsc(checkpointId).stream()
                .map(GeneratedSetEntity::toGeneratedSet)
                .toList();
    }

    /** Sets of live checkpoints on the source (hand SQL: a join with checkpoint). */
    List<GeneratedSet> setsOnSource(long sourceDatasetId) {
        return jdbc.sql("select g.* from generated_set g join checkpoint c on c.id = g.checkpoint_id "
                        + "where g.source_dataset_id = ? and c.deleted_at is null order by g.checkpoint_id")
                .param(sourceDatasetId)
                .query(CheckpointStore::set)
                .list();
    }

    /** Sets of live checkpoints (hand SQL: a join with checkpoint). */
    List<GeneratedSet> allSets() {
        return jdbc.sql("select g.* from generated_set g join checkpoint c on c.id = g.checkpoint_id "
                        + "where c.deleted_at is null order by g.id")
                .query(CheckpointStore::set)
                .list();
    }

    void setJob(long setId, long jobId) {
        sets.setJob(setId, jobId);
    }

    void setStatus(long setId, GeneratedSetStatus status, String report) {
        sets.setStatus(setId, status, report);
    }

    // generated archives and tile quality: hand SQL (rows written per archive by the generation and quality jobs,
    // tile quality in JDBC batches of 1000, read by IN lists for a page of tiles)

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
