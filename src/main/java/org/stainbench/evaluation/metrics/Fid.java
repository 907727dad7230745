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

    private Fid() {}

    /** The value and its parts; {@code rank} is the numerical rank found for the first covariance. */
    public record Result(
            double value,
            double meanDistanceSquared,
            double trace1,
            double trace2,
            double traceSqrtProduct,
            int rank) {}

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
            throw new IllegalArgumentException(
                    "statistics of different dimensions: " + a.dimension() + " and " + b.dimension());
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

    /** Columns per panel of the blocked pivoted Cholesky. */
    static final int CHOLESKY_NB = 64;

    /**
     * Pivoted Cholesky of a symmetric positive semi-definite matrix (as LAPACK {@code dpstrf}, lower, blocked):
     * P^T A P = L L^T with the largest remaining diagonal chosen at each step, stopping when it falls to
     * {@code d * eps * max(diag A)}. Within a panel of {@link #CHOLESKY_NB} columns the updates are deferred
     * (each column is corrected by the panel's previous columns); the trailing matrix is then updated once per
     * panel by a matrix product. {@code a} is full symmetric storage and is overwritten: on return the lower
     * triangle of its first r columns holds L, and {@code piv[i]} is the original index of row i. Returns r.
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
        double[] diag = new double[d];
        for (int k0 = 0; k0 < d; k0 += CHOLESKY_NB) {
            int nb = Math.min(CHOLESKY_NB, d - k0);
            for (int i = k0; i < d; i++) {
                diag[i] = a[i * d + i];
            }
            for (int j = 0; j < nb; j++) {
                int kk = k0 + j;
                int p = kk;
                double best = diag[kk];
                for (int i = kk + 1; i < d; i++) {
                    if (diag[i] > best) {
                        best = diag[i];
                        p = i;
                    }
                }
                if (!(best > tol)) {
                    return kk;
                }
                if (p != kk) {
                    swapRowsAndColumns(a, d, kk, p);
                    double t = diag[kk];
                    diag[kk] = diag[p];
                    diag[p] = t;
                    int ti = piv[kk];
                    piv[kk] = piv[p];
                    piv[p] = ti;
                }
                double ljj = Math.sqrt(diag[kk]);
                a[kk * d + kk] = ljj;
                int rowK = kk * d;
                for (int i = kk + 1; i < d; i++) {
                    // a[kk][i] is the trailing value of column kk (symmetric storage, updated through the last panel)
                    double v = a[rowK + i];
                    int rowI = i * d;
                    for (int t = k0; t < kk; t++) {
                        v -= a[rowI + t] * a[rowK + t];
                    }
                    v /= ljj;
                    a[rowI + kk] = v;
                    diag[i] -= v * v;
                }
            }
            int s = k0 + nb;
            int t = d - s;
            if (t > 0) {
                // trailing update: A22 -= L21 L21^T, L21 = a[s.., k0..s)
                double[] neg = new double[t * nb];
                for (int r = 0; r < t; r++) {
                    int src = (s + r) * d + k0;
                    for (int c = 0; c < nb; c++) {
                        neg[r * nb + c] = -a[src + c];
                    }
                }
                Gemm.multiplyAdd(
                        new Gemm.View(neg, 0, nb, false),
                        new Gemm.View(a, s * d + k0, d, true),
                        a,
                        s * d + s,
                        d,
                        t,
                        t,
                        nb,
                        false);
            }
        }
        return d;
    }

    /** Swaps rows k and p and columns k and p of a full d x d matrix. */
    private static void swapRowsAndColumns(double[] a, int d, int k, int p) {
        int rk = k * d;
        int rp = p * d;
        for (int c = 0; c < d; c++) {
            double t = a[rk + c];
            a[rk + c] = a[rp + c];
            a[rp + c] = t;
        }
        for (int r = 0; r < d; r++) {
            swap(a, r * d + k, r * d + p);
        }
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
