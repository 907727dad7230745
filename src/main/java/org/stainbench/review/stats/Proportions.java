package org.stainbench.review.stats;

/** A proportion k / n: Wilson score interval and the exact two-sided binomial test against 0.5. */
public final class Proportions {

    /** The standard normal 0.975 quantile (95 % two-sided). */
    public static final double Z95 = 1.959963984540054;

    private Proportions() {
    }

    public record Interval(double low, double high) {
    }

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
     * 0.5).pvalue}): with a symmetric null, twice the smaller tail, capped at 1.
     */
    public static double binomialTestHalf(long k, long n) {
        check(k, n);
        long m = Math.min(k, n - k);
        // P(X <= m) for X ~ Bin(n, 1/2), summed in log space
        double logHalfN = n * Math.log(0.5);
        double max = Double.NEGATIVE_INFINITY;
        double[] logs = new double[(int) m + 1];
        for (int i = 0; i <= m; i++) {
            logs[i] = logChoose(n, i) + logHalfN;
            max = Math.max(max, logs[i]);
        }
        double s = 0.0;
        for (double l : logs) {
            s += Math.exp(l - max);
        }
        double tail = Math.exp(max + Math.log(s));
        return Math.min(1.0, 2.0 * tail);
    }

    static double logChoose(long n, long k) {
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
    }

    private static double logFactorial(long n) {
        if (n < 2) {
            return 0.0;
        }
        if (n < 256) {
            double s = 0.0;
            for (long i = 2; i <= n; i++) {
                s += Math.log(i);
            }
            return s;
        }
        // Stirling series, accurate to ~1e-15 relative for n >= 256
        double x = n;
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }

    private static void check(long k, long n) {
        if (n < 1 || k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n and n >= 1, got k=" + k + ", n=" + n);
        }
    }
}
