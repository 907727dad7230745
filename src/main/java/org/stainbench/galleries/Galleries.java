package org.stainbench.galleries;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedArchive;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.tiles.Badness;
import org.stainbench.tiles.QualityMeasures;

/**
 * Builds galleries. Rules: every cell of a row shows the same tile index (source archive row i and, for each
 * checkpoint, row i of its generated archive paired with that source archive); a row is only drawn from source
 * tiles passing both tissue thresholds; only source archives that every chosen checkpoint has generated are used.
 */
@Service
public class Galleries {

    static final String RANDOM = "random";
    static final String BEST_WORST = "best-worst";

    private final Catalog catalog;
    private final CatalogTiles tiles;
    private final Checkpoints checkpoints;
    private final GalleryExport export;
    private final ApplicationEventPublisher events;

    Galleries(
            Catalog catalog,
            CatalogTiles tiles,
            Checkpoints checkpoints,
            GalleryExport export,
            ApplicationEventPublisher events) {
        this.catalog = catalog;
        this.tiles = tiles;
        this.checkpoints = checkpoints;
        this.export = export;
        this.events = events;
    }

    /**
     * The gallery as a PNG figure of {@code cell} px cells; the most rows and columns the query can give are checked
     * before the gallery is built or drawn. The export is recorded in the activity trail.
     */
    byte[] figure(String mode, GalleryQuery q, int cell, String by) {
        export.checkFigureSize(
                BEST_WORST.equals(mode) ? 2 * q.k() : q.rows(), q.checkpoints().size() + 1, cell);
        Gallery g = build(mode, q);
        byte[] png = export.figure(g, cell);
        events.publishEvent(Activity.of(
                by,
                "exported",
                ActivitySubject.GALLERY,
                null,
                "Exported the " + mode + " gallery as a figure",
                g.permalink()));
        return png;
    }

    /** The gallery whose tiles {@link #zip} writes; the export is recorded in the activity trail. */
    Gallery forZip(String mode, GalleryQuery q, String by) {
        Gallery g = build(mode, q);
        events.publishEvent(Activity.of(
                by,
                "exported",
                ActivitySubject.GALLERY,
                null,
                "Exported the " + mode + " gallery's tiles",
                g.permalink()));
        return g;
    }

    /** Writes the gallery's tiles as a ZIP. */
    void zip(Gallery g, OutputStream out) throws IOException {
        export.zip(g, out);
    }

    public record Column(String title, Long checkpointId, String href) {}

    /** One tile of a row; {@code quality} is null for the source and for generated tiles not yet measured. */
    public record Cell(long tileId, long archiveId, int index, QualityMeasures quality, Double badness) {

        public String tooltip(Double z) {
            if (quality == null) {
                return "tile " + index;
            }
            return String.format(
                    Locale.ROOT,
                    "tile %d · saturation std %.4f · autocorrelation(16) %.4f · Laplacian var %.6f"
                            + " · DAB+ %.1f %% · mean DAB %.4f · mean H %.4f%s",
                    index,
                    quality.saturationStd(),
                    quality.autocorrelation16(),
                    quality.laplacianVariance709(),
                    100 * quality.dabPositiveFraction(),
                    quality.meanDab(),
                    quality.meanHematoxylin(),
                    badness == null ? "" : String.format(Locale.ROOT, " · badness %.3f", badness));
        }

        public String title() {
            return tooltip(null);
        }
    }

    public record Row(String label, long sourceArchiveId, String sourceArchiveName, int index, List<Cell> cells) {}

    public record Gallery(
            String mode,
            GalleryQuery query,
            Dataset source,
            List<Column> columns,
            List<Row> rows,
            List<String> notes,
            int usableArchives,
            int candidates,
            List<Checkpoint> available,
            List<Dataset> sources) {

        public String permalink() {
            return "/galleries/" + mode + "?" + query.query(mode);
        }
    }

    /** The source dataset, chosen checkpoints and, per usable source archive, the paired generated archives. */
    public record Context(
            GalleryQuery query,
            Dataset source,
            List<Checkpoint> chosen,
            List<Archive> usable,
            Map<Long, Map<Long, GeneratedArchive>> generated,
            List<String> notes,
            List<Checkpoint> available,
            List<Dataset> sources) {}

    /** A dataset of procedurally drawn tiles (the demo's synthetic cohort), not tissue. */
    public static boolean synthetic(Dataset d) {
        return "synthetic".equalsIgnoreCase(d.cohort() == null ? "" : d.cohort().trim());
    }

    Context context(GalleryQuery q) {
        List<Dataset> sources = catalog.datasets().stream()
                .filter(d -> d.stain() == Stain.HE)
                .filter(d -> !checkpoints.setsOnSource(d.id()).isEmpty())
                .toList();
        // with no source chosen, real tissue first: a procedurally drawn ("synthetic" cohort) dataset only when no
        // other
        // H&E dataset has generated tiles (the demo's first gallery shows pathology, issue 18)
        Long sourceId = q.source() != null
                ? q.source()
                : sources.stream()
                        .filter(d -> !synthetic(d))
                        .findFirst()
                        .or(() -> sources.stream().findFirst())
                        .map(Dataset::id)
                        .orElse(null);
        List<String> notes = new ArrayList<>();
        if (sourceId == null) {
            notes.add("No checkpoint has generated tiles yet: register a checkpoint and apply it to a source dataset.");
            return new Context(q, null, List.of(), List.of(), Map.of(), notes, List.of(), sources);
        }
        Dataset source = catalog.dataset(sourceId)
                .orElseThrow(() -> new IllegalArgumentException("No source dataset with id " + sourceId + "."));
        Map<Long, GeneratedSet> setByCheckpoint = checkpoints.setsOnSource(source.id()).stream()
                .collect(Collectors.toMap(GeneratedSet::checkpointId, s -> s, (a, b) -> a, LinkedHashMap::new));
        Map<Long, Checkpoint> byId = checkpoints.all().stream().collect(Collectors.toMap(Checkpoint::id, x -> x));
        List<Checkpoint> available = setByCheckpoint.keySet().stream()
                .map(byId::get)
                .filter(java.util.Objects::nonNull)
                .toList();
        List<Long> ids = q.checkpointsOr(available.stream().map(Checkpoint::id).toList());
        List<Checkpoint> chosen = new ArrayList<>();
        for (Long id : ids) {
            Checkpoint c = byId.get(id);
            if (c == null) {
                notes.add("There is no checkpoint " + id + ".");
            } else if (!setByCheckpoint.containsKey(id)) {
                notes.add("'" + c.name() + "' has not been applied to '" + source.name() + "'; it is left out.");
            } else {
                chosen.add(c);
            }
        }
        Map<Long, Long> checkpointOfSet = new HashMap<>();
        for (Checkpoint c : chosen) {
            checkpointOfSet.put(setByCheckpoint.get(c.id()).id(), c.id());
        }
        List<GeneratedArchive> gen = checkpoints.archivesOfSets(checkpointOfSet.keySet());
        java.util.Set<Long> ready =
                tiles.ready(gen.stream().map(GeneratedArchive::archiveId).toList());
        Map<Long, Map<Long, GeneratedArchive>> generated = new HashMap<>();
        for (Checkpoint c : chosen) {
            generated.put(c.id(), new HashMap<>());
        }
        for (GeneratedArchive g : gen) {
            if (ready.contains(g.archiveId())) {
                generated.get(checkpointOfSet.get(g.generatedSetId())).put(g.sourceArchiveId(), g);
            }
        }
        List<Archive> all = catalog.archives(source.id()).stream()
                .filter(a -> a.status() == ArchiveStatus.READY)
                .sorted(Comparator.comparingLong(Archive::id))
                .toList();
        List<Archive> usable = all.stream()
                .filter(a -> chosen.stream().allMatch(c -> generated.get(c.id()).containsKey(a.id())))
                .toList();
        if (usable.size() < all.size()) {
            notes.add((all.size() - usable.size()) + " of " + all.size()
                    + " source archives are left out: not every chosen "
                    + "checkpoint has an ingested generated archive for them yet.");
        }
        return new Context(q, source, chosen, usable, generated, notes, available, sources);
    }

    /**
     * Per usable source archive, its tiles (by index) that pass the tissue filter and exist in every chosen
     * generated archive; one query for all archives.
     */
    Map<Long, List<TileInfo>> eligible(Context c) {
        Map<Long, Integer> limit = new HashMap<>();
        Map<Long, List<TileInfo>> out = new LinkedHashMap<>();
        for (Archive a : c.usable()) {
            int rows = a.tilesTotal();
            for (Checkpoint ck : c.chosen()) {
                rows = Math.min(rows, c.generated().get(ck.id()).get(a.id()).rows());
            }
            limit.put(a.id(), rows);
            out.put(a.id(), new ArrayList<>());
        }
        for (TileInfo t : tiles.withTissue(
                limit.keySet(), c.query().minTissue(), c.query().minCenter())) {
            if (t.index() < limit.get(t.archiveId())) {
                out.get(t.archiveId()).add(t);
            }
        }
        return out;
    }

    /**
     * Random gallery: usable source archives shuffled with the seed (Fisher–Yates on {@link SplittableRandom}); rows
     * take one random eligible tile from each archive in that order, so rows come from distinct archives until every
     * archive has given one (then a second pass begins).
     */
    public Gallery random(GalleryQuery q) {
        Context c = context(q);
        SplittableRandom rnd = new SplittableRandom(q.seed() == null ? 0 : q.seed());
        List<Archive> order = new ArrayList<>(c.usable());
        for (int i = order.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Archive t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        Map<Long, List<TileInfo>> remaining = new HashMap<>();
        Map<Long, List<TileInfo>> eligible = eligible(c);
        int candidates = 0;
        for (Archive a : order) {
            List<TileInfo> e = new ArrayList<>(eligible.get(a.id()));
            candidates += e.size();
            remaining.put(a.id(), e);
        }
        List<Pick> picks = new ArrayList<>();
        boolean any = true;
        int pass = 0;
        while (picks.size() < q.rows() && any) {
            any = false;
            for (Archive a : order) {
                if (picks.size() >= q.rows()) {
                    break;
                }
                List<TileInfo> e = remaining.get(a.id());
                if (e.isEmpty()) {
                    continue;
                }
                TileInfo t = e.remove(rnd.nextInt(e.size()));
                picks.add(new Pick("row " + (picks.size() + 1), a, t, null));
                any = true;
            }
            pass++;
        }
        List<Row> rows = rows(c, picks, null);
        List<String> notes = new ArrayList<>(c.notes());
        if (rows.size() < q.rows() && c.source() != null) {
            notes.add("Only " + rows.size() + " tiles pass the tissue filter in the usable archives.");
        }
        if (pass > 1) {
            notes.add("There are fewer usable source archives (" + order.size()
                    + ") than rows; some archives give more than one row.");
        }
        return new Gallery(
                RANDOM,
                pin(q, c, q.rank()),
                c.source(),
                columns(c),
                rows,
                notes,
                order.size(),
                candidates,
                c.available(),
                c.sources());
    }

    /**
     * The query with what it resolved to pinned (issue 18): the source dataset shown and the checkpoints shown, in
     * column order, so that its permalink reproduces the page even after new checkpoints are applied to the source.
     */
    static GalleryQuery pin(GalleryQuery q, Context c, Long rank) {
        Long source = c.source() != null ? Long.valueOf(c.source().id()) : q.source();
        List<Long> shown = c.chosen().stream().map(Checkpoint::id).toList();
        return q.with(source, shown.isEmpty() ? q.checkpoints() : shown, rank);
    }

    /** {@link #pin} for a query not yet built: resolves its source and checkpoints only. */
    public GalleryQuery pinned(GalleryQuery q) {
        return pin(q, context(q), q.rank());
    }

    /** A scanned tile of the ranked checkpoint. */
    public record Scanned(Archive source, TileInfo sourceTile, QualityMeasures quality) {}

    /**
     * Best/worst gallery: the first {@code scan} eligible tiles of each usable source archive (by index) are scored by
     * {@link Badness} on the ranked checkpoint's stored measures; best k (lowest) then worst k (highest first).
     */
    public Gallery bestWorst(GalleryQuery q) {
        Context c = context(q);
        List<String> notes = new ArrayList<>(c.notes());
        Checkpoint ranked = c.chosen().stream()
                .filter(x -> x.id() == (q.rank() == null ? -1 : q.rank()))
                .findFirst()
                .orElse(c.chosen().isEmpty() ? null : c.chosen().get(0));
        GalleryQuery rq = pin(q, c, ranked == null ? q.rank() : ranked.id());
        List<Scanned> scanned = scan(c, ranked, notes);
        double[] badness = badness(scanned);
        int[] order = Badness.bestFirst(badness);
        List<Pick> picks = new ArrayList<>();
        int k = Math.min(q.k(), order.length / 2 + order.length % 2);
        for (int i = 0; i < k; i++) {
            Scanned s = scanned.get(order[i]);
            picks.add(new Pick("best " + (i + 1), s.source(), s.sourceTile(), badness[order[i]]));
        }
        for (int i = 0; i < Math.min(q.k(), order.length - k); i++) {
            int o = order[order.length - 1 - i];
            Scanned s = scanned.get(o);
            picks.add(new Pick("worst " + (i + 1), s.source(), s.sourceTile(), badness[o]));
        }
        List<Row> rows = rows(c, picks, ranked);
        Context rc =
                new Context(rq, c.source(), c.chosen(), c.usable(), c.generated(), notes, c.available(), c.sources());
        return new Gallery(
                BEST_WORST,
                rq,
                c.source(),
                columns(rc),
                rows,
                notes,
                c.usable().size(),
                scanned.size(),
                c.available(),
                c.sources());
    }

    List<Scanned> scan(Context c, Checkpoint ranked, List<String> notes) {
        List<Scanned> out = new ArrayList<>();
        if (ranked == null) {
            return out;
        }
        int unmeasured = 0;
        Map<Long, List<TileInfo>> eligible = eligible(c);
        java.util.Set<Integer> indices = new java.util.TreeSet<>();
        List<Long> archives = new ArrayList<>();
        for (Archive a : c.usable()) {
            List<TileInfo> e = eligible.get(a.id());
            e.subList(0, Math.min(c.query().scan(), e.size())).forEach(t -> indices.add(t.index()));
            archives.add(c.generated().get(ranked.id()).get(a.id()).archiveId());
        }
        Map<Long, Map<Integer, QualityMeasures>> quality = checkpoints.quality(archives, indices);
        for (Archive a : c.usable()) {
            List<TileInfo> e = eligible.get(a.id());
            e = e.subList(0, Math.min(c.query().scan(), e.size()));
            GeneratedArchive g = c.generated().get(ranked.id()).get(a.id());
            Map<Integer, QualityMeasures> m = quality.getOrDefault(g.archiveId(), Map.of());
            for (TileInfo t : e) {
                QualityMeasures qm = m.get(t.index());
                if (qm == null) {
                    unmeasured++;
                } else {
                    out.add(new Scanned(a, t, qm));
                }
            }
        }
        if (unmeasured > 0) {
            notes.add(unmeasured + " scanned tiles of '" + ranked.name()
                    + "' have no quality measures yet and are not ranked.");
        }
        return out;
    }

    static double[] badness(List<Scanned> scanned) {
        return Badness.scores(
                scanned.stream().mapToDouble(s -> s.quality().saturationStd()).toArray(),
                scanned.stream()
                        .mapToDouble(s -> s.quality().autocorrelation16())
                        .toArray(),
                scanned.stream()
                        .mapToDouble(s -> s.quality().laplacianVariance709())
                        .toArray());
    }

    private List<Column> columns(Context c) {
        List<Column> cols = new ArrayList<>();
        cols.add(new Column(
                c.source() == null ? "H&E" : "H&E source",
                null,
                c.source() == null ? null : "/datasets/" + c.source().id()));
        for (Checkpoint ck : c.chosen()) {
            boolean ranked = c.query().rank() != null && c.query().rank() == ck.id();
            cols.add(new Column(ck.name() + (ranked ? " (ranked)" : ""), ck.id(), ck.href()));
        }
        return cols;
    }

    /** A chosen source tile and, in the best/worst gallery, its badness under the ranked checkpoint. */
    record Pick(String label, Archive source, TileInfo sourceTile, Double badness) {}

    /** The cells of the picked rows: tile ids and measures of all generated tiles in two queries. */
    private List<Row> rows(Context c, List<Pick> picks, Checkpoint ranked) {
        java.util.Set<Long> archives = new java.util.LinkedHashSet<>();
        java.util.Set<Integer> indices = new java.util.TreeSet<>();
        for (Pick p : picks) {
            indices.add(p.sourceTile().index());
            for (Checkpoint ck : c.chosen()) {
                archives.add(c.generated().get(ck.id()).get(p.source().id()).archiveId());
            }
        }
        Map<Long, Map<Integer, TileInfo>> found = new HashMap<>();
        for (TileInfo t : tiles.at(archives, indices)) {
            found.computeIfAbsent(t.archiveId(), x -> new HashMap<>()).put(t.index(), t);
        }
        Map<Long, Map<Integer, QualityMeasures>> quality = checkpoints.quality(archives, indices);
        List<Row> rows = new ArrayList<>();
        for (Pick p : picks) {
            int index = p.sourceTile().index();
            List<Cell> cells = new ArrayList<>();
            cells.add(new Cell(p.sourceTile().id(), p.source().id(), index, null, null));
            for (Checkpoint ck : c.chosen()) {
                long g = c.generated().get(ck.id()).get(p.source().id()).archiveId();
                TileInfo t = found.getOrDefault(g, Map.of()).get(index);
                if (t == null) {
                    throw new IllegalStateException("generated archive " + g + " has no tile " + index);
                }
                cells.add(new Cell(
                        t.id(),
                        g,
                        index,
                        quality.getOrDefault(g, Map.of()).get(index),
                        ranked != null && ranked.id() == ck.id() ? p.badness() : null));
            }
            rows.add(new Row(p.label(), p.source().id(), p.source().fileName(), index, cells));
        }
        return rows;
    }

    Gallery build(String mode, GalleryQuery q) {
        return BEST_WORST.equals(mode) ? bestWorst(q) : random(q);
    }
}
