package org.stainbench.review.stats;

import org.apache.commons.statistics.inference.BinomialTest;

/** A proportion k / n: Wilson score interval and the exact two-sided binomial test against 0.5. */
public final class Proportions {

    /** The standard normal 0.975 quantile (95 % two-sided). */
    public static final double Z95 = 1.959963984540054;

    private Proportions() {}

    public record Interval(double low, double high) {}

    /** Wilson score interval at 95 %. */
    public static Interval wilson(long k, long n) {
        return wilson(k, n, Z95);
    }

    /** Wilson score interval with normal quantile {@code z}. */
    public static Interval wilson(long k, long n, double z) {
        check(k, n);
        double p = (double) k / n;
        double z2 = z * z;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denom;
        double half = z / denom * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Interval(Math.max(0.0, centre - half), Math.min(1.0, centre + half));
    }

    /**
     * Exact two-sided p-value of k successes in n trials against p = 0.5 (as {@code scipy.stats.binomtest(k, n,
     * 0.5).pvalue}), from Apache Commons Statistics: with a symmetric null, twice the smaller tail, capped at 1.
     */
    public static double binomialTestHalf(long k, long n) {
        check(k, n);
        return BinomialTest.withDefaults()
                .test(Math.toIntExact(n), Math.toIntExact(k), 0.5)
                .getPValue();
    }

    private static void check(long k, long n) {
        if (n < 1 || k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n and n >= 1, got k=" + k + ", n=" + n);
        }
    }
}
