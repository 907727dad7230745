package org.stainbench.catalog;

import static org.stainbench.shell.Columns.doubleOrNull;
import static org.stainbench.shell.Columns.instant;
import static org.stainbench.shell.Columns.intOrNull;
import static org.stainbench.shell.Columns.longOrNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.stainbench.shell.OffsetPage;

/**
 * The catalog's persistence: datasets through {@link DatasetRepository} (Spring Data JPA); archives and tiles in
 * {@link JdbcClient} SQL (hand SQL: the tile index's batch inserts, the filtered tile pages and neighbours, counts
 * and histograms over joins are measured paths, see src/docs/benchmarks.md).
 */
@Repository
class CatalogStore {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final DatasetRepository datasets;

    CatalogStore(JdbcClient jdbc, JdbcTemplate template, DatasetRepository datasets) {
        this.jdbc = jdbc;
        this.template = template;
        this.datasets = datasets;
    }

    static Dataset dataset(ResultSet rs, int row) throws SQLException {
        return new Dataset(
                rs.getLong("id"),
                rs.getString("name"),
                Stain.valueOf(rs.getString("stain")),
                rs.getString("marker"),
                rs.getString("cohort"),
                rs.getInt("tile_size"),
                rs.getString("description"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                longOrNull(rs, "split_seed"),
                intOrNull(rs, "split_train_percent"),
                rs.getString("split_by"),
                instant(rs, "split_at"),
                instant(rs, "deleted_at"),
                rs.getString("deleted_by"),
                DatasetKind.valueOf(rs.getString("kind")),
                longOrNull(rs, "generated_checkpoint_id"),
                longOrNull(rs, "generated_source_dataset_id"));
    }

    static Archive archive(ResultSet rs, int row) throws SQLException {
        return new Archive(
                rs.getLong("id"),
                rs.getLong("dataset_id"),
                rs.getString("file_name"),
                rs.getString("stain_code"),
                rs.getString("patient"),
                intOrNull(rs, "replicate"),
                rs.getString("sha256"),
                rs.getLong("size_bytes"),
                rs.getString("source"),
                rs.getString("source_path"),
                ArchiveStatus.valueOf(rs.getString("status")),
                rs.getString("error"),
                longOrNull(rs, "job_id"),
                rs.getString("layout"),
                rs.getInt("tiles_total"),
                rs.getInt("tiles_done"),
                intOrNull(rs, "tile_width"),
                intOrNull(rs, "tile_height"),
                rs.getString("split_side"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "ingested_at"));
    }

    static TileInfo tile(ResultSet rs, int row) throws SQLException {
        return new TileInfo(
                rs.getLong("id"),
                rs.getLong("archive_id"),
                rs.getLong("dataset_id"),
                rs.getInt("idx"),
                doubleOrNull(rs, "label"),
                rs.getDouble("laplacian_variance"),
                rs.getDouble("saturated_fraction"),
                rs.getDouble("white_fraction"),
                rs.getBoolean("informative"),
                rs.getDouble("tissue_fraction"),
                rs.getDouble("tissue_center_fraction"),
                rs.getLong("thumb_offset"),
                rs.getInt("thumb_length"));
    }

    private static final Sort BY_NAME = Sort.by("name");

    // datasets: the aggregate's reads and writes are DatasetRepository's (Spring Data); these keep the module's calls

    long insertDataset(
            String name,
            Stain stain,
            String marker,
            String cohort,
            int tileSize,
            String description,
            String by,
            Instant at) {
        return datasets.save(new DatasetEntity(name, stain, marker, cohort, tileSize, description, by, at))
                .id();
    }

    /** Marks a dataset as the generated set of a checkpoint applied to a source dataset. */
    void markGenerated(long id, long checkpointId, long sourceDatasetId) {
        datasets.markGenerated(id, checkpointId, sourceDatasetId);
    }

    long countDatasets(DatasetKind kind) {
        return datasets.countByKindAndDeletedAtIsNull(kind);
    }

    boolean datasetNameTaken(String name) {
        return datasets.existsByNameIgnoreCase(name);
    }

    /** A dataset, deleted or not. */
    Optional<Dataset> findDataset(long id) {
        return datasets.findById(id).map(DatasetEntity::toDataset);
    }

    /** Datasets that are not deleted, by name. */
    List<Dataset> datasets(int offset, int limit) {
        return datasets.findByDeletedAtIsNull(OffsetPage.of(offset, limit, BY_NAME)).stream()
                .map(DatasetEntity::toDataset)
                .toList();
    }

    /** Live datasets of one kind, by name. */
    List<Dataset> datasets(DatasetKind kind, int offset, int limit) {
        return datasets.findByKindAndDeletedAtIsNull(kind, OffsetPage.of(offset, limit, BY_NAME)).stream()
                .map(DatasetEntity::toDataset)
                .toList();
    }

    long countDatasets() {
        return datasets.countByDeletedAtIsNull();
    }

    List<Dataset> deletedDatasets() {
        return datasets.findByDeletedAtIsNotNullOrderByDeletedAtDescIdDesc().stream()
                .map(DatasetEntity::toDataset)
                .toList();
    }

    /** Marks a live dataset deleted; false when it is gone or already deleted. */
    boolean softDelete(long id, String by, Instant at) {
        return datasets.markDeleted(id, by, at) == 1;
    }

    /** Brings a deleted dataset back; false when it is not deleted. */
    boolean restore(long id) {
        return datasets.restore(id) == 1;
    }

    void recordSplit(long datasetId, long seed, int trainPercent, String by, Instant at) {
        datasets.recordSplit(datasetId, seed, trainPercent, by, at);
    }

    // archives

    long insertArchive(
            long datasetId,
            String fileName,
            ArchiveNames.Parsed parsed,
            String sha256,
            long size,
            String source,
            String sourcePath,
            String by,
            Instant at) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql(
                        "insert into archive (dataset_id, file_name, stain_code, patient, replicate, sha256, size_bytes, source, "
                                + "source_path, status, tiles_total, tiles_done, created_by, created_at) "
                                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'QUEUED', 0, 0, ?, ?)")
                .params(
                        datasetId,
                        fileName,
                        parsed.stain(),
                        parsed.patient(),
                        parsed.replicate(),
                        sha256,
                        size,
                        source,
                        sourcePath,
                        by,
                        Timestamp.from(at))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    Optional<Archive> findArchive(long id) {
        return jdbc.sql("select * from archive where id = ?")
                .param(id)
                .query(CatalogStore::archive)
                .optional();
    }

    /** One archive with this content, in any dataset (the oldest). */
    Optional<Archive> findArchiveBySha(String sha) {
        return jdbc
                .sql("select * from archive where sha256 = ? order by id")
                .param(sha)
                .query(CatalogStore::archive)
                .list()
                .stream()
                .findFirst();
    }

    Optional<Archive> findArchiveBySha(String sha, long datasetId) {
        return jdbc.sql("select * from archive where sha256 = ? and dataset_id = ?")
                .params(sha, datasetId)
                .query(CatalogStore::archive)
                .optional();
    }

    List<Archive> archives(long datasetId) {
        return jdbc.sql("select * from archive where dataset_id = ? order by file_name")
                .param(datasetId)
                .query(CatalogStore::archive)
                .list();
    }

    List<Archive> archivesWithStatus(ArchiveStatus... statuses) {
        List<String> names = java.util.Arrays.stream(statuses).map(Enum::name).toList();
        return jdbc.sql("select * from archive where status in (:s) order by id")
                .param("s", names)
                .query(CatalogStore::archive)
                .list();
    }

    /** Back to QUEUED for a new ingest: done before the job is submitted, which may finish before we look again. */
    void markQueued(long archiveId) {
        jdbc.sql("update archive set status = 'QUEUED', error = null, tiles_done = 0 where id = ?")
                .param(archiveId)
                .update();
    }

    void setJob(long archiveId, long jobId) {
        jdbc.sql("update archive set job_id = ? where id = ?")
                .params(jobId, archiveId)
                .update();
    }

    void startIngest(long archiveId, Instant at) {
        jdbc.sql(
                        "update archive set status = 'INGESTING', error = null, tiles_done = 0, tiles_total = 0, started_at = ?, "
                                + "ingested_at = null where id = ?")
                .params(Timestamp.from(at), archiveId)
                .update();
    }

    void ingestHeader(long archiveId, int total, String layout) {
        jdbc.sql("update archive set tiles_total = ?, layout = ? where id = ?")
                .params(total, layout, archiveId)
                .update();
    }

    void ingestProgress(long archiveId, int done) {
        jdbc.sql("update archive set tiles_done = ? where id = ? and status = 'INGESTING'")
                .params(done, archiveId)
                .update();
    }

    void ready(long archiveId, int count, int width, int height, String layout, Instant at) {
        jdbc.sql(
                        "update archive set status = 'READY', tiles_total = ?, tiles_done = ?, tile_width = ?, tile_height = ?, "
                                + "layout = ?, ingested_at = ?, error = null where id = ?")
                .params(count, count, width, height, layout, Timestamp.from(at), archiveId)
                .update();
    }

    void failed(long archiveId, String error) {
        String e = error == null ? "failed" : error.length() > 1900 ? error.substring(0, 1900) + "…" : error;
        jdbc.sql("update archive set status = 'FAILED', error = ?, tiles_done = 0 where id = ?")
                .params(e, archiveId)
                .update();
    }

    void setPatient(long archiveId, String patient, Integer replicate) {
        jdbc.sql("update archive set patient = ?, replicate = ? where id = ?")
                .params(patient, replicate, archiveId)
                .update();
    }

    void setSide(long archiveId, String side) {
        jdbc.sql("update archive set split_side = ? where id = ?")
                .params(side, archiveId)
                .update();
    }

    void deleteArchive(long archiveId) {
        deleteTiles(archiveId);
        jdbc.sql("delete from archive where id = ?").param(archiveId).update();
    }

    // tiles

    void deleteTiles(long archiveId) {
        jdbc.sql("delete from tile where archive_id = ?").param(archiveId).update();
    }

    void insertTiles(long archiveId, long datasetId, List<IngestPipeline.TileResult> tiles) {
        template.batchUpdate(
                "insert into tile (archive_id, dataset_id, idx, label, laplacian_variance, saturated_fraction, "
                        + "white_fraction, informative, tissue_fraction, tissue_center_fraction, thumb_offset, thumb_length) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tiles,
                1000,
                (ps, t) -> {
                    ps.setLong(1, archiveId);
                    ps.setLong(2, datasetId);
                    ps.setInt(3, t.index());
                    if (t.label() == null) {
                        ps.setNull(4, java.sql.Types.DOUBLE);
                    } else {
                        ps.setDouble(4, t.label());
                    }
                    ps.setDouble(5, t.measures().laplacianVariance());
                    ps.setDouble(6, t.measures().saturatedFraction());
                    ps.setDouble(7, t.measures().whiteFraction());
                    ps.setBoolean(8, t.measures().informative());
                    ps.setDouble(9, t.measures().tissueFraction());
                    ps.setDouble(10, t.measures().tissueCenterFraction());
                    ps.setLong(11, t.thumbOffset());
                    ps.setInt(12, t.thumbLength());
                });
    }

    private record Where(String sql, List<Object> params) {}

    private static Where where(long datasetId, TileFilter f) {
        StringBuilder s = new StringBuilder(" from tile t join archive a on a.id = t.archive_id where t.dataset_id = ?"
                + " and a.status = 'READY'");
        List<Object> p = new ArrayList<>(List.of(datasetId));
        if (f.informativeOnly() != null) {
            s.append(" and t.informative = ?");
            p.add(true);
        }
        if (f.minTissue() != null) {
            s.append(" and t.tissue_fraction >= ?");
            p.add(f.minTissue());
        }
        if (f.label() != null) {
            s.append(" and t.label = ?");
            p.add(f.label());
        }
        if (f.archiveId() != null) {
            s.append(" and t.archive_id = ?");
            p.add(f.archiveId());
        }
        if (f.side() != null) {
            s.append(" and a.split_side = ?");
            p.add(f.side());
        }
        return new Where(s.toString(), p);
    }

    List<TileInfo> tiles(long datasetId, TileFilter f, int offset, int limit) {
        Where w = where(datasetId, f);
        List<Object> p = new ArrayList<>(w.params());
        p.add(limit);
        p.add(offset);
        return jdbc.sql("select t.*" + w.sql() + " order by t.archive_id, t.idx limit ? offset ?")
                .params(p)
                .query(CatalogStore::tile)
                .list();
    }

    long countTiles(long datasetId, TileFilter f) {
        Where w = where(datasetId, f);
        return jdbc.sql("select count(*)" + w.sql())
                .params(w.params())
                .query(Long.class)
                .single();
    }

    Optional<TileInfo> findTile(long id) {
        return jdbc.sql("select * from tile where id = ?")
                .param(id)
                .query(CatalogStore::tile)
                .optional();
    }

    Optional<Long> tileId(long archiveId, int index) {
        return jdbc.sql("select id from tile where archive_id = ? and idx = ?")
                .params(archiveId, index)
                .query(Long.class)
                .optional();
    }

    /** The tile before or after {@code t} in browser order (archive, index) under the same filter. */
    Optional<TileInfo> neighbour(TileInfo t, TileFilter f, boolean next) {
        Where w = where(t.datasetId(), f);
        String cond = next
                ? " and (t.archive_id > ? or (t.archive_id = ? and t.idx > ?))"
                : " and (t.archive_id < ? or (t.archive_id = ? and t.idx < ?))";
        String order = next ? " order by t.archive_id, t.idx" : " order by t.archive_id desc, t.idx desc";
        List<Object> p = new ArrayList<>(w.params());
        p.addAll(List.of(t.archiveId(), t.archiveId(), t.index()));
        return jdbc.sql("select t.*" + w.sql() + cond + order + " limit 1")
                .params(p)
                .query(CatalogStore::tile)
                .optional();
    }

    long countAllTiles() {
        return jdbc.sql("select count(*) from tile t join archive a on a.id = t.archive_id where a.status = 'READY'"
                        + " and a.dataset_id in (select id from dataset where deleted_at is null)")
                .query(Long.class)
                .single();
    }

    long countReadyArchives() {
        return jdbc.sql("select count(*) from archive where status = 'READY'"
                        + " and dataset_id in (select id from dataset where deleted_at is null)")
                .query(Long.class)
                .single();
    }

    Map<Long, long[]> datasetCounts() {
        Map<Long, long[]> m = new HashMap<>();
        jdbc.sql(
                        "select dataset_id, count(*), coalesce(sum(tiles_total), 0) from archive where status = 'READY' group by dataset_id")
                .query(rs -> {
                    m.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
                });
        return m;
    }

    static final String[] MEASURE_COLUMNS = {
        "laplacian_variance", "saturated_fraction", "white_fraction", "tissue_fraction", "tissue_center_fraction"
    };

    /** Largest value of a measure column over the listed tiles of a dataset (0 when none). */
    double maxMeasure(long datasetId, int measure) {
        Double v = jdbc.sql("select max(t." + MEASURE_COLUMNS[measure]
                        + ") from tile t join archive a on a.id = t.archive_id "
                        + "where t.dataset_id = ? and a.status = 'READY'")
                .param(datasetId)
                .query(Double.class)
                .optional()
                .orElse(null);
        return v == null ? 0 : v;
    }

    /** Counts per bin of [lo, hi) in {@code bins} equal bins (values outside go to the first or last bin), in SQL. */
    long[] histogram(long datasetId, int measure, double lo, double hi, int bins) {
        long[] counts = new long[bins];
        String col = "t." + MEASURE_COLUMNS[measure];
        jdbc.sql("select b, count(*) from (select least(greatest(cast(floor((" + col
                        + " - ?) / ? * ?) as integer), 0), ?) as b "
                        + "from tile t join archive a on a.id = t.archive_id where t.dataset_id = ? and a.status = 'READY') x "
                        + "group by b")
                .params(lo, hi - lo, bins, bins - 1, datasetId)
                .query(rs -> {
                    counts[rs.getInt(1)] += rs.getLong(2);
                });
        return counts;
    }

    static final String[] MEASURES = {
        "Laplacian variance",
        "Saturated fraction (S > 30)",
        "Near-white fraction",
        "Tissue fraction",
        "Tissue fraction, central 512²"
    };

    List<Double> labels(long datasetId) {
        return jdbc.sql("select distinct t.label from tile t join archive a on a.id = t.archive_id "
                        + "where t.dataset_id = ? and a.status = 'READY' and t.label is not null order by t.label")
                .param(datasetId)
                .query(Double.class)
                .list();
    }

    long countInformative(long datasetId) {
        return jdbc.sql("select count(*) from tile t join archive a on a.id = t.archive_id where t.dataset_id = ? "
                        + "and a.status = 'READY' and t.informative = true")
                .param(datasetId)
                .query(Long.class)
                .single();
    }
}
