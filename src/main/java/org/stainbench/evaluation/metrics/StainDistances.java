package org.stainbench.evaluation.metrics;

import java.util.Arrays;

/**
 * Distances between two one-dimensional samples (e.g. per-tile DAB-positive fraction or mean DAB density of
 * real and generated tiles): the Wasserstein-1 distance ({@code scipy.stats.wasserstein_distance(u, v)}) and
 * the two-sample Kolmogorov–Smirnov statistic ({@code scipy.stats.ks_2samp(u, v).statistic}).
 */
public final class StainDistances {

    private StainDistances() {}

    /** Integral of |F_u - F_v| over the real line, with F the empirical distribution functions. */
    public static double wasserstein1(double[] u, double[] v) {
        double[] a = sortedChecked(u, "first sample");
        double[] b = sortedChecked(v, "second sample");
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        double sum = 0.0;
        int ia = 0;
        int ib = 0;
        for (int i = 0; i < all.length - 1; i++) {
            double t = all[i];
            while (ia < a.length && a[ia] <= t) {
                ia++;
            }
            while (ib < b.length && b[ib] <= t) {
                ib++;
            }
            double delta = all[i + 1] - t;
            sum += Math.abs((double) ia / a.length - (double) ib / b.length) * delta;
        }
        return sum;
    }

    /** sup_x |F_u(x) - F_v(x)|, evaluated at every sample point. */
    public static double ksStatistic(double[] u, double[] v) {
        double[] a = sortedChecked(u, "first sample");
        double[] b = sortedChecked(v, "second sample");
        double best = 0.0;
        int ia = 0;
        int ib = 0;
        while (ia < a.length || ib < b.length) {
            double t;
            if (ib >= b.length || (ia < a.length && a[ia] <= b[ib])) {
                t = a[ia];
            } else {
                t = b[ib];
            }
            while (ia < a.length && a[ia] <= t) {
                ia++;
            }
            while (ib < b.length && b[ib] <= t) {
                ib++;
            }
            best = Math.max(best, Math.abs((double) ia / a.length - (double) ib / b.length));
        }
        return best;
    }

    private static double[] sortedChecked(double[] x, String what) {
        if (x.length == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(what + " value " + i + " is " + x[i] + "; values must be finite");
            }
        }
        double[] s = x.clone();
        Arrays.sort(s);
        return s;
    }
}
