package org.stainbench.tiles;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The lab's ranking of generated tiles (DESIGN.md "Qualitative figures"):
 * {@code badness = −z(saturation std) + z(autocorrelation at shift 16) + 0.5·|z(Laplacian variance)|},
 * with z-scores over the scanned tiles using the population standard deviation
 * ({@code scipy.stats.zscore}, {@code ddof=0}); a measure with zero spread contributes 0.
 */
public final class Badness {

    private Badness() {}

    public static double[] scores(double[] saturationStd, double[] autocorrelation, double[] laplacianVariance) {
        int n = saturationStd.length;
        if (autocorrelation.length != n || laplacianVariance.length != n) {
            throw new IllegalArgumentException("the three measures need one value per tile each");
        }
        double[] zs = zscore(saturationStd);
        double[] za = zscore(autocorrelation);
        double[] zl = zscore(laplacianVariance);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = -zs[i] + za[i] + 0.5 * Math.abs(zl[i]);
        }
        return out;
    }

    /** Indices from best (lowest badness) to worst; ties keep the lower index first. */
    public static int[] bestFirst(double[] badness) {
        return IntStream.range(0, badness.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> badness[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    static double[] zscore(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0);
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double std = v.length == 0 ? 0 : Math.sqrt(ss / v.length);
        double[] z = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            z[i] = std == 0 ? 0 : (v[i] - mean) / std;
        }
        return z;
    }
}
