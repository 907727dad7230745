package org.stainbench.evaluation.metrics;

/**
 * Fréchet distance between the Gaussian fits of two feature sets (FID; CropFID is the same on crop features):
 * <pre>  FID = ||mu1 - mu2||^2 + tr(S1) + tr(S2) - 2 tr(sqrtm(S1 S2))</pre>
 * as pytorch-fid's {@code calculate_frechet_distance}, which takes {@code scipy.linalg.sqrtm(S1 @ S2)}.
 * The trace of the square root is computed without a general square root: with a pivoted Cholesky factor
 * S1 = P L L^T P^T (L is d x r, r the numerical rank of S1), the non-zero eigenvalues of S1 S2 are those of
 * the symmetric positive semi-definite r x r matrix M = L^T (P^T S2 P) L, so
 * tr sqrtm(S1 S2) = sum_i sqrt(max(0, lambda_i(M))) (tiny negative eigenvalues from rounding are clamped).
 * This holds for singular covariances too (fewer samples than dimensions).
 */
public final class Fid {

    private Fid() {
    }

    /** The value and its parts; {@code rank} is the numerical rank found for the first covariance. */
    public record Result(double value, double meanDistanceSquared, double trace1, double trace2,
                         double traceSqrtProduct, int rank) {
    }

    /** Mean and covariance (n - 1) of a feature set; needs at least 2 samples. */
    public static GaussianStats statistics(Features f) {
        int n = f.samples();
        int d = f.dimension();
        if (n < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 samples, got " + n);
        }
        double[] x = f.data();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            int row = i * d;
            for (int k = 0; k < d; k++) {
                mean[k] += x[row + k];
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= n;
        }
        double[] centred = new double[n * d];
        Parallel.forEach(n, Parallel.threads(), (i, slot) -> {
            int row = i * d;
            for (int k = 0; k < d; k++) {
                centred[row + k] = x[row + k] - mean[k];
            }
        });
        double[] cov = Gemm.gram(centred, n, d);
        double scale = 1.0 / (n - 1);
        for (int i = 0; i < cov.length; i++) {
            cov[i] *= scale;
        }
        return new GaussianStats(n, d, mean, cov);
    }

    /** FID between two feature sets. */
    public static Result compute(Features real, Features fake) {
        Features.requireSameDimension(real, fake);
        return distance(statistics(real), statistics(fake));
    }

    /** FID between two Gaussian fits. */
    public static Result distance(GaussianStats a, GaussianStats b) {
        if (a.dimension() != b.dimension()) {
            throw new IllegalArgumentException("statistics of different dimensions: " + a.dimension() + " and "
                    + b.dimension());
        }
        int d = a.dimension();
        double meanTerm = 0.0;
        for (int k = 0; k < d; k++) {
            double t = a.mean()[k] - b.mean()[k];
            meanTerm += t * t;
        }
        double tr1 = trace(a.covariance(), d);
        double tr2 = trace(b.covariance(), d);
        double[] l = a.covariance().clone();
        int[] piv = new int[d];
        int r = pivotedCholesky(l, d, piv);
        double traceSqrt = 0.0;
        if (r > 0) {
            // L as a d x r row-major matrix (lower trapezoidal)
            double[] lr = new double[d * r];
            for (int i = 0; i < d; i++) {
                int cols = Math.min(i + 1, r);
                System.arraycopy(l, i * d, lr, i * r, cols);
            }
            double[] s2 = b.covariance();
            double[] s2p = new double[d * d];
            for (int i = 0; i < d; i++) {
                int src = piv[i] * d;
                int dst = i * d;
                for (int j = 0; j < d; j++) {
                    s2p[dst + j] = s2[src + piv[j]];
                }
            }
            double[] w = new double[d * r];
            Gemm.multiply(new Gemm.View(s2p, 0, d, false), new Gemm.View(lr, 0, r, false), w, d, r, d, false);
            double[] m = new double[r * r];
            Gemm.multiply(new Gemm.View(lr, 0, r, true), new Gemm.View(w, 0, r, false), m, r, r, d, true);
            Gemm.mirrorUpper(m, r);
            double[] eig = SymmetricEigen.eigenvalues(m, r);
            for (double ev : eig) {
                if (ev > 0) {
                    traceSqrt += Math.sqrt(ev);
                }
            }
        }
        double value = meanTerm + tr1 + tr2 - 2.0 * traceSqrt;
        return new Result(value, meanTerm, tr1, tr2, traceSqrt, r);
    }

    static double trace(double[] a, int d) {
        double t = 0.0;
        for (int i = 0; i < d; i++) {
            t += a[i * d + i];
        }
        return t;
    }

    /**
     * Pivoted Cholesky of a symmetric positive semi-definite matrix (as LAPACK {@code dpstf2}, lower):
     * P^T A P = L L^T with the largest remaining diagonal chosen at each step, stopping when it falls to
     * {@code d * eps * max(diag A)}. On return the lower triangle of the first r columns of {@code a} holds L,
     * {@code piv[i]} is the original index of row i. Returns the rank r.
     */
    static int pivotedCholesky(double[] a, int d, int[] piv) {
        for (int i = 0; i < d; i++) {
            piv[i] = i;
        }
        double maxDiag = 0.0;
        for (int i = 0; i < d; i++) {
            maxDiag = Math.max(maxDiag, a[i * d + i]);
        }
        if (!(maxDiag > 0.0)) {
            return 0;
        }
        double tol = d * Math.ulp(1.0) * maxDiag;
        double[] col = new double[d];
        int threads = Parallel.threads();
        for (int k = 0; k < d; k++) {
            int p = k;
            double best = a[k * d + k];
            for (int i = k + 1; i < d; i++) {
                double v = a[i * d + i];
                if (v > best) {
                    best = v;
                    p = i;
                }
            }
            if (!(best > tol)) {
                return k;
            }
            if (p != k) {
                swapSymmetric(a, d, k, p);
                int t = piv[k];
                piv[k] = piv[p];
                piv[p] = t;
            }
            double lkk = Math.sqrt(a[k * d + k]);
            a[k * d + k] = lkk;
            for (int i = k + 1; i < d; i++) {
                double v = a[i * d + k] / lkk;
                a[i * d + k] = v;
                col[i] = v;
            }
            // trailing lower triangle: a[i][j] -= l_i l_j for k < j <= i
            final int kk = k;
            int rows = d - k - 1;
            int chunk = 32;
            int items = (rows + chunk - 1) / chunk;
            Parallel.forEach(items, rows >= 128 ? threads : 1, (item, slot) -> {
                int i0 = kk + 1 + item * chunk;
                int i1 = Math.min(d, i0 + chunk);
                for (int i = i0; i < i1; i++) {
                    double li = col[i];
                    int row = i * d;
                    for (int j = kk + 1; j <= i; j++) {
                        a[row + j] -= li * col[j];
                    }
                }
            });
        }
        return d;
    }

    /** Swaps index k < p of a symmetric matrix held in its lower triangle (LAPACK dpstf2's swap). */
    private static void swapSymmetric(double[] a, int d, int k, int p) {
        swap(a, k * d + k, p * d + p);
        for (int j = 0; j < k; j++) {
            swap(a, k * d + j, p * d + j);
        }
        for (int i = k + 1; i < p; i++) {
            swap(a, i * d + k, p * d + i);
        }
        for (int i = p + 1; i < d; i++) {
            swap(a, i * d + k, i * d + p);
        }
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
