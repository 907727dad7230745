package org.stainbench.review;

import static org.stainbench.shell.Columns.instant;
import static org.stainbench.shell.Columns.intOrNull;
import static org.stainbench.shell.Columns.longOrNull;

import jakarta.persistence.EntityManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Persistence for review sessions, items, raters and answers. The {@code review_session} row's simple reads and writes
 * go through {@link ReviewSessionRepository} (Spring Data JPA); items, repeats, raters, answers and sampling stay
 * {@code JdbcClient}: they are written in bulk when a session is drawn, read in full per session for the rater
 * screens and results, and answers are an update-or-insert per showing (the answer tallies read them in bulk).
 */
@Repository
class ReviewStore {

    record Rater(long sessionId, String username, long seed, Instant addedAt) {}

    /** One rater's repeat showing of an item, with its own token, image tokens and sides. */
    record Repeat(
            long id,
            long sessionId,
            long itemId,
            String rater,
            int repeatNo,
            String token,
            String imageA,
            String imageB,
            String imageSource,
            Boolean realLeft) {}

    private final JdbcClient jdbc;
    private final ReviewSessionRepository sessions;
    private final EntityManager entities;

    ReviewStore(JdbcClient jdbc, ReviewSessionRepository sessions, EntityManager entities) {
        this.jdbc = jdbc;
        this.sessions = sessions;
        this.entities = entities;
    }

    static ReviewSession session(ResultSet rs, int row) throws SQLException {
        return new ReviewSession(
                rs.getLong("id"),
                rs.getString("name"),
                ReviewMode.valueOf(rs.getString("mode")),
                rs.getString("instructions"),
                rs.getString("criteria"),
                rs.getBoolean("show_source"),
                rs.getString("selection"),
                rs.getLong("source_dataset_id"),
                longOrNull(rs, "real_dataset_id"),
                rs.getInt("per_checkpoint"),
                rs.getInt("real_count"),
                rs.getInt("repeat_percent"),
                rs.getLong("seed"),
                rs.getString("created_by"),
                instant(rs, "created_at"));
    }

    static ReviewItem item(ResultSet rs, int row) throws SQLException {
        boolean rl = rs.getBoolean("real_left");
        Boolean realLeft = rs.wasNull() ? null : rl;
        return new ReviewItem(
                rs.getLong("id"),
                rs.getLong("session_id"),
                rs.getInt("position"),
                rs.getString("token"),
                rs.getString("kind"),
                longOrNull(rs, "checkpoint_id"),
                longOrNull(rs, "archive_id"),
                intOrNull(rs, "tile_index"),
                longOrNull(rs, "source_archive_id"),
                intOrNull(rs, "source_index"),
                longOrNull(rs, "real_archive_id"),
                intOrNull(rs, "real_index"),
                realLeft,
                rs.getString("image_a"),
                rs.getString("image_b"),
                rs.getString("image_source"));
    }

    static ReviewAnswer answer(ResultSet rs, int row) throws SQLException {
        double f = rs.getDouble("fraction");
        Double fraction = rs.wasNull() ? null : f;
        return new ReviewAnswer(
                rs.getLong("id"),
                rs.getLong("session_id"),
                rs.getLong("item_id"),
                rs.getString("rater"),
                rs.getInt("repeat_no"),
                rs.getString("choice"),
                intOrNull(rs, "confidence"),
                rs.getString("scores"),
                fraction,
                rs.getString("note"),
                instant(rs, "answered_at"),
                booleanOrNull(rs, "real_left"));
    }

    private static Boolean booleanOrNull(ResultSet rs, String column) throws SQLException {
        boolean b = rs.getBoolean(column);
        return rs.wasNull() ? null : b;
    }

    static Repeat repeat(ResultSet rs, int row) throws SQLException {
        return new Repeat(
                rs.getLong("id"),
                rs.getLong("session_id"),
                rs.getLong("item_id"),
                rs.getString("rater"),
                rs.getInt("repeat_no"),
                rs.getString("token"),
                rs.getString("image_a"),
                rs.getString("image_b"),
                rs.getString("image_source"),
                booleanOrNull(rs, "real_left"));
    }

    static Rater rater(ResultSet rs, int row) throws SQLException {
        return new Rater(
                rs.getLong("session_id"), rs.getString("username"), rs.getLong("seed"), instant(rs, "added_at"));
    }

    long insertSession(ReviewSession s) {
        ReviewSessionEntity e = sessions.save(new ReviewSessionEntity(s));
        // not kept managed: a later read in the same transaction reads the row as stored (timestamps in microseconds)
        entities.detach(e);
        return e.id();
    }

    void insertItem(ReviewItem i) {
        jdbc.sql("insert into review_item (session_id, position, token, kind, checkpoint_id, archive_id, tile_index,"
                        + " source_archive_id, source_index, real_archive_id, real_index, real_left, image_a, image_b, image_source)"
                        + " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
                .params(
                        i.sessionId(),
                        i.position(),
                        i.token(),
                        i.kind(),
                        i.checkpointId(),
                        i.archiveId(),
                        i.tileIndex(),
                        i.sourceArchiveId(),
                        i.sourceIndex(),
                        i.realArchiveId(),
                        i.realIndex(),
                        i.realLeft(),
                        i.imageA(),
                        i.imageB(),
                        i.imageSource())
                .update();
    }

    void updateSettings(long id, String name, String instructions, String criteria) {
        sessions.updateSettings(id, name, instructions, criteria);
    }

    void insertRater(long sessionId, String username, long seed, Instant at) {
        jdbc.sql("insert into review_rater (session_id, username, seed, added_at) values (?,?,?,?)")
                .params(sessionId, username, seed, Timestamp.from(at))
                .update();
    }

    void deleteRater(long sessionId, String username) {
        deleteRepeats(sessionId, username);
        jdbc.sql("delete from review_rater where session_id = ? and username = ?")
                .params(sessionId, username)
                .update();
    }

    /** The session's dependent rows in bulk (JdbcClient), then the session's own row through the repository. */
    void deleteSession(long id) {
        jdbc.sql("delete from review_answer where session_id = ?").param(id).update();
        jdbc.sql("delete from review_repeat where session_id = ?").param(id).update();
        jdbc.sql("delete from review_pool where session_id = ?").param(id).update();
        jdbc.sql("delete from review_sampling where session_id = ?").param(id).update();
        jdbc.sql("delete from review_rater where session_id = ?").param(id).update();
        jdbc.sql("delete from review_item where session_id = ?").param(id).update();
        sessions.deleteRow(id);
    }

    Optional<ReviewSession> find(long id) {
        return sessions.findById(id).map(ReviewSessionEntity::toSession);
    }

    boolean nameTaken(String name) {
        return sessions.existsByName(name);
    }

    /** JdbcClient: an offset page (the pages' pager counts rows, not Spring Data page numbers). */
    List<ReviewSession> sessions(int offset, int limit) {
        return jdbc.sql("select * from review_session order by id desc offset ? rows fetch next ? rows only")
                .params(offset, limit)
                .query(ReviewStore::session)
                .list();
    }

    long count() {
        return sessions.count();
    }

    /** JdbcClient: a join with the session's raters. */
    List<ReviewSession> sessionsOf(String username) {
        return jdbc.sql(
                        "select s.* from review_session s join review_rater r on r.session_id = s.id where r.username = ?"
                                + " and r.disabled_at is null order by s.id desc")
                .param(username)
                .query(ReviewStore::session)
                .list();
    }

    List<ReviewItem> items(long sessionId) {
        return jdbc.sql("select * from review_item where session_id = ? order by position")
                .param(sessionId)
                .query(ReviewStore::item)
                .list();
    }

    /** The item behind a showing's token: an item's own, or a repeat's (then the item as that repeat shows it). */
    Optional<ReviewItem> itemByToken(String token) {
        Optional<ReviewItem> item = jdbc.sql("select * from review_item where token = ?")
                .param(token)
                .query(ReviewStore::item)
                .optional();
        if (item.isPresent()) {
            return item;
        }
        return jdbc.sql("select * from review_repeat where token = ?")
                .param(token)
                .query(ReviewStore::repeat)
                .optional()
                .flatMap(r -> item(r.itemId()).map(i -> i.asShownIn(r)));
    }

    Optional<ReviewItem> itemByImage(String token) {
        return jdbc.sql("select * from review_item where image_a = ? or image_b = ? or image_source = ?")
                .params(token, token, token)
                .query(ReviewStore::item)
                .optional();
    }

    List<Rater> raters(long sessionId) {
        return jdbc.sql("select * from review_rater where session_id = ? order by added_at, username")
                .param(sessionId)
                .query(ReviewStore::rater)
                .list();
    }

    Optional<Rater> rater(long sessionId, String username) {
        return jdbc.sql("select * from review_rater where session_id = ? and username = ?")
                .params(sessionId, username)
                .query(ReviewStore::rater)
                .optional();
    }

    List<ReviewAnswer> answers(long sessionId) {
        return jdbc.sql("select * from review_answer where session_id = ? order by rater, item_id, repeat_no")
                .param(sessionId)
                .query(ReviewStore::answer)
                .list();
    }

    List<ReviewAnswer> answers(long sessionId, String rater) {
        return jdbc.sql("select * from review_answer where session_id = ? and rater = ?")
                .params(sessionId, rater)
                .query(ReviewStore::answer)
                .list();
    }

    /**
     * Answer id to the time its showing was put on screen before its first answer ({@code review_timing}, recorded by
     * {@link StudyDesigns} since V50), for the answers that have one; older answers have none.
     */
    Map<Long, Instant> shownAt(long sessionId) {
        Map<Long, Instant> out = new HashMap<>();
        for (Map.Entry<Long, Instant> e : jdbc.sql("select a.id, t.shown_at from review_answer a join review_timing t"
                        + " on t.session_id = a.session_id and t.item_id = a.item_id and t.rater = a.rater"
                        + " and t.repeat_no = a.repeat_no where a.session_id = ? and t.shown_at is not null")
                .param(sessionId)
                .query((rs, row) -> Map.entry(rs.getLong("id"), instant(rs, "shown_at")))
                .list()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    long answerCount(long sessionId) {
        return jdbc.sql("select count(*) from review_answer where session_id = ?")
                .param(sessionId)
                .query(Long.class)
                .single();
    }

    long answerCount(long sessionId, String rater) {
        return jdbc.sql("select count(*) from review_answer where session_id = ? and rater = ?")
                .params(sessionId, rater)
                .query(Long.class)
                .single();
    }

    /** Inserts or replaces the answer to one showing (item, rater, repeat). */
    void saveAnswer(ReviewAnswer a) {
        int n = jdbc.sql(
                        "update review_answer set choice = ?, confidence = ?, scores = ?, fraction = ?, note = ?, answered_at = ?,"
                                + " real_left = ? where item_id = ? and rater = ? and repeat_no = ?")
                .params(
                        a.choice(),
                        a.confidence(),
                        a.scores(),
                        a.fraction(),
                        a.note(),
                        Timestamp.from(a.answeredAt()),
                        a.realLeft(),
                        a.itemId(),
                        a.rater(),
                        a.repeatNo())
                .update();
        if (n == 0) {
            jdbc.sql(
                            "insert into review_answer (session_id, item_id, rater, repeat_no, choice, confidence, scores, fraction,"
                                    + " note, answered_at, real_left) values (?,?,?,?,?,?,?,?,?,?,?)")
                    .params(
                            a.sessionId(),
                            a.itemId(),
                            a.rater(),
                            a.repeatNo(),
                            a.choice(),
                            a.confidence(),
                            a.scores(),
                            a.fraction(),
                            a.note(),
                            Timestamp.from(a.answeredAt()),
                            a.realLeft())
                    .update();
        }
    }

    // sampling (issue 17)

    void insertSampling(ReviewSampling x) {
        jdbc.sql("insert into review_sampling (session_id, informative_only, min_tissue, min_center, match_tissue,"
                        + " repeat_min_distance, image_width, image_height, generated_tissue, real_tissue)"
                        + " values (:session, :informative, :minTissue, :minCenter, :match, :distance, :width, :height,"
                        + " :generatedTissue, :realTissue)")
                .param("session", x.sessionId())
                .param("informative", x.rule().informativeOnly())
                .param("minTissue", x.rule().minTissue())
                .param("minCenter", x.rule().minCenter())
                .param("match", x.matchTissue())
                .param("distance", x.repeatMinDistance())
                .param("width", x.imageWidth())
                .param("height", x.imageHeight())
                .param("generatedTissue", x.generatedTissue())
                .param("realTissue", x.realTissue())
                .update();
        int k = 0;
        for (ReviewSampling.Pool p : x.pools()) {
            jdbc.sql(
                            "insert into review_pool (session_id, position, kind, checkpoint_id, eligible, total) values (?,?,?,?,?,?)")
                    .params(x.sessionId(), k++, p.kind(), p.checkpointId(), p.eligible(), p.total())
                    .update();
        }
    }

    /** The session's sampling record; empty for sessions created before issue 17. */
    Optional<ReviewSampling> sampling(long sessionId) {
        List<ReviewSampling.Pool> pools = jdbc.sql("select * from review_pool where session_id = ? order by position")
                .param(sessionId)
                .query((rs, i) -> new ReviewSampling.Pool(
                        rs.getString("kind"),
                        longOrNull(rs, "checkpoint_id"),
                        rs.getInt("eligible"),
                        rs.getInt("total")))
                .list();
        return jdbc.sql("select * from review_sampling where session_id = ?")
                .param(sessionId)
                .query((rs, i) -> {
                    double g = rs.getDouble("generated_tissue");
                    Double gen = rs.wasNull() ? null : g;
                    double r = rs.getDouble("real_tissue");
                    Double real = rs.wasNull() ? null : r;
                    return new ReviewSampling(
                            sessionId,
                            new Eligibility(
                                    rs.getBoolean("informative_only"),
                                    rs.getDouble("min_tissue"),
                                    rs.getDouble("min_center")),
                            rs.getBoolean("match_tissue"),
                            rs.getInt("repeat_min_distance"),
                            rs.getInt("image_width"),
                            rs.getInt("image_height"),
                            gen,
                            real,
                            pools);
                })
                .optional();
    }

    // repeats (issue 17)

    void insertRepeat(Repeat r) {
        jdbc.sql(
                        "insert into review_repeat (session_id, item_id, rater, repeat_no, token, image_a, image_b, image_source,"
                                + " real_left) values (?,?,?,?,?,?,?,?,?)")
                .params(
                        r.sessionId(),
                        r.itemId(),
                        r.rater(),
                        r.repeatNo(),
                        r.token(),
                        r.imageA(),
                        r.imageB(),
                        r.imageSource(),
                        r.realLeft())
                .update();
    }

    List<Repeat> repeats(long sessionId, String rater) {
        return jdbc.sql("select * from review_repeat where session_id = ? and rater = ?")
                .params(sessionId, rater)
                .query(ReviewStore::repeat)
                .list();
    }

    Optional<Repeat> repeatByImage(String token) {
        return jdbc.sql("select * from review_repeat where image_a = ? or image_b = ? or image_source = ?")
                .params(token, token, token)
                .query(ReviewStore::repeat)
                .optional();
    }

    void deleteRepeats(long sessionId, String rater) {
        jdbc.sql("delete from review_repeat where session_id = ? and rater = ?")
                .params(sessionId, rater)
                .update();
    }

    /** The width and height every image of the session is served at; empty for sessions created before issue 17. */
    Optional<int[]> imageSize(long sessionId) {
        return jdbc.sql("select image_width, image_height from review_sampling where session_id = ?")
                .param(sessionId)
                .query((rs, i) -> new int[] {rs.getInt(1), rs.getInt(2)})
                .optional();
    }

    Optional<ReviewItem> item(long id) {
        return jdbc.sql("select * from review_item where id = ?")
                .param(id)
                .query(ReviewStore::item)
                .optional();
    }
}
