package org.stainbench.review.stats;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"): reliability data as
 * raters x units with {@code null} for a missing answer; units with fewer than two answers are not pairable and
 * are left out. {@code alpha = 1 - (n - 1) sum_ck o_ck d2_ck / sum_ck n_c n_k d2_ck} from the coincidence matrix
 * o (each pair of answers in a unit with m answers counts 1 / (m - 1)).
 */
public final class Krippendorff {

    private Krippendorff() {}

    /** The level of measurement, which sets the difference function d2. */
    public enum Level {
        /** d2 = 0 for equal values, 1 otherwise. */
        NOMINAL,
        /** d2_ck = (sum of n_g for g from c to k - (n_c + n_k) / 2)^2 over the ordered values. */
        ORDINAL,
        /** d2 = (c - k)^2. */
        INTERVAL
    }

    public static double alpha(Integer[][] data, Level level) {
        int[] vals = values(data);
        double[][][] units = unitCoincidences(data, vals);
        int k = vals.length;
        double[][] o = new double[k][k];
        for (double[][] u : units) {
            add(o, u);
        }
        return fromCoincidences(o, vals, level);
    }

    /** The distinct answers, sorted. */
    static int[] values(Integer[][] data) {
        TreeSet<Integer> values = new TreeSet<>();
        for (Integer[] rater : data) {
            for (Integer v : rater) {
                if (v != null) {
                    values.add(v);
                }
            }
        }
        int[] vals = values.stream().mapToInt(Integer::intValue).toArray();
        if (vals.length == 0) {
            throw new IllegalArgumentException("no answers");
        }
        return vals;
    }

    /**
     * Each unit's contribution to the coincidence matrix over {@code vals} (all zero for a unit with fewer than two
     * answers): the pairs of its answers, each counted 1 / (m - 1).
     */
    static double[][][] unitCoincidences(Integer[][] data, int[] vals) {
        int k = vals.length;
        int units = data[0].length;
        for (Integer[] rater : data) {
            if (rater.length != units) {
                throw new IllegalArgumentException("every rater row must cover the same " + units + " units");
            }
        }
        double[][][] out = new double[units][k][k];
        for (int u = 0; u < units; u++) {
            int[] counts = new int[k];
            int m = 0;
            for (Integer[] rater : data) {
                if (rater[u] != null) {
                    counts[Arrays.binarySearch(vals, rater[u])]++;
                    m++;
                }
            }
            if (m < 2) {
                continue;
            }
            for (int c = 0; c < k; c++) {
                for (int d = 0; d < k; d++) {
                    double pairs = c == d ? (double) counts[c] * (counts[c] - 1) : (double) counts[c] * counts[d];
                    out[u][c][d] = pairs / (m - 1);
                }
            }
        }
        return out;
    }

    static void add(double[][] o, double[][] unit) {
        for (int c = 0; c < o.length; c++) {
            for (int d = 0; d < o.length; d++) {
                o[c][d] += unit[c][d];
            }
        }
    }

    /** Alpha from the coincidence matrix {@code o} over the sorted values {@code vals}. */
    static double fromCoincidences(double[][] o, int[] vals, Level level) {
        int k = vals.length;
        double[] nc = new double[k];
        double n = 0.0;
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < k; d++) {
                nc[c] += o[c][d];
            }
            n += nc[c];
        }
        if (n < 2) {
            throw new IllegalArgumentException("alpha needs at least one unit with two answers");
        }
        double observed = 0.0;
        double expected = 0.0;
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < k; d++) {
                double d2 = difference(level, vals, nc, c, d);
                observed += o[c][d] * d2;
                expected += nc[c] * nc[d] * d2;
            }
        }
        if (expected == 0.0) {
            throw new IllegalArgumentException("alpha is undefined: all answers have the same value");
        }
        return 1.0 - (n - 1) * observed / expected;
    }

    private static double difference(Level level, int[] vals, double[] nc, int c, int d) {
        return switch (level) {
            case NOMINAL -> c == d ? 0.0 : 1.0;
            case INTERVAL -> (double) (vals[c] - vals[d]) * (vals[c] - vals[d]);
            case ORDINAL -> {
                int lo = Math.min(c, d);
                int hi = Math.max(c, d);
                double s = 0.0;
                for (int g = lo; g <= hi; g++) {
                    s += nc[g];
                }
                s -= (nc[lo] + nc[hi]) / 2.0;
                yield c == d ? 0.0 : s * s;
            }
        };
    }
}
