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
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Persistence for reports and their blocks. The {@code report} row's simple reads and writes go through
 * {@link ReportRepository} (Spring Data JPA); the offset page, the search, the guarded freeze and the blocks stay
 * {@code JdbcClient}, as each method says.
 */
@Repository
class ReportStore {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final ReportRepository reports;
    private final EntityManager entities;

    ReportStore(JdbcClient jdbc, ReportRepository reports, EntityManager entities) {
        this.jdbc = jdbc;
        this.reports = reports;
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

    // blocks: JdbcClient — ordered child rows of the report, written and renumbered with it in the facade's
    // transactions; settings and snapshot are JSON in text columns (CLOB on H2, text on PostgreSQL)

    List<Block> blocks(long reportId) {
        return jdbc.sql("select * from report_block where report_id = ? order by position, id")
                .param(reportId)
                .query(ReportStore::block)
                .list();
    }

    Optional<Block> block(long reportId, long blockId) {
        return jdbc.sql("select * from report_block where report_id = ? and id = ?")
                .params(reportId, blockId)
                .query(ReportStore::block)
                .optional();
    }

    long insertBlock(long reportId, int position, BlockKind kind, BlockSettings settings, String snapshot) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("insert into report_block (report_id, position, kind, settings, snapshot) values (?, ?, ?, ?, ?)")
                .params(reportId, position, kind.name(), JSON.writeValueAsString(settings), snapshot)
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    int nextPosition(long reportId) {
        return jdbc.sql("select coalesce(max(position), -1) + 1 from report_block where report_id = ?")
                .param(reportId)
                .query(Integer.class)
                .single();
    }

    void updateSettings(long blockId, BlockSettings settings) {
        jdbc.sql("update report_block set settings = ? where id = ?")
                .params(JSON.writeValueAsString(settings), blockId)
                .update();
    }

    void setPosition(long blockId, int position) {
        jdbc.sql("update report_block set position = ? where id = ?")
                .params(position, blockId)
                .update();
    }

    void setSnapshot(long blockId, String snapshot) {
        jdbc.sql("update report_block set snapshot = ? where id = ?")
                .params(snapshot, blockId)
                .update();
    }

    void deleteBlock(long blockId) {
        jdbc.sql("delete from report_block where id = ?").param(blockId).update();
    }
}
