package org.stainbench.review.stats;

import org.stainbench.evaluation.metrics.SplitMix64;

/**
 * Pooled accuracy (share of correct answers) of a raters x items table with a two-way cluster bootstrap interval,
 * which accounts for answers being clustered both by rater (a rater's skill) and by item (an item's difficulty);
 * a Wilson interval on the pooled count would treat every answer as independent and be too narrow.
 * <p><b>Data</b>: {@code correct[r][i]} is TRUE / FALSE for rater r's answer to item i, {@code null} where r did not
 * answer i (per-rater subsets, unfinished sessions).
 * <p><b>Stream</b> ({@link #plan}): one {@link SplitMix64} seeded with the seed; for b = 0..B-1 in order, first R
 * draws {@code nextInt(R)} (raters), then I draws {@code nextInt(I)} (items). Raters and items are resampled
 * independently with replacement ("pigeonhole" bootstrap, Owen 2007; Brennan's random-raters-random-items
 * design): resample b holds every answer of a drawn rater to a drawn item, the answer of rater r to item i
 * counted {@code cr[r] ci[i]} times, where cr and ci count how often r and i were drawn.
 * <p><b>Statistic</b>: {@code sum cr ci correct / sum cr ci answered} (integer sums, one division); a resample with
 * no answered pair is undefined and left out.
 * <p><b>Interval</b>: {@link Quantiles#percentileInterval} of the B values. {@code
 * src/test/python/review_bootstrap_reference.py} re-implements it with numpy.
 */
public final class ClusterBootstrap {

    private ClusterBootstrap() {}

    /** The drawn rater and item indices of each resample, in draw order. */
    public record Plan(int[][] raters, int[][] items) {}

    public record Result(long correct, long answered, double estimate, BootstrapInterval interval) {}

    public static Plan plan(long seed, int resamples, int raters, int items) {
        check(resamples, raters, items);
        SplitMix64 rng = new SplitMix64(seed);
        int[][] r = new int[resamples][raters];
        int[][] i = new int[resamples][items];
        for (int b = 0; b < resamples; b++) {
            for (int k = 0; k < raters; k++) {
                r[b][k] = rng.nextInt(raters);
            }
            for (int k = 0; k < items; k++) {
                i[b][k] = rng.nextInt(items);
            }
        }
        return new Plan(r, i);
    }

    private static void check(int resamples, int raters, int items) {
        if (resamples < 2 || resamples > ItemBootstrap.MAX_RESAMPLES) {
            throw new IllegalArgumentException(
                    "bootstrap resamples must be between 2 and " + ItemBootstrap.MAX_RESAMPLES + ", got " + resamples);
        }
        if (raters < 1 || items < 1) {
            throw new IllegalArgumentException("need at least one rater and one item");
        }
    }

    /** The pooled accuracy and its two-way cluster bootstrap interval. */
    public static Result accuracy(Boolean[][] correct, long seed, int resamples, double level) {
        int raters = correct.length;
        int items = raters == 0 ? 0 : correct[0].length;
        check(resamples, raters, items);
        long[][] hit = new long[raters][items];
        long[][] seen = new long[raters][items];
        long k = 0;
        long n = 0;
        for (int r = 0; r < raters; r++) {
            if (correct[r].length != items) {
                throw new IllegalArgumentException("every rater row must cover the same " + items + " items");
            }
            for (int i = 0; i < items; i++) {
                if (correct[r][i] != null) {
                    seen[r][i] = 1;
                    hit[r][i] = correct[r][i] ? 1 : 0;
                    n++;
                    k += hit[r][i];
                }
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no answers");
        }
        SplitMix64 rng = new SplitMix64(seed);
        double[] values = new double[resamples];
        int[] cr = new int[raters];
        int[] ci = new int[items];
        for (int b = 0; b < resamples; b++) {
            java.util.Arrays.fill(cr, 0);
            java.util.Arrays.fill(ci, 0);
            for (int j = 0; j < raters; j++) {
                cr[rng.nextInt(raters)]++;
            }
            for (int j = 0; j < items; j++) {
                ci[rng.nextInt(items)]++;
            }
            long num = 0;
            long den = 0;
            for (int r = 0; r < raters; r++) {
                if (cr[r] == 0) {
                    continue;
                }
                long h = 0;
                long s = 0;
                for (int i = 0; i < items; i++) {
                    h += ci[i] * hit[r][i];
                    s += ci[i] * seen[r][i];
                }
                num += cr[r] * h;
                den += cr[r] * s;
            }
            values[b] = den == 0 ? Double.NaN : (double) num / den;
        }
        return new Result(k, n, (double) k / n, Quantiles.percentileInterval(values, level));
    }
}
