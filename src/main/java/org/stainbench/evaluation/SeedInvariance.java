package org.stainbench.evaluation;

import java.util.List;

/**
 * Whether a metric varied with the seed. Under the "first tiles" rule the seed draws only the crops (CropFID) and the
 * KID subsets, so FID and the stain distances come out the same for every seed: shown as one value marked
 * "seed-invariant", never as "mean ± 0, n = k seeds" (which reads as k independent measurements). Pure.
 */
public final class SeedInvariance {

    /**
     * Relative tolerance: per-seed values count as equal when every {@code |v_i - v_0| <= TOLERANCE * max(1, |v_0|)}.
     * The same tolerance decides ties between rows (all tied rows are marked best).
     */
    public static final double TOLERANCE = 1e-9;

    /** What the "seed-invariant" mark means, for its tooltip and the tables' notes. */
    public static final String HELP =
            "Every seed gave the same value (within a relative " + TOLERANCE + "): under this "
                    + "protocol the seed does not change what this metric sees (the tiles are fixed; seeds only draw crops and KID "
                    + "subsets). It is one measurement, so no spread over seeds is shown.";

    private SeedInvariance() {}

    /** True for at least two values that are all equal within {@link #TOLERANCE}. */
    public static boolean holds(List<Double> values) {
        if (values == null || values.size() < 2) {
            return false;
        }
        double first = values.get(0);
        for (Double v : values) {
            if (v == null || !same(v, first)) {
                return false;
            }
        }
        return true;
    }

    /** {@code a} and {@code b} are equal within {@link #TOLERANCE} (relative to {@code b}, absolute below 1). */
    public static boolean same(double a, double b) {
        return Math.abs(a - b) <= TOLERANCE * Math.max(1.0, Math.abs(b));
    }
}
