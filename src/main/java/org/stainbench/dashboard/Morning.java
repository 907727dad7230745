package org.stainbench.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.checkpoints.GeneratedSetStatus;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.galleries.Galleries;
import org.stainbench.galleries.GalleryQuery;
import org.stainbench.reports.ReportHeadlines;
import org.stainbench.review.ReviewHeadlines;

/**
 * What a supervisor reads every morning, on top of the standings: per standing the leaderboard of every evaluated
 * checkpoint (the classical baselines as reference lines), a strip of the best checkpoint's tiles beside their H&amp;E
 * sources and real tiles of the target stain; the review results' trend; the latest frozen report; what changed since
 * the user's last visit. Reads only (besides the visit), and every read is bounded: the strips and the trend by fixed
 * counts, the changes by their limit.
 */
@Service
class Morning {

    private static final Logger log = LoggerFactory.getLogger(Morning.class);
    static final int LEADERBOARD_ROWS = 20;
    static final int REFERENCES = 6;
    static final int STRIP_TILES = 4;
    static final int STRIPS = 6;
    static final int TREND_SESSIONS = 12;
    static final int CHANGES = 12;
    /** Without a previous visit, the changes of this many days. */
    static final int FIRST_VISIT_DAYS = 7;

    static final double TISSUE = 0.6;

    // the leaderboard figure (SVG user units)
    static final int FIG_WIDTH = 720;
    static final int LABEL_WIDTH = 230;
    static final int BAR_WIDTH = 400;
    static final int ROW = 22;
    static final int TOP = 8;

    /** A tile image and the page it links to. */
    record Tile(long id, String src, String href, String alt) {}

    /** One leaderboard line: its rank among the non-reference lines (0 for a reference), and where it is drawn. */
    record Line(
            int rank,
            Standings.Result result,
            String name,
            String href,
            boolean reference,
            String kind,
            double x,
            double y,
            double width,
            String value) {

        public String evaluationHref() {
            return result.evaluationHref();
        }

        /** The label's baseline in the figure. */
        public double textY() {
            return y + ROW * 0.68;
        }
    }

    /** A standing's leaderboard; {@code height} and the axis are the figure's. */
    record Leaderboard(
            List<Line> lines,
            List<Line> references,
            List<Line> all,
            int shown,
            int total,
            double max,
            int height,
            String axis) {

        public int barLeft() {
            return LABEL_WIDTH;
        }

        public int width() {
            return FIG_WIDTH;
        }

        /** The axis under the bars; the reference lines' labels go under it, one line each. */
        public int axisY() {
            return TOP + Math.max(1, lines.size()) * ROW + 4;
        }
    }

    /** A source H&amp;E tile and the best checkpoint's tile made from it. */
    record Pair(Tile source, Tile generated) {}

    /** The best checkpoint's tiles beside their sources and real tiles of the target. */
    record Strip(
            String checkpointName,
            String checkpointHref,
            String sourceName,
            String sourceHref,
            String galleryHref,
            List<Pair> pairs,
            String realName,
            String realHref,
            List<Tile> real) {}

    /** One review session on the trend: pooled accuracy with its Wilson interval, drawn at (x, y). */
    record TrendPoint(
            String name,
            String href,
            String mode,
            double accuracy,
            double low,
            double high,
            long n,
            double x,
            double y,
            double yLow,
            double yHigh) {

        public String text() {
            return String.format(
                    Locale.ROOT,
                    "%.1f %% (95 %% Wilson %.1f–%.1f %%, n = %d)",
                    100 * accuracy,
                    100 * low,
                    100 * high,
                    n);
        }
    }

    record Trend(List<TrendPoint> points, int width, int height, double chanceY, String path) {}

    /** Something that changed since the last visit, with its page. */
    record Change(Instant at, String kind, String text, String href) {}

    record Board(
            Map<String, Leaderboard> leaderboards,
            Map<String, Strip> strips,
            Trend trend,
            Optional<ReportHeadlines.FrozenReport> latestReport,
            Instant since,
            boolean firstVisit,
            List<Change> changes,
            int moreChanges) {

        /** "Since your last visit", or on a first visit "The last 7 days". */
        public String changesTitle() {
            return firstVisit ? "The last " + FIRST_VISIT_DAYS + " days" : "Since your last visit";
        }
    }

    private final Checkpoints checkpoints;
    private final Catalog catalog;
    private final CatalogTiles tiles;
    private final Galleries galleries;
    private final Evaluations evaluations;
    private final ReviewHeadlines reviews;
    private final ReportHeadlines reports;
    private final Visits visits;

    Morning(
            Checkpoints checkpoints,
            Catalog catalog,
            CatalogTiles tiles,
            Galleries galleries,
            Evaluations evaluations,
            ReviewHeadlines reviews,
            ReportHeadlines reports,
            Visits visits) {
        this.checkpoints = checkpoints;
        this.catalog = catalog;
        this.tiles = tiles;
        this.galleries = galleries;
        this.evaluations = evaluations;
        this.reviews = reviews;
        this.reports = reports;
        this.visits = visits;
    }

    Board board(Dashboard.View v, String user) {
        Map<Long, Optional<Checkpoint>> cks = new HashMap<>();
        Map<String, Leaderboard> boards = new LinkedHashMap<>();
        Map<String, List<Standings.Result>> byGroup = new LinkedHashMap<>();
        for (Standings.Result r : v.results()) {
            byGroup.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
        }
        for (Standings.Standing s : v.standings()) {
            boards.put(s.group(), leaderboard(byGroup.getOrDefault(s.group(), List.of()), cks));
        }
        Map<String, Strip> strips = new LinkedHashMap<>();
        // strips for the most recently evaluated sections first (what a supervisor looks at this morning), at most
        // STRIPS
        Map<String, Instant> latest = new HashMap<>();
        for (Standings.Result r : v.results()) {
            latest.merge(
                    r.group(), r.finishedAt() == null ? Instant.EPOCH : r.finishedAt(), (x, y) -> x.isAfter(y) ? x : y);
        }
        List<Standings.Standing> recentFirst = new ArrayList<>(v.standings());
        recentFirst.sort(Comparator.comparing((Standings.Standing s) -> latest.getOrDefault(s.group(), Instant.EPOCH))
                .reversed());
        for (Standings.Standing s : recentFirst) {
            if (strips.size() >= STRIPS) {
                break;
            }
            try {
                strip(s, cks).ifPresent(x -> strips.put(s.group(), x));
            } catch (RuntimeException e) {
                // a strip is an illustration: a dataset removed meanwhile leaves it out, never the page
                log.debug("No tile strip for {}: {}", s.group(), e.getMessage());
            }
        }
        Instant previous = user == null ? null : visits.seen(user, v.now());
        Instant since = previous != null ? previous : v.now().minus(Duration.ofDays(FIRST_VISIT_DAYS));
        List<Change> changes = changes(v, since);
        int more = Math.max(0, changes.size() - CHANGES);
        return new Board(
                boards,
                strips,
                trend(),
                reports.latestFrozen(),
                since,
                previous == null,
                changes.subList(0, Math.min(CHANGES, changes.size())),
                more);
    }

    private Optional<Checkpoint> checkpoint(Long id, Map<Long, Optional<Checkpoint>> cache) {
        return id == null ? Optional.empty() : cache.computeIfAbsent(id, checkpoints::find);
    }

    /** Reinhard and stain remapping: the classical baselines every model must beat, drawn as reference lines. */
    static boolean reference(Checkpoint c) {
        return c.kind() == CheckpointKind.REINHARD || c.kind() == CheckpointKind.STAIN_REMAP;
    }

    Leaderboard leaderboard(List<Standings.Result> results, Map<Long, Optional<Checkpoint>> cks) {
        List<Standings.Result> ranked = Standings.leaderboard(results);
        double max =
                ranked.stream().mapToDouble(r -> Math.max(0, r.mean())).max().orElse(1);
        max = niceCeiling(max <= 0 ? 1 : max);
        List<Line> lines = new ArrayList<>();
        List<Line> refs = new ArrayList<>();
        List<Line> all = new ArrayList<>();
        int rank = 0;
        int others = 0;
        for (Standings.Result r : ranked) {
            Optional<Checkpoint> c = checkpoint(r.checkpointId(), cks);
            boolean ref = c.map(Morning::reference).orElse(false);
            String name = r.checkpointName() != null ? r.checkpointName() : r.label();
            String href = c.map(Checkpoint::href).orElse(r.evaluationHref());
            String kind = c.map(x -> x.kind().label()).orElse("imported row");
            String value = Evaluations.number(r.mean())
                    + (r.std() != null && !r.seedInvariant() ? " ± " + Evaluations.number(r.std()) : "");
            double x = LABEL_WIDTH + BAR_WIDTH * Math.max(0, r.mean()) / max;
            if (ref) {
                if (refs.size() < REFERENCES) {
                    Line l = new Line(0, r, name, href, true, kind, x, 0, 0, value);
                    refs.add(l);
                    all.add(l);
                }
                continue;
            }
            rank++;
            if (lines.size() >= LEADERBOARD_ROWS) {
                others++;
                continue;
            }
            Line l = new Line(
                    rank,
                    r,
                    name,
                    href,
                    false,
                    kind,
                    x,
                    TOP + lines.size() * ROW,
                    BAR_WIDTH * Math.max(0, r.mean()) / max,
                    value);
            lines.add(l);
            all.add(l);
        }
        // axis, its tick labels, then one label line per reference line
        int height = TOP + Math.max(1, lines.size()) * ROW + 4 + 24 + 14 * refs.size() + 4;
        return new Leaderboard(lines, refs, all, lines.size(), rank, max, height, Evaluations.number(max));
    }

    /** 1, 2 or 5 × a power of ten, at least {@code x}. */
    static double niceCeiling(double x) {
        double p = Math.pow(10, Math.floor(Math.log10(x)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= x) {
                return m * p;
            }
        }
        return 10 * p;
    }

    Optional<Strip> strip(Standings.Standing s, Map<Long, Optional<Checkpoint>> cks) {
        Standings.Result best = s.best();
        Optional<Checkpoint> ck = checkpoint(best.checkpointId(), cks);
        if (ck.isEmpty()) {
            return Optional.empty();
        }
        // a ready set on real tissue first: procedurally drawn tiles only when the checkpoint has no other H&E set
        List<GeneratedSet> onHe = checkpoints.sets(ck.get().id()).stream()
                .filter(g -> catalog.dataset(g.sourceDatasetId())
                        .map(d -> d.stain() == Stain.HE)
                        .orElse(false))
                .toList();
        Optional<GeneratedSet> set = onHe.stream()
                .filter(g -> g.status() == GeneratedSetStatus.READY)
                .filter(g -> catalog.dataset(g.sourceDatasetId())
                        .map(d -> !Galleries.synthetic(d))
                        .orElse(false))
                .findFirst()
                .or(() -> onHe.stream().findFirst());
        if (set.isEmpty()) {
            return Optional.empty();
        }
        Galleries.Gallery g = galleries.random(new GalleryQuery(
                set.get().sourceDatasetId(), List.of(ck.get().id()), STRIP_TILES, 1L, TISSUE, TISSUE, null, 200, 3));
        if (g.source() == null || g.rows().isEmpty()) {
            return Optional.empty();
        }
        String gallery = g.permalink();
        List<Pair> pairs = new ArrayList<>();
        for (Galleries.Row row : g.rows()) {
            if (row.cells().size() < 2) {
                continue;
            }
            Galleries.Cell src = row.cells().get(0);
            Galleries.Cell gen = row.cells().get(1);
            pairs.add(new Pair(
                    new Tile(
                            src.tileId(),
                            thumb(src.tileId()),
                            "/tiles/" + src.tileId(),
                            "H&E source, " + row.sourceArchiveName() + " #" + row.index()),
                    new Tile(
                            gen.tileId(),
                            thumb(gen.tileId()),
                            gallery,
                            ck.get().name() + " from " + row.sourceArchiveName() + " #" + row.index())));
        }
        Long realId = evaluations
                .find(best.evaluationId())
                .map(Evaluation::realDatasetId)
                .orElse(null);
        List<Tile> real = new ArrayList<>();
        String realName = null;
        if (realId != null) {
            Optional<Dataset> d = catalog.dataset(realId);
            realName = d.map(Dataset::name).orElse(null);
            Optional<Archive> first = catalog.archives(realId).stream()
                    .filter(a -> a.status() == ArchiveStatus.READY)
                    .min(Comparator.comparingLong(Archive::id));
            if (first.isPresent()) {
                List<TileInfo> ts = tiles.withTissue(List.of(first.get().id()), TISSUE, TISSUE);
                if (ts.isEmpty()) {
                    ts = tiles.tiles(first.get().id());
                }
                for (TileInfo t : ts.stream().limit(STRIP_TILES).toList()) {
                    real.add(new Tile(
                            t.id(),
                            thumb(t.id()),
                            "/tiles/" + t.id(),
                            s.target() + " (real), " + first.get().fileName() + " #" + t.index()));
                }
            }
        }
        return Optional.of(new Strip(
                ck.get().name(),
                ck.get().href(),
                g.source().name(),
                "/datasets/" + g.source().id(),
                gallery,
                pairs,
                realName,
                realId == null ? null : "/datasets/" + realId,
                real));
    }

    private static String thumb(long tileId) {
        return "/tiles/" + tileId + "/thumb";
    }

    /** The pooled accuracy of the latest 2AFC and real-or-virtual sessions, oldest first (an empty trend without any). */
    Trend trend() {
        List<ReviewHeadlines.SessionRef> refs = new ArrayList<>(reviews.sessions(TREND_SESSIONS));
        java.util.Collections.reverse(refs);
        List<Object[]> raw = new ArrayList<>();
        for (ReviewHeadlines.SessionRef ref : refs) {
            reviews.headline(ref.id())
                    .flatMap(h -> h.accuracy().stream().max(Comparator.comparingLong(ReviewHeadlines.AccuracyLine::n)))
                    .filter(a -> a.n() > 0)
                    .ifPresent(a -> raw.add(new Object[] {ref, a}));
        }
        int width = 640;
        int height = 180;
        double left = 40;
        double right = width - 20;
        double top = 10;
        double bottom = height - 30;
        List<TrendPoint> points = new ArrayList<>();
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < raw.size(); i++) {
            ReviewHeadlines.SessionRef ref = (ReviewHeadlines.SessionRef) raw.get(i)[0];
            ReviewHeadlines.AccuracyLine a = (ReviewHeadlines.AccuracyLine) raw.get(i)[1];
            double x = raw.size() == 1 ? (left + right) / 2 : left + (right - left) * i / (raw.size() - 1);
            double y = bottom - (bottom - top) * a.accuracy();
            points.add(new TrendPoint(
                    ref.name(),
                    ref.href() + "/results",
                    ref.mode(),
                    a.accuracy(),
                    a.low(),
                    a.high(),
                    a.n(),
                    x,
                    y,
                    bottom - (bottom - top) * a.low(),
                    bottom - (bottom - top) * a.high()));
            path.append(i == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        }
        return new Trend(points, width, height, bottom - (bottom - top) * 0.5, path.toString());
    }

    /** What happened after {@code since}, newest first: evaluations finished, new bests, reports frozen, checkpoints, sessions. */
    List<Change> changes(Dashboard.View v, Instant since) {
        List<Change> out = new ArrayList<>();
        java.util.Set<Long> evaluationsSeen = new java.util.HashSet<>();
        for (Standings.Result r : v.results()) {
            if (r.finishedAt() != null && r.finishedAt().isAfter(since) && evaluationsSeen.add(r.evaluationId())) {
                out.add(new Change(
                        r.finishedAt(),
                        "evaluation",
                        "Evaluation '" + r.evaluationName() + "' finished (" + r.target() + ")",
                        r.evaluationHref()));
            }
        }
        for (Standings.Standing s : v.standings()) {
            Double before = null;
            for (Standings.Step p : s.overTime()) {
                if (p.improved() && p.at().isAfter(since)) {
                    String who = p.holder().checkpointName() != null
                            ? p.holder().checkpointName()
                            : p.holder().label();
                    out.add(new Change(
                            p.at(),
                            "new best",
                            s.target() + ": new best " + v.metric().label() + " "
                                    + Evaluations.number(p.value()) + " by " + who
                                    + (before == null ? "" : " (was " + Evaluations.number(before) + ")"),
                            p.holder().evaluationHref()));
                }
                before = p.value();
            }
        }
        for (ReportHeadlines.FrozenReport r : reports.frozenSince(since, CHANGES)) {
            out.add(new Change(
                    r.frozenAt(), "report", "Report '" + r.title() + "' frozen by " + r.frozenBy(), r.href()));
        }
        checkpoints.all().stream()
                .filter(c -> c.createdAt() != null && c.createdAt().isAfter(since))
                .sorted(Comparator.comparing(Checkpoint::createdAt).reversed())
                .limit(CHANGES)
                .forEach(c -> out.add(new Change(
                        c.createdAt(),
                        "checkpoint",
                        "Checkpoint '" + c.name() + "' registered (" + c.kind().label() + ")",
                        c.href())));
        for (var r : v.reviews()) {
            if (r.createdAt() != null && r.createdAt().isAfter(since)) {
                out.add(new Change(
                        r.createdAt(),
                        "review",
                        "Review session '" + r.name() + "' created (" + r.mode() + ")",
                        r.resultsHref()));
            }
        }
        out.sort(Comparator.comparing(Change::at).reversed());
        return out;
    }
}
