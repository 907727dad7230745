package org.stainbench.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The blocked kernels against plain loops, on sizes that exercise partial tiles and the parallel paths. */
class LinearAlgebraTest {

    static final double PRODUCT_RELATIVE = 1e-12;
    static final double EIGEN_ABSOLUTE = 1e-9;

    static double[] random(int n, long seed) {
        SplitMix64 r = new SplitMix64(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextInt(2_000_001) - 1_000_000) / 1e6;
        }
        return a;
    }

    @Test
    void productsMatchPlainLoops() {
        int m = 37;
        int n = 53;
        int d = 1100; // > KC: several k-blocks
        double[] x = random(m * d, 1);
        double[] y = random(n * d, 2);
        double[] g = Gemm.outer(x, m, y, n, d);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += x[i * d + k] * y[j * d + k];
                }
                assertThat(g[i * n + j]).isCloseTo(s, within(PRODUCT_RELATIVE * d));
            }
        }
        double[] self = Gemm.selfOuter(x, m, d);
        double[] gram = Gemm.gram(x, m, d); // d x d = X^T X
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += x[i * d + k] * x[j * d + k];
                }
                assertThat(self[i * m + j]).isCloseTo(s, within(PRODUCT_RELATIVE * d));
            }
        }
        for (int i = 0; i < d; i += 7) {
            for (int j = 0; j < d; j += 5) {
                double s = 0;
                for (int k = 0; k < m; k++) {
                    s += x[k * d + i] * x[k * d + j];
                }
                assertThat(gram[i * d + j]).isCloseTo(s, within(PRODUCT_RELATIVE * m));
                assertThat(gram[i * d + j]).isEqualTo(gram[j * d + i]);
            }
        }
    }

    /** A = Q diag(lambda) Q^T with Q a product of Householder reflections: eigenvalues known exactly. */
    @Test
    void symmetricEigenvaluesAreTheKnownSpectrum() {
        int n = 300; // > the parallel column chunk
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i < 40 ? 0.0 : (i - 40) * 0.37 + 0.01;
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = lambda[i];
        }
        for (int h = 0; h < 3; h++) {
            double[] v = random(n, 10 + h);
            double vv = 0;
            for (double t : v) {
                vv += t * t;
            }
            // A <- H A H with H = I - 2 v v^T / (v.v)
            double[] av = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += a[i * n + j] * v[j];
                }
                av[i] = s;
            }
            double vav = 0;
            for (int i = 0; i < n; i++) {
                vav += v[i] * av[i];
            }
            double c = 2.0 / vv;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i * n + j] += -c * v[i] * av[j] - c * av[i] * v[j] + c * c * vav * v[i] * v[j];
                }
            }
        }
        double[] ev = SymmetricEigen.eigenvalues(a, n);
        for (int i = 0; i < n; i++) {
            assertThat(ev[i]).isCloseTo(lambda[i], within(EIGEN_ABSOLUTE));
        }
    }

    /** P^T A P = L L^T over several panels, for a full-rank and a rank-deficient (rank 100 of 170) matrix. */
    @Test
    void pivotedCholeskyReconstructsTheMatrix() {
        int d = 170; // several panels of Fid.CHOLESKY_NB
        for (int rank : new int[] {d, 100}) {
            double[] g = random(d * rank, 20 + rank);
            double[] a = new double[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int k = 0; k < rank; k++) {
                        s += g[i * rank + k] * g[j * rank + k];
                    }
                    a[i * d + j] = s;
                }
            }
            double[] l = a.clone();
            int[] piv = new int[d];
            int r = Fid.pivotedCholesky(l, d, piv);
            assertThat(r).isEqualTo(rank);
            double maxErr = 0;
            double scale = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int k = 0; k < Math.min(Math.min(i, j) + 1, r); k++) {
                        s += l[i * d + k] * l[j * d + k];
                    }
                    maxErr = Math.max(maxErr, Math.abs(s - a[piv[i] * d + piv[j]]));
                    scale = Math.max(scale, Math.abs(a[i * d + j]));
                }
            }
            assertThat(maxErr).as("rank " + rank).isLessThan(1e-12 * d * scale);
        }
    }
}
