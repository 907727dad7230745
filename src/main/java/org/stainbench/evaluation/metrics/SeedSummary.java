package org.stainbench.evaluation.metrics;

/**
 * A metric over seeds: n, mean, sample standard deviation (n - 1) and the 95 % Student t confidence interval
 * of the mean, {@code mean -/+ t_{0.975, n-1} * std / sqrt(n)}. With a single value the spread is unknown:
 * {@code std}, {@code ciLow} and {@code ciHigh} are null (never NaN).
 */
public record SeedSummary(int n, double mean, Double std, Double ciLow, Double ciHigh) {

    /** Confidence level of the interval. */
    public static final double LEVEL = 0.95;

    public static SeedSummary of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a summary needs at least one value");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("value " + i + " is " + values[i] + "; values must be finite");
            }
        }
        int n = values.length;
        double mean = 0.0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            return new SeedSummary(1, mean, null, null, null);
        }
        double ss = 0.0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(ss / (n - 1));
        double half = StudentT.quantile(0.5 + LEVEL / 2, n - 1) * std / Math.sqrt(n);
        return new SeedSummary(n, mean, std, mean - half, mean + half);
    }
}
