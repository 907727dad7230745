package org.stainbench.review.stats;

import java.util.Arrays;

/** Inter-rater agreement coefficients for complete ratings (no missing values; see {@link Krippendorff}). */
public final class Agreement {

    private Agreement() {}

    /** Disagreement weights of weighted kappa, on category positions i, j (as scikit-learn). */
    public enum Weights {
        /** w = 0 on the diagonal, 1 elsewhere: plain Cohen's kappa. */
        NONE,
        /** w = |i - j|. */
        LINEAR,
        /** w = (i - j)^2. */
        QUADRATIC
    }

    /** Cohen's kappa of two raters' nominal ratings of the same items. */
    public static double cohenKappa(int[] a, int[] b) {
        return weightedKappa(a, b, categories(a, b), Weights.NONE);
    }

    /**
     * Weighted kappa {@code 1 - sum(w O) / sum(w E)} of two raters' ratings of the same items, O the observed and
     * E the chance-expected joint distribution (products of the marginals); {@code categories} lists the possible
     * ratings in their order (their positions give the weights).
     */
    public static double weightedKappa(int[] a, int[] b, int[] categories, Weights weights) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("the two raters rated " + a.length + " and " + b.length + " items");
        }
        if (a.length == 0) {
            throw new IllegalArgumentException("no ratings");
        }
        int k = categories.length;
        double[][] observed = new double[k][k];
        for (int i = 0; i < a.length; i++) {
            observed[index(categories, a[i])][index(categories, b[i])] += 1;
        }
        double[] rowSum = new double[k];
        double[] colSum = new double[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                rowSum[i] += observed[i][j];
                colSum[j] += observed[i][j];
            }
        }
        double n = a.length;
        double num = 0.0;
        double den = 0.0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double w =
                        switch (weights) {
                            case NONE -> i == j ? 0 : 1;
                            case LINEAR -> Math.abs(i - j);
                            case QUADRATIC -> (double) (i - j) * (i - j);
                        };
                num += w * observed[i][j] / n;
                den += w * rowSum[i] * colSum[j] / (n * n);
            }
        }
        if (den == 0.0) {
            throw new IllegalArgumentException("kappa is undefined: both raters used a single category");
        }
        return 1.0 - num / den;
    }

    /**
     * Fleiss' kappa from an items x categories table of counts: {@code counts[i][j]} raters put item i in
     * category j; every item must have the same number of ratings (at least 2).
     */
    public static double fleissKappa(int[][] counts) {
        if (counts.length == 0) {
            throw new IllegalArgumentException("no items");
        }
        int k = counts[0].length;
        int raters = Arrays.stream(counts[0]).sum();
        if (raters < 2) {
            throw new IllegalArgumentException("Fleiss' kappa needs at least 2 ratings per item");
        }
        double[] p = new double[k];
        double meanP = 0.0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != k || Arrays.stream(counts[i]).sum() != raters) {
                throw new IllegalArgumentException(
                        "item " + i + " does not have " + raters + " ratings over " + k + " categories");
            }
            double agree = 0.0;
            for (int j = 0; j < k; j++) {
                if (counts[i][j] < 0) {
                    throw new IllegalArgumentException("negative count for item " + i);
                }
                agree += (double) counts[i][j] * (counts[i][j] - 1);
                p[j] += counts[i][j];
            }
            meanP += agree / ((double) raters * (raters - 1));
        }
        meanP /= counts.length;
        double pe = 0.0;
        for (int j = 0; j < k; j++) {
            double pj = p[j] / ((double) counts.length * raters);
            pe += pj * pj;
        }
        if (pe == 1.0) {
            throw new IllegalArgumentException("kappa is undefined: every rating is in one category");
        }
        return (meanP - pe) / (1.0 - pe);
    }

    private static int[] categories(int[] a, int[] b) {
        return java.util.stream.IntStream.concat(Arrays.stream(a), Arrays.stream(b))
                .distinct()
                .sorted()
                .toArray();
    }

    private static int index(int[] categories, int v) {
        for (int i = 0; i < categories.length; i++) {
            if (categories[i] == v) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                "rating " + v + " is not one of the categories " + Arrays.toString(categories));
    }
}
