package org.stainbench.evaluation.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/**
 * Rank correlations for "which metric agrees with the pathologists": average ranks with ties (scipy's
 * {@code rankdata(method='average')}), Spearman's rho (Pearson correlation of those ranks, as
 * {@code scipy.stats.spearmanr}) and Kendall's tau-b ({@code scipy.stats.kendalltau}, variant 'b'), plus a percentile
 * bootstrap over checkpoints and raters. Undefined (a constant side) is NaN, as scipy returns. Pure, float64.
 */
public final class RankCorrelation {

    private RankCorrelation() {}

    /** 1-based ranks; tied values get the mean of the ranks they span. */
    public static double[] ranks(double[] x) {
        finite(x);
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && x[order[j + 1]] == x[order[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = avg;
            }
            i = j + 1;
        }
        return r;
    }

    /** Spearman's rho: the Pearson correlation of the average ranks; NaN when either side is constant. */
    public static double spearman(double[] x, double[] y) {
        same(x, y);
        return pearson(ranks(x), ranks(y));
    }

    static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        if (saa == 0 || sbb == 0) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
    }

    /**
     * Kendall's tau-b: (concordant - discordant) / sqrt((n0 - n1)(n0 - n2)) with n0 = n(n-1)/2 pairs, n1 / n2 the
     * pairs tied in x / in y; NaN when either side is constant.
     */
    public static double kendallTauB(double[] x, double[] y) {
        same(x, y);
        int n = x.length;
        long s = 0;
        long tiedX = 0;
        long tiedY = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int dx = x[i] == x[j] ? 0 : (x[i] < x[j] ? -1 : 1); // -0.0 ties with 0.0, as in numpy
                int dy = y[i] == y[j] ? 0 : (y[i] < y[j] ? -1 : 1);
                if (dx == 0) {
                    tiedX++;
                }
                if (dy == 0) {
                    tiedY++;
                }
                s += (long) dx * dy;
            }
        }
        long n0 = (long) n * (n - 1) / 2;
        double d = Math.sqrt((double) (n0 - tiedX) * (n0 - tiedY));
        return d == 0 ? Double.NaN : Math.max(-1, Math.min(1, s / d));
    }

    /**
     * The pathologists' outcome of each checkpoint as answers pooled over raters: {@code sum[c][r]} and
     * {@code count[c][r]} are the sum and number of rater r's answers on checkpoint c. Row {@code reference} (or -1
     * for none) holds the real control tiles: then a checkpoint's outcome is |its mean - the real tiles' mean| (marker
     * score), else its mean.
     */
    public record Answers(double[][] sum, int[][] count, int reference) {

        public int checkpoints() {
            return sum.length - (reference >= 0 ? 1 : 0);
        }

        public int raters() {
            return sum.length == 0 ? 0 : sum[0].length;
        }

        /** The outcome of row c when the raters are {@code raters} (with repeats); NaN when none of them answered. */
        public double outcome(int c, int[] raters) {
            double mean = mean(c, raters);
            if (reference < 0) {
                return mean;
            }
            return Math.abs(mean - mean(reference, raters));
        }

        double mean(int c, int[] raters) {
            double s = 0;
            long k = 0;
            for (int r : raters) {
                s += sum[c][r];
                k += count[c][r];
            }
            return k == 0 ? Double.NaN : s / k;
        }

        /** The rows of the checkpoints (all but the reference), in order. */
        int[] checkpointRows() {
            int[] out = new int[checkpoints()];
            int k = 0;
            for (int c = 0; c < sum.length; c++) {
                if (c != reference) {
                    out[k++] = c;
                }
            }
            return out;
        }
    }

    /** A bootstrap interval; {@code defined}: resamples whose statistic was defined (the interval is of those). */
    public record Interval(double low, double high, int defined, int resamples) {}

    /** Point values and bootstrap intervals of rho and tau-b between a metric and the outcome. */
    public record Result(int n, double rho, double tau, Interval rhoInterval, Interval tauInterval) {}

    /**
     * rho and tau-b between {@code metric[i]} (checkpoint i) and the pooled outcome of checkpoint i, with percentile
     * bootstrap intervals over checkpoints and raters. Stream: {@code SplittableRandom(seed)}; per resample first n
     * checkpoint draws {@code nextInt(n)}, then R rater draws {@code nextInt(R)}; the outcomes are recomputed from the
     * drawn raters' answers; a resample whose statistic is undefined (NaN: a constant side, or a checkpoint none of
     * the drawn raters answered) is left out. Quantiles (1 - level) / 2 and (1 + level) / 2 with linear interpolation
     * (numpy's default percentile); null interval when fewer than 2 resamples are defined.
     */
    public static Result bootstrap(double[] metric, Answers answers, int resamples, double level, long seed) {
        int n = metric.length;
        if (n != answers.checkpoints()) {
            throw new IllegalArgumentException(
                    "one metric value per checkpoint: " + n + " vs " + answers.checkpoints());
        }
        if (resamples < 2 || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("need at least 2 resamples and a level in (0, 1)");
        }
        finite(metric);
        int raters = answers.raters();
        int[] all = new int[raters];
        for (int r = 0; r < raters; r++) {
            all[r] = r;
        }
        int[] rows = answers.checkpointRows();
        double[] outcome = new double[n];
        for (int i = 0; i < n; i++) {
            outcome[i] = answers.outcome(rows[i], all);
        }
        double rho = hasNaN(outcome) ? Double.NaN : spearman(metric, outcome);
        double tau = hasNaN(outcome) ? Double.NaN : kendallTauB(metric, outcome);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] rhos = new double[resamples];
        double[] taus = new double[resamples];
        int kr = 0;
        int kt = 0;
        double[] m = new double[n];
        double[] o = new double[n];
        int[] drawn = new int[n];
        int[] rs = new int[raters];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                drawn[i] = rng.nextInt(n);
            }
            for (int r = 0; r < raters; r++) {
                rs[r] = rng.nextInt(raters);
            }
            for (int i = 0; i < n; i++) {
                m[i] = metric[drawn[i]];
                o[i] = answers.outcome(rows[drawn[i]], rs);
            }
            if (hasNaN(o)) {
                continue;
            }
            double x = spearman(m, o);
            if (!Double.isNaN(x)) {
                rhos[kr++] = x;
            }
            double t = kendallTauB(m, o);
            if (!Double.isNaN(t)) {
                taus[kt++] = t;
            }
        }
        return new Result(n, rho, tau, interval(rhos, kr, resamples, level), interval(taus, kt, resamples, level));
    }

    private static Interval interval(double[] values, int k, int resamples, double level) {
        if (k < 2) {
            return null;
        }
        double[] v = Arrays.copyOf(values, k);
        Arrays.sort(v);
        return new Interval(quantile(v, (1 - level) / 2), quantile(v, (1 + level) / 2), k, resamples);
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static boolean hasNaN(double[] x) {
        for (double v : x) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    private static void same(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("needs at least 2 pairs");
        }
    }

    private static void finite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("values must be finite, found " + v);
            }
        }
    }
}
