package org.stainbench.training.fit;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Sliced Wasserstein-2 distance between two equally sized sets of 3-D points (pixel colours) and its
 * gradient with respect to the first set:
 * {@code SW² = (1/K) Σ_k (1/N) Σ_i (⟨x_σ(i), θ_k⟩ − ⟨y_τ(i), θ_k⟩)²} over K random unit directions θ_k,
 * where σ, τ sort the projections. Directions come from the given seeded generator.
 */
final class SlicedWasserstein {

    private SlicedWasserstein() {}

    record Result(double value, double[] gradient) {}

    /** Random unit directions in 3-D (Gaussian, normalised), K × 3 row-major. */
    static double[] directions(int k, SplittableRandom random) {
        double[] d = new double[k * 3];
        for (int i = 0; i < k; i++) {
            double n = 0;
            for (int c = 0; c < 3; c++) {
                double g = gaussian(random);
                d[i * 3 + c] = g;
                n += g * g;
            }
            n = Math.sqrt(n);
            for (int c = 0; c < 3; c++) {
                d[i * 3 + c] /= n;
            }
        }
        return d;
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** x and y hold N points each (3 values per point); returns SW² and dSW²/dx. */
    static Result compute(double[] x, double[] y, double[] directions) {
        int n = x.length / 3;
        if (y.length != x.length || n == 0) {
            throw new IllegalArgumentException("both point sets need the same, non-zero number of points");
        }
        int k = directions.length / 3;
        double[] grad = new double[x.length];
        double total = 0;
        double[] px = new double[n];
        double[] py = new double[n];
        Integer[] order = new Integer[n];
        for (int d = 0; d < k; d++) {
            double t0 = directions[d * 3];
            double t1 = directions[d * 3 + 1];
            double t2 = directions[d * 3 + 2];
            for (int i = 0; i < n; i++) {
                px[i] = x[i * 3] * t0 + x[i * 3 + 1] * t1 + x[i * 3 + 2] * t2;
                py[i] = y[i * 3] * t0 + y[i * 3 + 1] * t1 + y[i * 3 + 2] * t2;
                order[i] = i;
            }
            final double[] proj = px;
            Arrays.sort(order, (a, b) -> Double.compare(proj[a], proj[b]));
            Arrays.sort(py);
            for (int r = 0; r < n; r++) {
                int i = order[r];
                double diff = px[i] - py[r];
                total += diff * diff;
                double g = 2 * diff / ((double) n * k);
                grad[i * 3] += g * t0;
                grad[i * 3 + 1] += g * t1;
                grad[i * 3 + 2] += g * t2;
            }
        }
        return new Result(total / ((double) n * k), grad);
    }
}
