package org.stainbench.reports;

import static org.stainbench.shell.Columns.instant;
import static org.stainbench.shell.Columns.longOrNull;

import jakarta.persistence.EntityManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Persistence for reports and their blocks. The {@code report} row's simple reads and writes go through
 * {@link ReportRepository}, the blocks through {@link ReportBlockRepository} (Spring Data JPA); the offset page, the
 * search and the guarded freeze stay {@code JdbcClient}, as each method says.
 */
@Repository
class ReportStore {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final ReportRepository reports;
    private final ReportBlockRepository blocks;
    private final EntityManager entities;

    ReportStore(JdbcClient jdbc, ReportRepository reports, ReportBlockRepository blocks, EntityManager entities) {
        this.jdbc = jdbc;
        this.reports = reports;
        this.blocks = blocks;
        this.entities = entities;
    }

    static Report report(ResultSet rs, int row) throws SQLException {
        return new Report(
                rs.getLong("id"),
                rs.getString("title"),
                rs.getString("status"),
                longOrNull(rs, "copied_from"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                rs.getString("frozen_by"),
                instant(rs, "frozen_at"));
    }

    static Block block(ResultSet rs, int row) throws SQLException {
        return new Block(
                rs.getLong("id"),
                rs.getLong("report_id"),
                rs.getInt("position"),
                BlockKind.valueOf(rs.getString("kind")),
                JSON.readValue(rs.getString("settings"), BlockSettings.class),
                rs.getString("snapshot"));
    }

    long insertReport(String title, Long copiedFrom, String by, Instant at) {
        ReportEntity e = reports.save(new ReportEntity(title, copiedFrom, by, at));
        // not kept managed: a later read in the same transaction reads the row as stored (timestamps in microseconds)
        entities.detach(e);
        return e.id();
    }

    Optional<Report> find(long id) {
        return reports.findById(id).map(ReportEntity::toReport);
    }

    Optional<Report> findByTitle(String title) {
        return reports.findFirstByTitleOrderByIdAsc(title).map(ReportEntity::toReport);
    }

    /** JdbcClient: an offset page (the pages' pager counts rows, not Spring Data page numbers). */
    List<Report> list(int offset, int limit) {
        return jdbc.sql("select * from report order by updated_at desc, id desc offset ? rows fetch next ? rows only")
                .params(offset, limit)
                .query(ReportStore::report)
                .list();
    }

    /** Frozen reports, the newest freeze first; with {@code since}, only those frozen after it. */
    List<Report> frozen(Instant since, int limit) {
        Limit first = Limit.of(Math.max(1, limit));
        return (since == null
                        ? reports.findByStatusOrderByFrozenAtDescIdDesc(Report.FROZEN, first)
                        : reports.findByStatusAndFrozenAtAfterOrderByFrozenAtDescIdDesc(Report.FROZEN, since, first))
                .stream().map(ReportEntity::toReport).toList();
    }

    long count() {
        return reports.count();
    }

    /**
     * Reports whose title or a text block contains {@code q} (case-insensitive), newest first. JdbcClient: an escaped
     * LIKE over titles and the blocks' JSON settings.
     */
    List<Report> search(String q, int limit) {
        String like = "%"
                + q.toLowerCase(Locale.ROOT)
                        .replace("\\", "\\\\")
                        .replace("%", "\\%")
                        .replace("_", "\\_") + "%";
        return jdbc.sql(
                        "select * from report where lower(title) like ? escape '\\' or id in (select report_id from report_block"
                                + " where kind = 'TEXT' and lower(settings) like ? escape '\\') order by updated_at desc, id desc"
                                + " fetch first " + Math.max(1, limit) + " rows only")
                .params(like, like)
                .query(ReportStore::report)
                .list();
    }

    void rename(long id, String title, Instant at) {
        reports.rename(id, title, at);
    }

    void touch(long id, Instant at) {
        reports.touch(id, at);
    }

    /**
     * Marks a draft frozen; false when it was not a draft any more (frozen meanwhile). JdbcClient: a guarded state
     * change used as a claim (only one of two concurrent freezes wins), checked by its row count.
     */
    boolean freeze(long id, String by, Instant at) {
        return jdbc.sql(
                                "update report set status = ?, frozen_by = ?, frozen_at = ?, updated_at = ? where id = ? and status = ?")
                        .params(Report.FROZEN, by, Timestamp.from(at), Timestamp.from(at), id, Report.DRAFT)
                        .update()
                == 1;
    }

    // blocks: through ReportBlockRepository

    List<Block> blocks(long reportId) {
        return blocks.findByReportIdOrderByPositionAscIdAsc(reportId).stream()
                .map(ReportBlockEntity::toBlock)
                .toList();
    }

    Optional<Block> block(long reportId, long blockId) {
        return blocks.findByIdAndReportId(blockId, reportId).map(ReportBlockEntity::toBlock);
    }

    long insertBlock(long reportId, int position, BlockKind kind, BlockSettings settings, String snapshot) {
        ReportBlockEntity e = blocks.save(
                new ReportBlockEntity(reportId, position, kind.name(), JSON.writeValueAsString(settings), snapshot));
        entities.detach(e);
        return e.id();
    }

    int nextPosition(long reportId) {
        return blocks.nextPosition(reportId);
    }

    void updateSettings(long blockId, BlockSettings settings) {
        blocks.setSettings(blockId, JSON.writeValueAsString(settings));
    }

    void setPosition(long blockId, int position) {
        blocks.setPosition(blockId, position);
    }

    void setSnapshot(long blockId, String snapshot) {
        blocks.setSnapshot(blockId, snapshot);
    }

    void deleteBlock(long blockId) {
        blocks.deleteRow(blockId);
    }
}
