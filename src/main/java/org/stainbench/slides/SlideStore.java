package org.stainbench.slides;

import static org.stainbench.shell.Columns.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.stainbench.slides.tiling.Regions;

/** SQL for slides, regions, tilings and kept tiles. */
@Repository
class SlideStore {

    private final JdbcClient jdbc;

    SlideStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static OffsetDateTime ts(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static Double dbl(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }

    private static Integer integer(ResultSet rs, String col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }

    private static Long lng(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    long insertSlide(
            String name,
            String source,
            String path,
            long size,
            String vendor,
            long w,
            long h,
            String levels,
            Double mppX,
            Double mppY,
            Double power,
            SlideLabel label,
            SlideNames.Parsed parsed,
            String by,
            Instant at) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("insert into slide (name, source, path, size_bytes, vendor, width, height, levels,"
                        + " mpp_x, mpp_y, objective_power,"
                        + " label, stain_code, patient, replicate, created_by, created_at) values"
                        + " (:name, :source, :path, :sizeBytes, :vendor, :width, :height, :levels,"
                        + " :mppX, :mppY, :objectivePower, :label, :stainCode, :patient,"
                        + " :replicate, :createdBy, :createdAt)")
                .param("name", name)
                .param("source", source)
                .param("path", path)
                .param("sizeBytes", size)
                .param("vendor", vendor)
                .param("width", w)
                .param("height", h)
                .param("levels", levels)
                .param("mppX", mppX)
                .param("mppY", mppY)
                .param("objectivePower", power)
                .param("label", label.name())
                .param("stainCode", parsed.stain())
                .param("patient", parsed.patient())
                .param("replicate", parsed.replicate())
                .param("createdBy", by)
                .param("createdAt", ts(at))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    void setThumb(long id, int w, int h) {
        jdbc.sql("update slide set thumb_width = ?, thumb_height = ? where id = ?")
                .params(w, h, id)
                .update();
    }

    void setLabel(long id, SlideLabel label) {
        jdbc.sql("update slide set label = ? where id = ?")
                .params(label.name(), id)
                .update();
    }

    private static Slide slide(ResultSet rs, int n) throws SQLException {
        return new Slide(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("source"),
                rs.getString("path"),
                rs.getLong("size_bytes"),
                rs.getString("vendor"),
                rs.getLong("width"),
                rs.getLong("height"),
                rs.getString("levels"),
                dbl(rs, "mpp_x"),
                dbl(rs, "mpp_y"),
                dbl(rs, "objective_power"),
                SlideLabel.valueOf(rs.getString("label")),
                rs.getString("stain_code"),
                rs.getString("patient"),
                integer(rs, "replicate"),
                integer(rs, "thumb_width"),
                integer(rs, "thumb_height"),
                rs.getString("created_by"),
                instant(rs, "created_at"));
    }

    Optional<Slide> findSlide(long id) {
        return jdbc.sql("select * from slide where id = ?")
                .param(id)
                .query(SlideStore::slide)
                .optional();
    }

    long countSlides() {
        return jdbc.sql("select count(*) from slide").query(Long.class).single();
    }

    List<Slide> slides(int offset, int limit) {
        return jdbc.sql("select * from slide order by created_at desc, id desc offset ? rows fetch next ? rows only")
                .params(offset, limit)
                .query(SlideStore::slide)
                .list();
    }

    void replaceRegions(long slideId, List<Regions.Polygon> polygons) {
        jdbc.sql("delete from slide_region where slide_id = ?").param(slideId).update();
        for (Regions.Polygon p : polygons) {
            jdbc.sql("insert into slide_region (slide_id, class_name, rings) values (?,?,?)")
                    .params(slideId, p.className(), GeoJson.ringsJson(p))
                    .update();
        }
    }

    List<Regions.Polygon> regions(long slideId) {
        return jdbc.sql("select class_name, rings from slide_region where slide_id = ? order by id")
                .param(slideId)
                .query((rs, n) -> GeoJson.fromRings(rs.getString("class_name"), rs.getString("rings")))
                .list();
    }

    long insertTiling(
            long slideId,
            long datasetId,
            int level,
            Double mag,
            int size,
            int overlap,
            double minLap,
            double minSat,
            double maxWhite,
            boolean cast,
            boolean exclude,
            boolean plain,
            String by,
            Instant at) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("insert into slide_tiling (slide_id, dataset_id, state, level, magnification,"
                        + " tile_size, overlap, min_laplacian,"
                        + " min_saturated, max_white, colour_cast, exclude_outside, plain,"
                        + " created_by, created_at)"
                        + " values (:slideId, :datasetId, 'QUEUED', :level, :magnification,"
                        + " :tileSize, :overlap, :minLaplacian, :minSaturated, :maxWhite,"
                        + " :colourCast, :excludeOutside, :plain, :createdBy, :createdAt)")
                .param("slideId", slideId)
                .param("datasetId", datasetId)
                .param("level", level)
                .param("magnification", mag)
                .param("tileSize", size)
                .param("overlap", overlap)
                .param("minLaplacian", minLap)
                .param("minSaturated", minSat)
                .param("maxWhite", maxWhite)
                .param("colourCast", cast)
                .param("excludeOutside", exclude)
                .param("plain", plain)
                .param("createdBy", by)
                .param("createdAt", ts(at))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    void setJob(long tilingId, long jobId) {
        jdbc.sql("update slide_tiling set job_id = ? where id = ?")
                .params(jobId, tilingId)
                .update();
    }

    void setArchive(long tilingId, long archiveId, String name) {
        jdbc.sql("update slide_tiling set archive_id = ?, archive_name = ? where id = ?")
                .params(archiveId, name, tilingId)
                .update();
    }

    void startTiling(long id) {
        jdbc.sql("update slide_tiling set state = 'RUNNING', error = null where id = ?")
                .param(id)
                .update();
        jdbc.sql("delete from slide_tile where tiling_id = ?").param(id).update();
    }

    void finishTiling(
            long id,
            int usedLevel,
            int maskLevel,
            int total,
            int read,
            int kept,
            String archiveName,
            Long archiveId,
            double seconds,
            Instant at) {
        jdbc.sql("update slide_tiling set state = 'DONE', used_level = :usedLevel, mask_level ="
                        + " :maskLevel, tiles_total = :tilesTotal, tiles_read = :tilesRead,"
                        + " tiles_kept = :tilesKept, archive_name = :archiveName, archive_id ="
                        + " :archiveId, seconds = :seconds, finished_at = :finishedAt where id = :id")
                .param("usedLevel", usedLevel)
                .param("maskLevel", maskLevel)
                .param("tilesTotal", total)
                .param("tilesRead", read)
                .param("tilesKept", kept)
                .param("archiveName", archiveName)
                .param("archiveId", archiveId)
                .param("seconds", seconds)
                .param("finishedAt", ts(at))
                .param("id", id)
                .update();
    }

    void failTiling(long id, String error, Instant at) {
        String e = error == null ? "failed" : error.length() > 3900 ? error.substring(0, 3900) : error;
        jdbc.sql("update slide_tiling set state = 'FAILED', error = ?, finished_at = ? where id = ?")
                .params(e, ts(at), id)
                .update();
    }

    private static Tiling tiling(ResultSet rs, int n) throws SQLException {
        return new Tiling(
                rs.getLong("id"),
                rs.getLong("slide_id"),
                rs.getLong("dataset_id"),
                lng(rs, "job_id"),
                rs.getString("state"),
                rs.getInt("level"),
                dbl(rs, "magnification"),
                rs.getInt("tile_size"),
                rs.getInt("overlap"),
                rs.getDouble("min_laplacian"),
                rs.getDouble("min_saturated"),
                rs.getDouble("max_white"),
                rs.getBoolean("colour_cast"),
                rs.getBoolean("exclude_outside"),
                rs.getBoolean("plain"),
                integer(rs, "used_level"),
                integer(rs, "mask_level"),
                rs.getInt("tiles_total"),
                rs.getInt("tiles_read"),
                rs.getInt("tiles_kept"),
                rs.getString("archive_name"),
                lng(rs, "archive_id"),
                dbl(rs, "seconds"),
                rs.getString("error"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "finished_at"));
    }

    Optional<Tiling> findTiling(long id) {
        return jdbc.sql("select * from slide_tiling where id = ?")
                .param(id)
                .query(SlideStore::tiling)
                .optional();
    }

    List<Tiling> tilings(long slideId) {
        return jdbc.sql("select * from slide_tiling where slide_id = ? order by id desc")
                .param(slideId)
                .query(SlideStore::tiling)
                .list();
    }

    void insertTiles(long tilingId, List<SlideTile> tiles) {
        for (SlideTile t : tiles) {
            jdbc.sql("insert into slide_tile (tiling_id, row_index, x, y, laplacian_variance,"
                            + " saturated_fraction, white_fraction,"
                            + " tissue_fraction, colour_cast, class_name, class_fraction) values"
                            + " (:tilingId, :rowIndex, :x, :y, :laplacianVariance,"
                            + " :saturatedFraction, :whiteFraction, :tissueFraction, :colourCast,"
                            + " :className, :classFraction)")
                    .param("tilingId", tilingId)
                    .param("rowIndex", t.row())
                    .param("x", t.x())
                    .param("y", t.y())
                    .param("laplacianVariance", t.laplacianVariance())
                    .param("saturatedFraction", t.saturatedFraction())
                    .param("whiteFraction", t.whiteFraction())
                    .param("tissueFraction", t.tissueFraction())
                    .param("colourCast", t.colourCast())
                    .param("className", t.className())
                    .param("classFraction", t.classFraction())
                    .update();
        }
    }

    List<SlideTile> tiles(long tilingId) {
        return jdbc.sql("select * from slide_tile where tiling_id = ? order by row_index")
                .param(tilingId)
                .query((rs, n) -> new SlideTile(
                        rs.getLong("tiling_id"),
                        rs.getInt("row_index"),
                        rs.getLong("x"),
                        rs.getLong("y"),
                        rs.getDouble("laplacian_variance"),
                        rs.getDouble("saturated_fraction"),
                        rs.getDouble("white_fraction"),
                        rs.getDouble("tissue_fraction"),
                        rs.getDouble("colour_cast"),
                        rs.getString("class_name"),
                        rs.getDouble("class_fraction")))
                .list();
    }
}
