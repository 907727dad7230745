package org.stainbench.reports;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.evaluation.ComparisonTable;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Metric;
import org.stainbench.galleries.Galleries;
import org.stainbench.galleries.GalleryQuery;
import org.stainbench.review.ReviewHeadlines;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.shell.Names;

/**
 * Report rules: composing (title, blocks added, edited, removed, moved), resolving each block from live data while
 * the report is a draft, freezing (every block's data kept as a snapshot, gallery images as files; refused whole
 * when a block has no data), refusing every change to a frozen report, duplicating as a new draft. Rule violations
 * are {@link IllegalArgumentException}s whose message is shown as is; nothing is written when one is thrown.
 */
@Service
class Reports {

    static final int MAX_TITLE = 200;
    static final int MAX_TEXT = 20_000;
    static final int MAX_ROWS = 24;
    static final double TISSUE = 0.6;

    /** A change asked of a frozen report. */
    static final class Frozen extends IllegalArgumentException {
        Frozen(String message) {
            super(message);
        }
    }

    private final ReportStore store;
    private final Evaluations evaluations;
    private final Galleries galleries;
    private final ReviewHeadlines reviews;
    private final Catalog catalog;
    private final CatalogTiles tiles;
    private final Checkpoints checkpoints;
    private final ReportImages images;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Reports(
            ReportStore store,
            Evaluations evaluations,
            Galleries galleries,
            ReviewHeadlines reviews,
            Catalog catalog,
            CatalogTiles tiles,
            Checkpoints checkpoints,
            ReportImages images,
            TransactionTemplate tx,
            ApplicationEventPublisher events,
            Clock clock) {
        this.store = store;
        this.evaluations = evaluations;
        this.galleries = galleries;
        this.reviews = reviews;
        this.catalog = catalog;
        this.tiles = tiles;
        this.checkpoints = checkpoints;
        this.images = images;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    Report require(long id) {
        return store.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No report with id " + id + "."));
    }

    Optional<Report> byTitle(String title) {
        return store.findByTitle(title);
    }

    List<Report> list(int offset, int limit) {
        return store.list(offset, limit);
    }

    long count() {
        return store.count();
    }

    List<Block> blocks(long reportId) {
        return store.blocks(reportId);
    }

    Block block(long reportId, long blockId) {
        return store.block(reportId, blockId)
                .orElseThrow(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND, "Report " + reportId + " has no block " + blockId + "."));
    }

    static String title(String t) {
        String s = t == null ? "" : t.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("Give the report a title.");
        }
        Names.check("The report title", t);
        if (s.length() > MAX_TITLE) {
            throw new IllegalArgumentException(
                    "The title is " + s.length() + " characters long; at most " + MAX_TITLE + ".");
        }
        return s;
    }

    /** A new draft; with {@code markdown}, its first block is that text. */
    Report create(String title, String markdown, String by) {
        String t = title(title);
        BlockSettings text =
                markdown == null || markdown.isBlank() ? null : validate(BlockKind.TEXT, BlockSettings.text(markdown));
        long id = tx.execute(s -> {
            long r = store.insertReport(t, null, by, clock.instant());
            if (text != null) {
                store.insertBlock(r, 0, BlockKind.TEXT, text, null);
            }
            return r;
        });
        events.publishEvent(
                Activity.of(by, "created", ActivitySubject.REPORT, id, "Created report '" + t + "'", "/reports/" + id));
        return require(id);
    }

    private Report draft(long id) {
        Report r = require(id);
        if (r.frozen()) {
            throw new Frozen("'" + r.title() + "' is frozen (at " + r.frozenAt() + " by " + r.frozenBy()
                    + "): it cannot be edited. Duplicate it to edit a copy.");
        }
        return r;
    }

    private void edited(Report r, String by, String what) {
        store.touch(r.id(), clock.instant());
        events.publishEvent(Activity.of(
                by, "edited", ActivitySubject.REPORT, r.id(), what + " in report '" + r.title() + "'", r.href()));
    }

    void rename(long id, String title, String by) {
        Report r = draft(id);
        String t = title(title);
        store.rename(id, t, clock.instant());
        events.publishEvent(Activity.of(
                by,
                "edited",
                ActivitySubject.REPORT,
                id,
                "Renamed report '" + r.title() + "' to '" + t + "'",
                r.href()));
    }

    long addBlock(long id, BlockKind kind, BlockSettings settings, String by) {
        Report r = draft(id);
        BlockSettings ok = validate(kind, settings);
        long b = tx.execute(s -> {
            long x = store.insertBlock(id, store.nextPosition(id), kind, ok, null);
            edited(r, by, "Added a " + kind.title().toLowerCase(Locale.ROOT) + " block");
            return x;
        });
        return b;
    }

    void editBlock(long id, long blockId, BlockSettings settings, String by) {
        Report r = draft(id);
        Block b = block(id, blockId);
        BlockSettings ok = validate(b.kind(), settings);
        tx.executeWithoutResult(s -> {
            store.updateSettings(blockId, ok);
            edited(r, by, "Edited the " + b.kind().title().toLowerCase(Locale.ROOT) + " block");
        });
    }

    void removeBlock(long id, long blockId, String by) {
        Report r = draft(id);
        Block b = block(id, blockId);
        tx.executeWithoutResult(s -> {
            store.deleteBlock(blockId);
            renumber(id, store.blocks(id));
            edited(r, by, "Removed a " + b.kind().title().toLowerCase(Locale.ROOT) + " block");
        });
    }

    /** Moves a block up ({@code delta} −1) or down (+1); at an end it stays. */
    void move(long id, long blockId, int delta, String by) {
        Report r = draft(id);
        block(id, blockId);
        tx.executeWithoutResult(s -> {
            List<Block> list = new ArrayList<>(store.blocks(id));
            int i = indexOf(list, blockId);
            int j = i + Integer.signum(delta);
            if (j < 0 || j >= list.size()) {
                return;
            }
            Block x = list.get(i);
            list.set(i, list.get(j));
            list.set(j, x);
            renumber(id, list);
            edited(r, by, "Moved a block " + (delta < 0 ? "up" : "down"));
        });
    }

    private static int indexOf(List<Block> list, long blockId) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id() == blockId) {
                return i;
            }
        }
        throw new IllegalArgumentException("No block " + blockId + ".");
    }

    private void renumber(long id, List<Block> ordered) {
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i).position() != i) {
                store.setPosition(ordered.get(i).id(), i);
            }
        }
    }

    /**
     * Freezes a draft: every block's live data is resolved first (gallery tiles kept as JPEG files by SHA-256); if a block
     * has no data the report stays a draft and the message says which. Then status and snapshots in one transaction.
     */
    Report freeze(long id, String by) {
        Report r = draft(id);
        List<Block> blocks = store.blocks(id);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("'" + r.title() + "' has no blocks yet: add one before freezing it.");
        }
        Map<Long, String> snapshots = new java.util.LinkedHashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            BlockData d = live(b);
            if (d.problem() != null) {
                throw new IllegalArgumentException(
                        "Block " + (i + 1) + " (" + b.kind().title().toLowerCase(Locale.ROOT) + ") cannot be frozen: "
                                + d.problem() + " The report stays a draft.");
            }
            snapshots.put(b.id(), ReportStore.JSON.writeValueAsString(keepImages(d)));
        }
        Instant at = clock.instant();
        tx.executeWithoutResult(s -> {
            if (!store.freeze(id, by, at)) {
                throw new Frozen("'" + r.title() + "' was frozen meanwhile.");
            }
            snapshots.forEach(store::setSnapshot);
        });
        events.publishEvent(Activity.of(
                by,
                "frozen",
                ActivitySubject.REPORT,
                id,
                "Froze report '" + r.title() + "' (" + blocks.size() + " block" + (blocks.size() == 1 ? "" : "s") + ")",
                r.href()));
        return require(id);
    }

    private BlockData keepImages(BlockData d) {
        if (d.gallery() == null) {
            return d;
        }
        BlockData.GallerySnap g = d.gallery();
        List<BlockData.GalleryRow> rows = new ArrayList<>();
        for (BlockData.GalleryRow row : g.rows()) {
            List<BlockData.GalleryCell> cells = new ArrayList<>();
            for (BlockData.GalleryCell c : row.cells()) {
                byte[] jpeg = liveImage(c.tileId())
                        .orElseThrow(() -> new IllegalArgumentException(
                                "Tile " + c.tileId() + " of the gallery has no image any more."));
                cells.add(new BlockData.GalleryCell(c.tileId(), c.title(), images.put(jpeg)));
            }
            rows.add(new BlockData.GalleryRow(row.label(), cells));
        }
        return new BlockData(
                d.table(),
                new BlockData.GallerySnap(
                        g.mode(), g.sourceName(), g.seed(), g.permalink(), g.columns(), rows, g.notes()),
                d.review(),
                null);
    }

    Optional<byte[]> liveImage(long tileId) {
        Optional<TileInfo> t = tiles.tile(tileId);
        return t.map(tiles::thumbnail);
    }

    /** The image of a gallery cell as the report shows it: the kept file when frozen, the tile's thumbnail when live. */
    Optional<byte[]> image(BlockData.GalleryCell c) {
        return c.sha256() != null ? images.get(c.sha256()) : liveImage(c.tileId());
    }

    /** A new draft with the same blocks (their settings; live data again). */
    Report duplicate(long id, String by) {
        Report r = require(id);
        String t = "Copy of " + r.title();
        String title = t.length() > MAX_TITLE ? t.substring(0, MAX_TITLE) : t;
        long copy = tx.execute(s -> {
            long c = store.insertReport(title, id, by, clock.instant());
            for (Block b : store.blocks(id)) {
                store.insertBlock(c, b.position(), b.kind(), b.settings(), null);
            }
            return c;
        });
        events.publishEvent(Activity.of(
                by,
                "created",
                ActivitySubject.REPORT,
                copy,
                "Created report '" + title + "' as a copy of '" + r.title() + "'",
                "/reports/" + copy));
        return require(copy);
    }

    void exported(Report r, String format, String by) {
        events.publishEvent(Activity.of(
                by,
                "exported",
                ActivitySubject.REPORT,
                r.id(),
                "Exported report '" + r.title() + "' as " + format,
                r.href()));
    }

    // block data

    /** What the block shows: its snapshot when the report is frozen, live data otherwise. */
    BlockData data(Report r, Block b) {
        if (r.frozen() && b.snapshot() != null) {
            return ReportStore.JSON.readValue(b.snapshot(), BlockData.class);
        }
        return live(b);
    }

    BlockData live(Block b) {
        BlockSettings s = b.settings();
        try {
            return switch (b.kind()) {
                case TEXT -> BlockData.none();
                case TABLE -> table(s.evaluationId(), s.metrics());
                case CHART -> table(s.evaluationId(), List.of());
                case GALLERY -> gallery(s);
                case REVIEW -> reviews.headline(s.sessionId())
                        .map(h -> new BlockData(null, null, h, null))
                        .orElse(BlockData.problem("Review session " + s.sessionId() + " no longer exists."));
            };
        } catch (IllegalArgumentException | ResponseStatusException e) {
            return BlockData.problem(e instanceof ResponseStatusException rs ? rs.getReason() : e.getMessage());
        }
    }

    private BlockData table(Long evaluationId, List<String> metrics) {
        Optional<Evaluation> e = evaluations.find(evaluationId);
        if (e.isEmpty()) {
            return BlockData.problem("Evaluation " + evaluationId + " no longer exists.");
        }
        if (!"DONE".equals(e.get().status())) {
            return BlockData.problem("Evaluation '" + e.get().name() + "' has no results yet ("
                    + e.get().status().toLowerCase(Locale.ROOT) + ").");
        }
        ComparisonTable t = evaluations.table(evaluationId);
        if (!metrics.isEmpty()) {
            List<Metric> chosen =
                    t.metrics().stream().filter(m -> metrics.contains(m.key())).toList();
            t = new ComparisonTable(
                    t.evaluationId(),
                    t.evaluationName(),
                    t.origin(),
                    t.extractorSha256(),
                    chosen,
                    t.lines(),
                    t.replicates());
        }
        return new BlockData(t, null, null, null);
    }

    GalleryQuery galleryQuery(BlockSettings s) {
        int rows = s.rows() == null ? 4 : s.rows();
        boolean random = !"best-worst".equals(s.gallery());
        // a random gallery ranks nothing: only best/worst names the checkpoint it ranks by (its column says "(ranked)")
        return new GalleryQuery(
                s.sourceId(),
                s.checkpoints(),
                random ? rows : 6,
                s.seed() == null ? 1L : s.seed(),
                TISSUE,
                TISSUE,
                random || s.checkpoints().isEmpty() ? null : s.checkpoints().get(0),
                200,
                random ? 3 : rows);
    }

    private BlockData gallery(BlockSettings s) {
        boolean random = !"best-worst".equals(s.gallery());
        Galleries.Gallery g = random ? galleries.random(galleryQuery(s)) : galleries.bestWorst(galleryQuery(s));
        if (g.source() == null) {
            return BlockData.problem(String.join(" ", g.notes()));
        }
        List<String> columns = g.columns().stream().map(Galleries.Column::title).toList();
        List<BlockData.GalleryRow> rows = g.rows().stream()
                .map(r -> new BlockData.GalleryRow(
                        r.label(),
                        r.cells().stream()
                                .map(c -> new BlockData.GalleryCell(c.tileId(), c.title(), null))
                                .toList()))
                .toList();
        if (rows.isEmpty()) {
            return BlockData.problem("The gallery has no rows: " + String.join(" ", g.notes()));
        }
        return new BlockData(
                null,
                new BlockData.GallerySnap(
                        random ? "random" : "best-worst",
                        g.source().name(),
                        random ? g.query().seed() : null,
                        g.permalink(),
                        columns,
                        rows,
                        g.notes()),
                null,
                null);
    }

    // validation

    BlockSettings validate(BlockKind kind, BlockSettings s) {
        return switch (kind) {
            case TEXT -> {
                String md = s.markdown() == null ? "" : s.markdown().strip();
                if (md.isEmpty()) {
                    throw new IllegalArgumentException("The text block is empty: write some Markdown.");
                }
                if (md.length() > MAX_TEXT) {
                    throw new IllegalArgumentException(
                            "The text is " + md.length() + " characters long; at most " + MAX_TEXT + ".");
                }
                yield BlockSettings.text(md);
            }
            case TABLE -> BlockSettings.table(evaluation(s.evaluationId()), metricKeys(s.metrics()));
            case CHART -> {
                long e = evaluation(s.evaluationId());
                List<String> m = metricKeys(s.metrics());
                String chart = s.chart() == null || s.chart().isBlank()
                        ? "bar"
                        : s.chart().trim().toLowerCase(Locale.ROOT);
                if (!List.of("bar", "epoch", "both").contains(chart)) {
                    throw new IllegalArgumentException("Unknown chart '" + s.chart() + "': choose bar, epoch or both.");
                }
                yield BlockSettings.chart(e, m.isEmpty() ? null : m.get(0), chart);
            }
            case GALLERY -> {
                String mode = s.gallery() == null || s.gallery().isBlank()
                        ? "random"
                        : s.gallery().trim();
                if (!mode.equals("random") && !mode.equals("best-worst")) {
                    throw new IllegalArgumentException("Unknown gallery '" + mode + "': choose random or best-worst.");
                }
                if (s.checkpoints().isEmpty()) {
                    throw new IllegalArgumentException("Choose at least one checkpoint for the gallery.");
                }
                for (Long c : s.checkpoints()) {
                    if (c == null || checkpoints.find(c).isEmpty()) {
                        throw new IllegalArgumentException("No checkpoint with id " + c + ".");
                    }
                }
                if (s.sourceId() != null && catalog.dataset(s.sourceId()).isEmpty()) {
                    throw new IllegalArgumentException("No source dataset with id " + s.sourceId() + ".");
                }
                int rows = s.rows() == null ? 4 : s.rows();
                if (rows < 1 || rows > MAX_ROWS) {
                    throw new IllegalArgumentException(
                            "Rows (or best/worst k) must be between 1 and " + MAX_ROWS + ".");
                }
                yield BlockSettings.gallery(
                        mode, s.sourceId(), s.checkpoints(), s.seed() == null ? 1L : s.seed(), rows);
            }
            case REVIEW -> {
                if (s.sessionId() == null) {
                    throw new IllegalArgumentException("Choose a review session.");
                }
                if (reviews.session(s.sessionId()).isEmpty()) {
                    throw new IllegalArgumentException("No review session with id " + s.sessionId() + ".");
                }
                yield BlockSettings.review(s.sessionId());
            }
        };
    }

    private long evaluation(Long id) {
        if (id == null) {
            throw new IllegalArgumentException("Choose an evaluation.");
        }
        if (evaluations.find(id).isEmpty()) {
            throw new IllegalArgumentException("No evaluation with id " + id + ".");
        }
        return id;
    }

    private static List<String> metricKeys(List<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (k == null || k.isBlank()) {
                continue;
            }
            Metric m = java.util.Arrays.stream(Metric.values())
                    .filter(x -> x.key().equalsIgnoreCase(k.trim()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Unknown metric '" + k.trim() + "'; known: "
                            + java.util.Arrays.stream(Metric.values())
                                    .map(Metric::key)
                                    .collect(Collectors.joining(", "))
                            + "."));
            if (!out.contains(m.key())) {
                out.add(m.key());
            }
        }
        return out;
    }

    // choices for the forms

    List<Evaluation> evaluationChoices() {
        return evaluations.list(0, 200);
    }

    List<Checkpoint> checkpointChoices() {
        return checkpoints.all();
    }

    List<Dataset> sourceChoices() {
        return catalog.datasets().stream().filter(d -> d.stain() == Stain.HE).toList();
    }

    List<ReviewHeadlines.SessionRef> sessionChoices() {
        return reviews.sessions(200);
    }

    List<Report> search(String q, int limit) {
        return store.search(q, limit);
    }
}
