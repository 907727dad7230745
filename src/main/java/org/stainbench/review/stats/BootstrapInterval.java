package org.stainbench.review.stats;

/**
 * A percentile bootstrap interval: {@code resamples} drawn, {@code defined} of them with a defined statistic (the
 * rest left out: e.g. a resample in which every rating fell in one category has no kappa); NaN bounds when fewer
 * than two were defined.
 */
public record BootstrapInterval(double low, double high, int resamples, int defined, double level) {

    public boolean isDefined() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }
}
