package org.stainbench.review;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedArchive;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.review.ReviewItem.TileRef;

/**
 * Draws a session's tiles (issue 17). One {@link Eligibility} rule for every tile involved: a generated tile is eligible
 * when it and its H&amp;E source pass it, a real control when it passes it. Two ways to draw the generated tiles:
 * <ul>
 * <li>{@code GALLERY} (the default; the galleries' rule): source indices whose source tile and every chosen checkpoint's
 * tile at that index are eligible; the source archives are shuffled with the seed and rows are taken round-robin, one
 * random eligible index per archive in turn, so rows come from distinct slides first; each row gives one item per
 * checkpoint (the same source index in every checkpoint).</li>
 * <li>{@code RANDOM}: per checkpoint, a seeded sample of its eligible generated tiles.</li>
 * </ul>
 * Real controls come from the eligible tiles of the real dataset: a seeded sample, or when {@code matchTissue} each
 * generated tile (in a random order) takes the unused real tile nearest in tissue fraction (nearest-neighbour matching
 * without replacement; in single-tile modes the controls are matched to a random sample of the generated tiles).
 * The image size every rater image is served at is the generated tiles' (the most frequent size among them).
 */
@Component
class ReviewDraws {

    /** A generated tile drawn for a session. */
    record Drawn(long checkpointId, TileRef tile, TileRef source, double tissue) {}

    /** A real control drawn for a session. */
    record Real(TileRef tile, double tissue) {}

    /** What the draw produced: generated tiles, real controls (aligned with the generated ones in 2AFC) and pools. */
    record Draw(
            List<Drawn> generated,
            List<Real> reals,
            List<ReviewSampling.Pool> pools,
            int imageWidth,
            int imageHeight,
            Double generatedTissue,
            Double realTissue) {

        /** How this draw was made and is shown, as stored with session {@code sessionId}. */
        ReviewSampling sampling(long sessionId, Eligibility rule, boolean matchTissue, int repeatMinDistance) {
            return new ReviewSampling(
                    sessionId,
                    rule,
                    matchTissue,
                    repeatMinDistance,
                    imageWidth,
                    imageHeight,
                    generatedTissue,
                    realTissue,
                    pools);
        }
    }

    /** What to draw. */
    record Request(
            String selection,
            long sourceDatasetId,
            List<Long> checkpointIds,
            Map<Long, GeneratedSet> sets,
            int perCheckpoint,
            Long realDatasetId,
            int realNeeded,
            boolean pairs,
            Eligibility rule,
            // realNeeded: real controls of a single-tile session (2AFC: one per generated tile, whatever it says)
            boolean matchTissue,
            long seed,
            Map<Long, String> checkpointNames) {}

    private final Catalog catalog;
    private final CatalogTiles tiles;
    private final Checkpoints checkpoints;

    ReviewDraws(Catalog catalog, CatalogTiles tiles, Checkpoints checkpoints) {
        this.catalog = catalog;
        this.tiles = tiles;
        this.checkpoints = checkpoints;
    }

    Draw draw(Request q) {
        List<ReviewSampling.Pool> pools = new ArrayList<>();
        List<Drawn> generated =
                ReviewSession.GALLERY.equals(q.selection()) ? sameIndex(q, pools) : perCheckpoint(q, pools);
        int need = q.pairs() ? generated.size() : q.realNeeded();
        List<Real> reals = need == 0 ? List.of() : reals(q, generated, need, pools);
        int[] size = imageSize(generated);
        return new Draw(
                generated,
                reals,
                pools,
                size[0],
                size[1],
                mean(generated.stream().mapToDouble(Drawn::tissue).toArray()),
                mean(reals.stream().mapToDouble(Real::tissue).toArray()));
    }

    private static Double mean(double[] xs) {
        if (xs.length == 0) {
            return null;
        }
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    private Map<Integer, TileInfo> byIndex(long archiveId) {
        Map<Integer, TileInfo> out = new HashMap<>();
        for (TileInfo t : tiles.tiles(archiveId)) {
            out.put(t.index(), t);
        }
        return out;
    }

    private String name(Request q, long ck) {
        return "'" + q.checkpointNames().getOrDefault(ck, "checkpoint " + ck) + "'";
    }

    // RANDOM: a seeded sample of each checkpoint's eligible generated tiles

    private List<Drawn> perCheckpoint(Request q, List<ReviewSampling.Pool> pools) {
        List<Drawn> out = new ArrayList<>();
        Map<Long, Map<Integer, TileInfo>> sources = new HashMap<>();
        for (long ck : q.checkpointIds()) {
            List<Drawn> pool = new ArrayList<>();
            int total = 0;
            for (GeneratedArchive g : checkpoints.archives(q.sets().get(ck).id())) {
                Map<Integer, TileInfo> src = sources.computeIfAbsent(g.sourceArchiveId(), this::byIndex);
                for (TileInfo t : tiles.tiles(g.archiveId())) {
                    total++;
                    if (q.rule().passes(t) && q.rule().passes(src.get(t.index()))) {
                        pool.add(new Drawn(
                                ck,
                                new TileRef(g.archiveId(), t.index()),
                                new TileRef(g.sourceArchiveId(), t.index()),
                                t.tissueFraction()));
                    }
                }
            }
            pools.add(new ReviewSampling.Pool(ReviewSampling.POOL_GENERATED, ck, pool.size(), total));
            if (pool.size() < q.perCheckpoint()) {
                throw new IllegalArgumentException("Checkpoint " + name(q, ck) + " has only " + pool.size()
                        + " eligible of "
                        + total + " ingested generated tiles (" + q.rule().text() + "); asked for " + q.perCheckpoint()
                        + ". Relax the eligibility rule or ask for fewer.");
            }
            out.addAll(sample(pool, q.perCheckpoint(), new SplittableRandom(q.seed() * 31 + ck)));
        }
        return out;
    }

    // GALLERY: the galleries' rule, the same source index in every checkpoint

    private List<Drawn> sameIndex(Request q, List<ReviewSampling.Pool> pools) {
        List<Long> cks = q.checkpointIds();
        Map<Long, Map<Long, GeneratedArchive>> generated = new HashMap<>(); // checkpoint -> source archive -> generated
        for (long ck : cks) {
            Map<Long, GeneratedArchive> m = new HashMap<>();
            for (GeneratedArchive g : checkpoints.archives(q.sets().get(ck).id())) {
                m.put(g.sourceArchiveId(), g);
            }
            generated.put(ck, m);
        }
        List<Archive> usable = catalog.archives(q.sourceDatasetId()).stream()
                .filter(a -> a.status() == ArchiveStatus.READY)
                .filter(a -> cks.stream().allMatch(ck -> generated.get(ck).containsKey(a.id())))
                .sorted(Comparator.comparingLong(Archive::id))
                .toList();
        Map<Long, List<Integer>> eligible = new LinkedHashMap<>();
        Map<String, TileInfo> genInfo = new HashMap<>(); // "ck:source archive:index" -> generated tile
        Map<Long, int[]> perCk = new LinkedHashMap<>(); // eligible, total generated tiles of the usable archives
        for (long ck : cks) {
            perCk.put(ck, new int[2]);
        }
        int totalRows = 0;
        for (Archive a : usable) {
            Map<Integer, TileInfo> src = byIndex(a.id());
            Map<Long, Map<Integer, TileInfo>> gen = new HashMap<>();
            for (long ck : cks) {
                Map<Integer, TileInfo> m = byIndex(generated.get(ck).get(a.id()).archiveId());
                gen.put(ck, m);
                int[] c = perCk.get(ck);
                c[1] += m.size();
                c[0] += (int)
                        m.values().stream().filter(t -> q.rule().passes(t)).count();
            }
            List<Integer> rows = new ArrayList<>();
            for (TileInfo s : src.values().stream()
                    .sorted(Comparator.comparingInt(TileInfo::index))
                    .toList()) {
                if (cks.stream().anyMatch(ck -> !gen.get(ck).containsKey(s.index()))) {
                    continue;
                }
                totalRows++;
                if (q.rule().passes(s)
                        && cks.stream()
                                .allMatch(ck -> q.rule().passes(gen.get(ck).get(s.index())))) {
                    rows.add(s.index());
                    for (long ck : cks) {
                        genInfo.put(
                                ck + ":" + a.id() + ":" + s.index(), gen.get(ck).get(s.index()));
                    }
                }
            }
            eligible.put(a.id(), rows);
        }
        int poolRows = eligible.values().stream().mapToInt(List::size).sum();
        pools.add(new ReviewSampling.Pool(ReviewSampling.POOL_ROWS, null, poolRows, totalRows));
        perCk.forEach((ck, c) -> pools.add(new ReviewSampling.Pool(ReviewSampling.POOL_GENERATED, ck, c[0], c[1])));
        if (poolRows < q.perCheckpoint()) {
            throw new IllegalArgumentException(
                    "Only " + poolRows + " of " + totalRows + " source tiles have an eligible tile in"
                            + " every chosen checkpoint (" + q.rule().text() + "); asked for " + q.perCheckpoint()
                            + " rows. Relax the eligibility rule, choose fewer checkpoints or ask for fewer.");
        }
        // the galleries' order: archives shuffled with the seed, then one random eligible index per archive in turn
        SplittableRandom rnd = new SplittableRandom(q.seed());
        List<Long> order = new ArrayList<>(eligible.keySet());
        for (int i = order.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Long t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        Map<Long, List<Integer>> remaining = new HashMap<>();
        eligible.forEach((a, rows) -> remaining.put(a, new ArrayList<>(rows)));
        List<Drawn> out = new ArrayList<>();
        int picked = 0;
        while (picked < q.perCheckpoint()) {
            for (long a : order) {
                List<Integer> e = remaining.get(a);
                if (picked >= q.perCheckpoint() || e.isEmpty()) {
                    continue;
                }
                int index = e.remove(rnd.nextInt(e.size()));
                picked++;
                for (long ck : cks) {
                    TileInfo t = genInfo.get(ck + ":" + a + ":" + index);
                    out.add(new Drawn(
                            ck,
                            new TileRef(generated.get(ck).get(a).archiveId(), index),
                            new TileRef(a, index),
                            t.tissueFraction()));
                }
            }
        }
        return out;
    }

    // real controls

    private List<Real> reals(Request q, List<Drawn> generated, int n, List<ReviewSampling.Pool> pools) {
        List<Real> pool = new ArrayList<>();
        int total = 0;
        for (Archive a : catalog.archives(q.realDatasetId())) {
            if (a.status() != ArchiveStatus.READY) {
                continue;
            }
            for (TileInfo t : tiles.tiles(a.id())) {
                total++;
                if (q.rule().passes(t)) {
                    pool.add(new Real(new TileRef(a.id(), t.index()), t.tissueFraction()));
                }
            }
        }
        pools.add(new ReviewSampling.Pool(ReviewSampling.POOL_REAL, null, pool.size(), total));
        if (pool.size() < n) {
            throw new IllegalArgumentException("The real IHC dataset has only " + pool.size() + " eligible of " + total
                    + " ingested tiles (" + q.rule().text() + "); " + n
                    + " are needed. Relax the eligibility rule or ask for"
                    + " fewer.");
        }
        SplittableRandom rnd = new SplittableRandom(q.seed() * 17 + 3);
        if (!q.matchTissue()) {
            return sample(pool, n, rnd);
        }
        // targets: the generated tiles (2AFC: each its own pair), else a random sample of them (cycling if fewer)
        List<Double> targets = new ArrayList<>();
        if (q.pairs()) {
            generated.forEach(d -> targets.add(d.tissue()));
        } else {
            List<Drawn> shuffled = sample(new ArrayList<>(generated), generated.size(), rnd);
            for (int i = 0; i < n; i++) {
                targets.add(shuffled.get(i % shuffled.size()).tissue());
            }
        }
        // ties broken at random: shuffle, then a stable sort by tissue fraction
        List<Real> sorted = new ArrayList<>(sample(pool, pool.size(), rnd));
        sorted.sort(Comparator.comparingDouble(Real::tissue));
        double[] keys = sorted.stream().mapToDouble(Real::tissue).toArray();
        TreeSet<Integer> unused = new TreeSet<>();
        for (int i = 0; i < sorted.size(); i++) {
            unused.add(i);
        }
        Real[] out = new Real[n];
        List<Integer> visit = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            visit.add(i);
        }
        for (int i : sample(visit, n, rnd)) {
            double target = targets.get(i);
            int at = lowerBound(keys, target);
            Integer above = unused.ceiling(at);
            Integer below = unused.lower(at);
            int pick;
            if (above == null) {
                pick = below;
            } else if (below == null) {
                pick = above;
            } else {
                pick = Math.abs(keys[above] - target) < Math.abs(keys[below] - target) ? above : below;
            }
            unused.remove(pick);
            out[i] = sorted.get(pick);
        }
        return List.of(out);
    }

    private static int lowerBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first n of a partial Fisher–Yates shuffle of {@code pool} (which it reorders). */
    private static <T> List<T> sample(List<T> pool, int n, SplittableRandom rnd) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(pool.size() - i);
            T t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
            out.add(pool.get(i));
        }
        return out;
    }

    /** The most frequent size among the generated tiles' archives (ties: the larger area). */
    private int[] imageSize(List<Drawn> generated) {
        Map<Long, int[]> sizeOf = new HashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        for (Drawn d : generated) {
            int[] s = sizeOf.computeIfAbsent(d.tile().archiveId(), id -> catalog.archive(id)
                    .filter(a -> a.tileWidth() != null && a.tileHeight() != null)
                    .map(a -> new int[] {a.tileWidth(), a.tileHeight()})
                    .orElseThrow(() -> new IllegalArgumentException("Archive " + id + " has no tile size.")));
            count.merge(s[0] + "x" + s[1], 1, Integer::sum);
        }
        String best = count.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparingLong(e -> area(e.getKey())))
                .map(Map.Entry::getKey)
                .orElse("512x512");
        String[] wh = best.split("x");
        return new int[] {Integer.parseInt(wh[0]), Integer.parseInt(wh[1])};
    }

    private static long area(String wh) {
        String[] p = wh.split("x");
        return Long.parseLong(p[0]) * Long.parseLong(p[1]);
    }
}
