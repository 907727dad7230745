package org.stainbench.review.stats;

import java.util.Arrays;

/** numpy's default ("linear") quantiles: median, quartiles and percentile intervals. */
public final class Quantiles {

    private Quantiles() {}

    /** {@code numpy.quantile(values, q)} (method "linear"): position q (n - 1) of the sorted values, interpolated. */
    public static double of(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must lie in [0, 1], got " + q);
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return sorted(s, q);
    }

    /** The quantile of already sorted values. */
    static double sorted(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        double t = pos - lo;
        double a = sorted[lo];
        double b = sorted[lo + 1];
        // numpy's _lerp: a + (b - a) t, computed from the upper end when t >= 0.5
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    /** Median and quartiles (numpy linear). */
    public record Summary(int n, double median, double q1, double q3) {
        public double iqr() {
            return q3 - q1;
        }
    }

    public static Summary summary(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        if (s.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        return new Summary(s.length, sorted(s, 0.5), sorted(s, 0.25), sorted(s, 0.75));
    }

    /**
     * The percentile interval of bootstrap values: NaN values (resamples where the statistic is undefined) are left
     * out, and of the rest the {@code 100 (1 - level) / 2} and {@code 100 (1 + level) / 2} percentiles are taken as
     * {@code numpy.percentile} does. Undefined (NaN bounds) when fewer than 2 values are defined.
     */
    public static BootstrapInterval percentileInterval(double[] values, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must lie in (0, 1), got " + level);
        }
        double[] defined =
                Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (defined.length < 2) {
            return new BootstrapInterval(Double.NaN, Double.NaN, values.length, defined.length, level);
        }
        return new BootstrapInterval(
                sorted(defined, (1 - level) / 2),
                sorted(defined, (1 + level) / 2),
                values.length,
                defined.length,
                level);
    }
}
