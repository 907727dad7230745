package org.stainbench.galleries;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Everything that determines a gallery; its query string is the permalink.
 *
 * @param source     the source (H&amp;E) dataset
 * @param checkpoints the chosen checkpoints, in column order
 * @param rows       rows of the random gallery
 * @param seed       the random gallery's seed
 * @param minTissue  tissue fraction of the whole source tile, at least
 * @param minCenter  tissue fraction of the source tile's central 512 crop, at least
 * @param rank       the checkpoint ranked by the best/worst gallery
 * @param scan       tissue-filtered tiles scanned per source archive (best/worst)
 * @param k          best k and worst k
 */
public record GalleryQuery(
        Long source,
        List<Long> checkpoints,
        int rows,
        Long seed,
        double minTissue,
        double minCenter,
        Long rank,
        int scan,
        int k) {

    static final int DEFAULT_ROWS = 6;
    static final double DEFAULT_TISSUE = 0.6;
    static final int DEFAULT_SCAN = 200;
    static final int DEFAULT_K = 3;
    static final int MAX_ROWS = 100;

    public GalleryQuery {
        checkpoints = checkpoints == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(checkpoints));
        if (rows < 1 || rows > MAX_ROWS) {
            throw new IllegalArgumentException("Rows must be between 1 and " + MAX_ROWS + ".");
        }
        if (!(minTissue >= 0 && minTissue <= 1) || !(minCenter >= 0 && minCenter <= 1)) {
            throw new IllegalArgumentException("Tissue thresholds are fractions between 0 and 1.");
        }
        if (scan < 1 || scan > 100_000) {
            throw new IllegalArgumentException("The scan size per archive is between 1 and 100000.");
        }
        if (k < 1 || k > 50) {
            throw new IllegalArgumentException("k (best and worst tiles shown) is between 1 and 50.");
        }
    }

    static GalleryQuery of(
            Long source,
            List<Long> ck,
            Integer rows,
            Long seed,
            Double minTissue,
            Double minCenter,
            Long rank,
            Integer scan,
            Integer k) {
        return new GalleryQuery(
                source,
                ck,
                rows == null ? DEFAULT_ROWS : rows,
                seed,
                minTissue == null ? DEFAULT_TISSUE : minTissue,
                minCenter == null ? DEFAULT_TISSUE : minCenter,
                rank,
                scan == null ? DEFAULT_SCAN : scan,
                k == null ? DEFAULT_K : k);
    }

    GalleryQuery withSeed(long s) {
        return new GalleryQuery(source, checkpoints, rows, s, minTissue, minCenter, rank, scan, k);
    }

    GalleryQuery with(Long src, List<Long> ck, Long rk) {
        return new GalleryQuery(src, ck, rows, seed, minTissue, minCenter, rk, scan, k);
    }

    /** The next seed of the "reshuffle" chain: a pure function of this one. */
    public long nextSeed() {
        return new java.util.SplittableRandom(seed == null ? 0 : seed).nextLong(1, 1_000_000_000L);
    }

    /** Query string (without '?') of the parameters that matter to {@code mode}. */
    public String query(String mode) {
        UriComponentsBuilder b = UriComponentsBuilder.newInstance();
        if (source != null) {
            b.queryParam("source", source);
        }
        for (Long c : checkpoints) {
            b.queryParam("ck", c);
        }
        b.queryParam("minTissue", fmt(minTissue)).queryParam("minCenter", fmt(minCenter));
        if ("best-worst".equals(mode)) {
            if (rank != null) {
                b.queryParam("rank", rank);
            }
            b.queryParam("scan", scan).queryParam("k", k);
        } else {
            b.queryParam("rows", rows);
            if (seed != null) {
                b.queryParam("seed", seed);
            }
        }
        String q = b.build().encode().getQuery();
        return q == null ? "" : q;
    }

    private static String fmt(double d) {
        String s = String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    List<Long> checkpointsOr(List<Long> fallback) {
        return checkpoints.isEmpty() ? new ArrayList<>(fallback) : checkpoints;
    }
}
