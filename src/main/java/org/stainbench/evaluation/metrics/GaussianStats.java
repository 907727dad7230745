package org.stainbench.evaluation.metrics;

/**
 * The Gaussian fit of a feature set: sample count, mean and covariance (n - 1 normalisation, as
 * {@code numpy.cov(x, rowvar=False)}), covariance row-major d x d. Real-set statistics can be computed once
 * and reused against every generated set.
 */
public record GaussianStats(int samples, int dimension, double[] mean, double[] covariance) {

    public GaussianStats {
        if (mean.length != dimension || covariance.length != (long) dimension * dimension) {
            throw new IllegalArgumentException("statistics of dimension " + dimension + " need a mean of " + dimension
                    + " and a covariance of " + dimension + " x " + dimension + " values");
        }
        for (double v : mean) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("mean contains " + v);
            }
        }
        for (double v : covariance) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("covariance contains " + v);
            }
        }
    }
}
