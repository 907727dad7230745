package org.stainbench.evaluation.metrics;

import java.util.List;

/**
 * Kernel Inception Distance (Bińkowski et al. 2018) as torchmetrics' {@code KernelInceptionDistance}: the
 * unbiased MMD^2 estimate with the polynomial kernel k(x, y) = (x.y / d + 1)^3, over {@code subsets} random
 * subsets of {@code subsetSize} samples from each side, reported as the mean and the <em>population</em>
 * standard deviation (torchmetrics: {@code kid_scores.std(unbiased=False)}) of the per-subset values.
 * <p>Subsets: one {@link SplitMix64} stream seeded with {@code seed}; for s = 0..subsets-1 in order, the real
 * indices of subset s are {@code sampleWithoutReplacement(nReal, subsetSize)} and then the fake indices are
 * {@code sampleWithoutReplacement(nFake, subsetSize)} (distinct within a subset, as torchmetrics'
 * {@code randperm(n)[:m]}; subsets may share samples). For a subset of m pairs,
 * <pre>  MMD^2 = (sum_{i != j} k(x_i, x_j) + sum_{i != j} k(y_i, y_j)) / (m (m - 1)) - 2 sum_{i, j} k(x_i, y_j) / m^2</pre>
 */
public final class Kid {

    private Kid() {}

    /** torchmetrics' defaults: 100 subsets of 1000. */
    public static final int DEFAULT_SUBSETS = 100;

    public static final int DEFAULT_SUBSET_SIZE = 1000;

    /** The protocol of one KID computation. */
    public record Params(int subsets, int subsetSize, long seed) {
        public Params {
            if (subsets < 1) {
                throw new IllegalArgumentException("KID needs at least 1 subset, got " + subsets);
            }
            if (subsetSize < 2) {
                throw new IllegalArgumentException("KID subsets need at least 2 samples, got " + subsetSize);
            }
        }

        public static Params defaults(long seed) {
            return new Params(DEFAULT_SUBSETS, DEFAULT_SUBSET_SIZE, seed);
        }
    }

    /** Mean and population std over subsets, every subset value, and what produced them. */
    public record Result(
            double mean,
            double std,
            List<Double> values,
            Params params,
            int realSamples,
            int fakeSamples,
            int dimension) {
        public Result {
            values = List.copyOf(values);
        }
    }

    public static Result compute(Features real, Features fake, Params params) {
        Features.requireSameDimension(real, fake);
        int m = params.subsetSize();
        if (real.samples() < m || fake.samples() < m) {
            throw new IllegalArgumentException("KID subset size " + m + " needs at least " + m
                    + " samples on each side; got " + real.samples() + " real and " + fake.samples() + " fake");
        }
        SplitMix64 rng = new SplitMix64(params.seed());
        int[][] realIdx = new int[params.subsets()][];
        int[][] fakeIdx = new int[params.subsets()][];
        for (int s = 0; s < params.subsets(); s++) {
            realIdx[s] = rng.sampleWithoutReplacement(real.samples(), m);
            fakeIdx[s] = rng.sampleWithoutReplacement(fake.samples(), m);
        }
        double[] values = new double[params.subsets()];
        // one subset per worker thread (the products inside then run single-threaded, without barriers)
        Parallel.forEach(
                params.subsets(),
                Parallel.threads(),
                (s, slot) -> values[s] = mmd(real.rows(realIdx[s]), fake.rows(fakeIdx[s])));
        double mean = 0.0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double var = 0.0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        var /= values.length;
        List<Double> list = new java.util.ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        return new Result(mean, Math.sqrt(var), list, params, real.samples(), fake.samples(), real.dimension());
    }

    /** Unbiased MMD^2 with the cubic polynomial kernel between two equally sized samples. */
    static double mmd(Features x, Features y) {
        int m = x.samples();
        int d = x.dimension();
        if (y.samples() != m) {
            throw new IllegalArgumentException("MMD needs equally sized samples");
        }
        double gamma = 1.0 / d;
        double[] kxx = Gemm.selfOuterUpper(x.data(), m, d);
        double[] kyy = Gemm.selfOuterUpper(y.data(), m, d);
        double[] kxy = Gemm.outer(x.data(), m, y.data(), m, d);
        double[] rowXX = new double[m];
        double[] rowYY = new double[m];
        double[] rowXY = new double[m];
        Parallel.forEach(m, Parallel.threads(), (i, slot) -> {
            double sxx = 0.0;
            double syy = 0.0;
            double sxy = 0.0;
            int row = i * m;
            for (int j = i + 1; j < m; j++) { // off-diagonal pairs from the upper triangle, counted twice below
                sxx += cube(kxx[row + j] * gamma + 1.0);
                syy += cube(kyy[row + j] * gamma + 1.0);
            }
            for (int j = 0; j < m; j++) {
                sxy += cube(kxy[row + j] * gamma + 1.0);
            }
            rowXX[i] = 2.0 * sxx;
            rowYY[i] = 2.0 * syy;
            rowXY[i] = sxy;
        });
        double sxx = 0.0;
        double syy = 0.0;
        double sxy = 0.0;
        for (int i = 0; i < m; i++) {
            sxx += rowXX[i];
            syy += rowYY[i];
            sxy += rowXY[i];
        }
        return (sxx + syy) / ((double) m * (m - 1)) - 2.0 * sxy / ((double) m * m);
    }

    private static double cube(double v) {
        return v * v * v;
    }
}
