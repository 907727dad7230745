package org.stainbench.review.stats;

import java.util.Arrays;
import org.stainbench.evaluation.metrics.SplitMix64;

/**
 * Percentile bootstrap of an agreement coefficient over items (units): the raters stay fixed and the items are
 * resampled with replacement, so the interval reflects which items happened to be shown.
 * <p><b>Stream</b> ({@link #plan}): one {@link SplitMix64} seeded with the seed; for b = 0..B-1 in order, n draws
 * {@code nextInt(n)}: resample b is items {@code idx[b][0..n-1]} in draw order (an item drawn k times appears k
 * times).
 * <p><b>Statistic</b>: recomputed on each resample with the same code as the point value ({@link Agreement},
 * {@link Krippendorff}); a resample where it is undefined (e.g. every rating in one category) is left out and
 * counted ({@link BootstrapInterval#defined()}).
 * <p><b>Interval</b>: {@link Quantiles#percentileInterval} (numpy's linear percentile at 2.5 and 97.5 for 95 %).
 * {@code src/test/python/review_bootstrap_reference.py} re-implements all of this with numpy.
 */
public final class ItemBootstrap {

    /** Most resamples allowed (bounds the cost of a results page). */
    public static final int MAX_RESAMPLES = 100_000;

    private ItemBootstrap() {}

    /** A statistic of a resample, given the items' indices; may throw IllegalArgumentException when undefined. */
    public interface Statistic {
        double of(int[] items);
    }

    /** The documented stream: {@code plan[b][j]} is the j-th item of resample b. */
    public static int[][] plan(long seed, int resamples, int n) {
        check(resamples, n);
        SplitMix64 rng = new SplitMix64(seed);
        int[][] out = new int[resamples][];
        for (int b = 0; b < resamples; b++) {
            out[b] = draw(rng, n);
        }
        return out;
    }

    private static int[] draw(SplitMix64 rng, int n) {
        int[] idx = new int[n];
        for (int j = 0; j < n; j++) {
            idx[j] = rng.nextInt(n);
        }
        return idx;
    }

    private static void check(int resamples, int n) {
        if (resamples < 2 || resamples > MAX_RESAMPLES) {
            throw new IllegalArgumentException(
                    "bootstrap resamples must be between 2 and " + MAX_RESAMPLES + ", got " + resamples);
        }
        if (n < 1) {
            throw new IllegalArgumentException("no items to resample");
        }
    }

    /** The statistic on every resample of the stream, NaN where undefined. */
    public static double[] values(long seed, int resamples, int n, Statistic stat) {
        check(resamples, n);
        SplitMix64 rng = new SplitMix64(seed);
        double[] out = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            int[] idx = draw(rng, n);
            try {
                out[b] = stat.of(idx);
            } catch (IllegalArgumentException e) {
                out[b] = Double.NaN;
            }
        }
        return out;
    }

    public static BootstrapInterval interval(long seed, int resamples, double level, int n, Statistic stat) {
        return Quantiles.percentileInterval(values(seed, resamples, n, stat), level);
    }

    /** Weighted (or, with {@link Agreement.Weights#NONE}, Cohen's) kappa of two raters over their common items. */
    public static BootstrapInterval weightedKappa(
            int[] a, int[] b, int[] categories, Agreement.Weights weights, long seed, int resamples, double level) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("the two raters rated " + a.length + " and " + b.length + " items");
        }
        return interval(
                seed,
                resamples,
                level,
                a.length,
                idx -> Agreement.weightedKappa(pick(a, idx), pick(b, idx), categories, weights));
    }

    /** Fleiss' kappa, resampling the rows (items) of the items x categories table. */
    public static BootstrapInterval fleissKappa(int[][] counts, long seed, int resamples, double level) {
        return interval(seed, resamples, level, counts.length, idx -> {
            int[][] rows = new int[idx.length][];
            for (int j = 0; j < idx.length; j++) {
                rows[j] = counts[idx[j]];
            }
            return Agreement.fleissKappa(rows);
        });
    }

    /**
     * Krippendorff's alpha, resampling the units (columns of the raters x units data, missing answers kept): a
     * resample's coincidence matrix is the sum of its drawn units' coincidences (a unit drawn k times counts k
     * times), which is what {@link Krippendorff#alpha} computes on the resampled columns.
     */
    public static BootstrapInterval alpha(
            Integer[][] data, Krippendorff.Level measure, long seed, int resamples, double level) {
        int units = data.length == 0 ? 0 : data[0].length;
        int[] vals = Krippendorff.values(data);
        double[][][] perUnit = Krippendorff.unitCoincidences(data, vals);
        return interval(seed, resamples, level, units, idx -> {
            double[][] o = new double[vals.length][vals.length];
            for (int u : idx) {
                Krippendorff.add(o, perUnit[u]);
            }
            return Krippendorff.fromCoincidences(o, vals, measure);
        });
    }

    static int[] pick(int[] x, int[] idx) {
        return Arrays.stream(idx).map(i -> x[i]).toArray();
    }
}
