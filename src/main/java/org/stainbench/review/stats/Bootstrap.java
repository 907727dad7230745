package org.stainbench.review.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap interval of a mean: {@code resamples} resamples of size n drawn with replacement by
 * {@code java.util.SplittableRandom(seed).nextInt(n)}, their means sorted, and the (1 - level) / 2 and
 * (1 + level) / 2 quantiles taken with linear interpolation (numpy's default percentile). Same seed, same interval.
 */
public final class Bootstrap {

    private Bootstrap() {}

    public static Proportions.Interval meanInterval(double[] x, int resamples, double level, long seed) {
        if (x.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (resamples < 2) {
            throw new IllegalArgumentException("need at least 2 resamples");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must lie in (0, 1)");
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("values must be finite, found " + v);
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] means = new double[resamples];
        int n = x.length;
        for (int b = 0; b < resamples; b++) {
            double s = 0.0;
            for (int i = 0; i < n; i++) {
                s += x[rng.nextInt(n)];
            }
            means[b] = s / n;
        }
        Arrays.sort(means);
        return new Proportions.Interval(quantile(means, (1 - level) / 2), quantile(means, (1 + level) / 2));
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
