package org.stainbench.review;

import static org.stainbench.shell.Columns.instant;
import static org.stainbench.shell.Columns.intOrNull;
import static org.stainbench.shell.Columns.longOrNull;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.tiles.RgbTile;

/**
 * The practice block: a few items shown before the study, each answered once and followed by feedback from its
 * provenance (real or generated, and by which checkpoint). Practice items are drawn from the same archives as the
 * study's items but never a tile the study uses (informative tiles first), and are stored apart
 * ({@code review_practice_item}, {@code review_practice_answer}): results, agreement and the answers CSV never see them.
 * A rater with practice items left is sent to the practice before the study.
 */
@Service
@Transactional
class Practice {

    record Item(
            long id,
            long sessionId,
            int position,
            String kind,
            Long checkpointId,
            long archiveId,
            int tileIndex,
            Long realArchiveId,
            Integer realIndex,
            Boolean realLeft,
            String imageA,
            String imageB) {}

    record Answer(
            long itemId,
            String rater,
            String choice,
            Integer confidence,
            String scores,
            Double fraction,
            Instant answeredAt) {
        public List<Integer> scoreList() {
            return scores == null || scores.isBlank()
                    ? List.of()
                    : java.util.Arrays.stream(scores.split(","))
                            .map(Integer::valueOf)
                            .toList();
        }
    }

    /** What the rater learns after a practice answer. {@code correct} is null where the mode has no right answer. */
    record Feedback(String truth, Boolean correct) {}

    private final JdbcClient jdbc;
    private final CatalogTiles tiles;
    private final Checkpoints checkpoints;
    private final Clock clock;
    private final SecureRandom tokens = new SecureRandom();

    Practice(JdbcClient jdbc, CatalogTiles tiles, Checkpoints checkpoints, Clock clock) {
        this.jdbc = jdbc;
        this.tiles = tiles;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    private String token() {
        byte[] b = new byte[24];
        tokens.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private record Tile(Long checkpointId, long archiveId, int index) {}

    /** Draws {@code n} practice items for a session whose study items are stored already. */
    void draw(ReviewSession s, List<ReviewItem> study, int n) {
        if (n <= 0) {
            return;
        }
        Set<String> used = new HashSet<>();
        Map<Long, Long> generated = new LinkedHashMap<>(); // archive -> checkpoint
        Set<Long> realArchives = new java.util.LinkedHashSet<>();
        for (ReviewItem i : study) {
            used.add(i.archiveId() + ":" + i.tileIndex());
            if (i.realArchiveId() != null) {
                used.add(i.realArchiveId() + ":" + i.realIndex());
                realArchives.add(i.realArchiveId());
            }
            if (i.real()) {
                realArchives.add(i.archiveId());
            } else {
                generated.put(i.archiveId(), i.checkpointId());
            }
        }
        SplittableRandom rnd = new SplittableRandom(s.seed() ^ 0x9AC71CEL);
        // one pool per checkpoint, round-robin between them; real tiles from the study's real archives
        Map<Long, List<List<Tile>>> perCheckpoint = new LinkedHashMap<>();
        generated.forEach((archive, ck) -> {
            List<List<Tile>> p = perCheckpoint.computeIfAbsent(ck, c -> List.of(new ArrayList<>(), new ArrayList<>()));
            pool(archive, ck, used, p.get(0), p.get(1));
        });
        List<List<Tile>> groups = new ArrayList<>();
        for (List<List<Tile>> g : perCheckpoint.values()) {
            groups.add(informativeFirst(g.get(0), g.get(1), rnd));
        }
        List<Tile> realInformative = new ArrayList<>();
        List<Tile> realRest = new ArrayList<>();
        for (long a : realArchives) {
            pool(a, null, used, realInformative, realRest);
        }
        List<Tile> reals = informativeFirst(realInformative, realRest, rnd);
        boolean pairs = s.mode() == ReviewMode.TWO_AFC;
        boolean withReal = !pairs && !reals.isEmpty();
        List<Tile> gen = new ArrayList<>();
        int[] at = new int[groups.size()];
        int realsTaken = 0;
        List<Object[]> rows = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            boolean real = withReal && k % 2 == 1;
            if (real) {
                if (realsTaken >= reals.size()) {
                    throw new IllegalArgumentException(
                            "Not enough real tiles outside the study for " + n + " practice items.");
                }
                Tile r = reals.get(realsTaken++);
                rows.add(new Object[] {ReviewItem.REAL, null, r.archiveId(), r.index(), null, null, null, token(), null
                });
                continue;
            }
            Tile g = null;
            for (int tries = 0; tries < groups.size() && g == null; tries++) {
                int c = (k + tries) % groups.size();
                if (at[c] < groups.get(c).size()) {
                    g = groups.get(c).get(at[c]++);
                }
            }
            if (g == null) {
                throw new IllegalArgumentException(
                        "Not enough generated tiles outside the study for " + n + " practice items.");
            }
            gen.add(g);
            if (pairs) {
                if (realsTaken >= reals.size()) {
                    throw new IllegalArgumentException(
                            "Not enough real tiles outside the study for " + n + " practice items.");
                }
                Tile r = reals.get(realsTaken++);
                rows.add(new Object[] {
                    ReviewItem.PAIR,
                    g.checkpointId(),
                    g.archiveId(),
                    g.index(),
                    r.archiveId(),
                    r.index(),
                    rnd.nextBoolean(),
                    token(),
                    token()
                });
            } else {
                rows.add(new Object[] {
                    ReviewItem.GENERATED, g.checkpointId(), g.archiveId(), g.index(), null, null, null, token(), null
                });
            }
        }
        for (int k = 0; k < rows.size(); k++) {
            Object[] r = rows.get(k);
            jdbc.sql(
                            "insert into review_practice_item (session_id, position, kind, checkpoint_id, archive_id, tile_index,"
                                    + " real_archive_id, real_index, real_left, image_a, image_b) values (?,?,?,?,?,?,?,?,?,?,?)")
                    .params(s.id(), k, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8])
                    .update();
        }
    }

    /** The archive's tiles the study does not use, split into informative ones and the rest. */
    private void pool(long archive, Long ck, Set<String> used, List<Tile> informative, List<Tile> rest) {
        for (TileInfo t : tiles.tiles(archive)) {
            if (!used.contains(archive + ":" + t.index())) {
                (t.informative() ? informative : rest).add(new Tile(ck, archive, t.index()));
            }
        }
    }

    private static List<Tile> informativeFirst(List<Tile> informative, List<Tile> rest, SplittableRandom rnd) {
        List<Tile> out = shuffled(informative, rnd);
        out.addAll(shuffled(rest, rnd));
        return out;
    }

    private static List<Tile> shuffled(List<Tile> in, SplittableRandom rnd) {
        List<Tile> out = new ArrayList<>(in);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Tile t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    static Item item(ResultSet rs, int row) throws SQLException {
        boolean rl = rs.getBoolean("real_left");
        Boolean realLeft = rs.wasNull() ? null : rl;
        return new Item(
                rs.getLong("id"),
                rs.getLong("session_id"),
                rs.getInt("position"),
                rs.getString("kind"),
                longOrNull(rs, "checkpoint_id"),
                rs.getLong("archive_id"),
                rs.getInt("tile_index"),
                longOrNull(rs, "real_archive_id"),
                intOrNull(rs, "real_index"),
                realLeft,
                rs.getString("image_a"),
                rs.getString("image_b"));
    }

    static Answer answer(ResultSet rs, int row) throws SQLException {
        double f = rs.getDouble("fraction");
        Double fraction = rs.wasNull() ? null : f;
        return new Answer(
                rs.getLong("item_id"),
                rs.getString("rater"),
                rs.getString("choice"),
                intOrNull(rs, "confidence"),
                rs.getString("scores"),
                fraction,
                instant(rs, "answered_at"));
    }

    @Transactional(readOnly = true)
    List<Item> items(long sessionId) {
        return jdbc.sql("select * from review_practice_item where session_id = ? order by position")
                .param(sessionId)
                .query(Practice::item)
                .list();
    }

    @Transactional(readOnly = true)
    Map<Long, Answer> answers(long sessionId, String rater) {
        Map<Long, Answer> out = new LinkedHashMap<>();
        jdbc.sql("select * from review_practice_answer where session_id = ? and rater = ? order by item_id")
                .params(sessionId, rater)
                .query(Practice::answer)
                .list()
                .forEach(a -> out.put(a.itemId(), a));
        return out;
    }

    @Transactional(readOnly = true)
    long answered(long sessionId, String rater) {
        return jdbc.sql("select count(*) from review_practice_answer where session_id = ? and rater = ?")
                .params(sessionId, rater)
                .query(Long.class)
                .single();
    }

    /** True while the rater has practice items without an answer. */
    @Transactional(readOnly = true)
    boolean pending(long sessionId, String rater) {
        long items = jdbc.sql("select count(*) from review_practice_item where session_id = ?")
                .param(sessionId)
                .query(Long.class)
                .single();
        return items > 0 && answered(sessionId, rater) < items;
    }

    /** The first practice step (0-based) without an answer, or empty when the practice is done. */
    @Transactional(readOnly = true)
    Optional<Integer> next(long sessionId, String rater) {
        List<Item> items = items(sessionId);
        Map<Long, Answer> done = answers(sessionId, rater);
        for (int k = 0; k < items.size(); k++) {
            if (!done.containsKey(items.get(k).id())) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Saves the one answer to practice step {@code step}; a practice answer is not revised. */
    void answer(
            ReviewSession s,
            String rater,
            int step,
            String choice,
            Integer confidence,
            List<Integer> scores,
            Double fraction) {
        List<Item> items = items(s.id());
        if (step < 0 || step >= items.size()) {
            throw new Reviews.NotFound("No practice item " + (step + 1) + " in this session.");
        }
        Item it = items.get(step);
        if (answers(s.id(), rater).containsKey(it.id())) {
            throw new StudyDesigns.Refused(
                    "Practice item " + (step + 1) + " is answered already; its feedback is below.");
        }
        AnswerInput in = AnswerInput.check(s, choice, confidence, scores, fraction);
        jdbc.sql("insert into review_practice_answer (session_id, item_id, rater, choice, confidence, scores, fraction,"
                        + " answered_at) values (?,?,?,?,?,?,?,?)")
                .params(
                        s.id(),
                        it.id(),
                        rater,
                        in.choice(),
                        in.confidence(),
                        in.scores(),
                        in.fraction(),
                        Timestamp.from(clock.instant()))
                .update();
    }

    /** The provenance of a practice item, and whether the answer was right (2AFC and real-or-virtual). */
    @Transactional(readOnly = true)
    Feedback feedback(ReviewSession s, Item it, Answer a) {
        String ck = it.checkpointId() == null
                ? null
                : checkpoints.find(it.checkpointId()).map(Checkpoint::name).orElse("checkpoint " + it.checkpointId());
        return switch (it.kind()) {
            case ReviewItem.PAIR -> new Feedback(
                    "The real tile was on the " + (it.realLeft() ? "left" : "right") + "; the "
                            + (it.realLeft() ? "right" : "left") + " one was generated by checkpoint '" + ck + "'.",
                    a == null ? null : "LEFT".equals(a.choice()) == it.realLeft());
            case ReviewItem.REAL -> new Feedback(
                    "A real IHC tile.",
                    s.mode() == ReviewMode.REAL_OR_VIRTUAL && a != null ? "REAL".equals(a.choice()) : null);
            default -> new Feedback(
                    "Generated by checkpoint '" + ck + "'.",
                    s.mode() == ReviewMode.REAL_OR_VIRTUAL && a != null ? "VIRTUAL".equals(a.choice()) : null);
        };
    }

    /** The tile behind a practice image token (the caller checks the rater). */
    @Transactional(readOnly = true)
    Optional<Map.Entry<Long, RgbTile>> image(String token) {
        return jdbc.sql("select * from review_practice_item where image_a = ? or image_b = ?")
                .params(token, token)
                .query(Practice::item)
                .optional()
                .map(it -> {
                    boolean left = token.equals(it.imageA());
                    boolean real = ReviewItem.REAL.equals(it.kind())
                            || ReviewItem.PAIR.equals(it.kind()) && left == it.realLeft();
                    RgbTile t = ReviewItem.PAIR.equals(it.kind()) && real
                            ? tiles.read(it.realArchiveId(), it.realIndex())
                            : tiles.read(it.archiveId(), it.tileIndex());
                    return Map.entry(it.sessionId(), t);
                });
    }

    void deleteFor(long sessionId) {
        jdbc.sql("delete from review_practice_answer where session_id = ?")
                .param(sessionId)
                .update();
        jdbc.sql("delete from review_practice_item where session_id = ?")
                .param(sessionId)
                .update();
    }

    void forgetRater(long sessionId, String rater) {
        jdbc.sql("delete from review_practice_answer where session_id = ? and rater = ?")
                .params(sessionId, rater)
                .update();
    }
}
