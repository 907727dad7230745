package org.stainbench.evaluation.metrics;

/**
 * Eigenvalues (no vectors) of a real symmetric matrix: Householder reduction to tridiagonal form
 * (as LAPACK {@code dsytd2}, lower), then the implicit QL iteration of EISPACK {@code tql1}
 * (as in JAMA's {@code tql2} without vectors). The O(n^3) reduction is parallel over column ranges, so each
 * element is computed by one thread in a fixed order: results do not depend on the number of threads.
 */
final class SymmetricEigen {

    /** Column chunk per task in the parallel passes. */
    private static final int CHUNK = 256;

    private SymmetricEigen() {}

    /** Eigenvalues of the symmetric n x n row-major matrix {@code a} (overwritten), ascending. */
    static double[] eigenvalues(double[] a, int n) {
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonalize(a, n, d, e);
        tql1(d, e, n);
        java.util.Arrays.sort(d);
        return d;
    }

    /** Columns per panel of the blocked reduction. */
    static final int NB = 32;
    /** Below this trailing size the reduction finishes unblocked. */
    static final int NX = 128;

    /**
     * Reduces a (full symmetric storage, both triangles kept consistent) to tridiagonal T = Q^T A Q with
     * diagonal d and sub-diagonal e[0..n-2]. Blocked as LAPACK {@code dsytrd}/{@code dlatrd} (lower): a panel of
     * NB reflectors is built with one pass over the trailing matrix per reflector (a matrix-vector product), and
     * the trailing matrix is then updated once per panel by a matrix product, A22 -= V W^T + W V^T.
     */
    static void tridiagonalize(double[] a, int n, double[] d, double[] e) {
        int i = 0;
        while (n - i > NX + NB) {
            int m = n - i;
            double[] v = new double[m * NB];
            double[] w = new double[m * NB];
            panel(a, n, i, v, w, d, e);
            int t = m - NB;
            double[] left = new double[t * 2 * NB];
            double[] right = new double[t * 2 * NB];
            for (int r = 0; r < t; r++) {
                int src = (r + NB) * NB;
                int dst = r * 2 * NB;
                for (int k = 0; k < NB; k++) {
                    left[dst + k] = -v[src + k];
                    left[dst + NB + k] = -w[src + k];
                    right[dst + k] = w[src + k];
                    right[dst + NB + k] = v[src + k];
                }
            }
            int off = (i + NB) * n + i + NB;
            Gemm.multiplyAdd(
                    new Gemm.View(left, 0, 2 * NB, false),
                    new Gemm.View(right, 0, 2 * NB, true),
                    a,
                    off,
                    n,
                    t,
                    t,
                    2 * NB,
                    false);
            i += NB;
        }
        unblocked(a, n, i, d, e);
    }

    /**
     * dlatrd (lower) on the trailing matrix starting at index i: reduces columns i..i+NB-1, leaving A unchanged
     * and the reflectors in v (m x NB, row r = global row i + r, v[g+1][j] = 1 for column g = i + j) and the
     * matching w, so that the trailing update is A22 -= V W^T + W V^T.
     */
    private static void panel(double[] a, int n, int i, double[] v, double[] w, double[] d, double[] e) {
        int m = n - i;
        double[] col = new double[m];
        double[] y = new double[n];
        double[] tmp1 = new double[NB];
        double[] tmp2 = new double[NB];
        int threads = Parallel.threads();
        for (int j = 0; j < NB; j++) {
            int g = i + j;
            int lg = j; // local row of g
            // column g (= row g), updated by the panel's previous reflectors
            for (int r = lg; r < m; r++) {
                double c = a[g * n + i + r];
                for (int k = 0; k < j; k++) {
                    c -= v[r * NB + k] * w[lg * NB + k] + w[r * NB + k] * v[lg * NB + k];
                }
                col[r] = c;
            }
            d[g] = col[lg];
            // Householder reflector for x = col[lg+1..m)
            double alpha = col[lg + 1];
            double scale = 0.0;
            for (int r = lg + 2; r < m; r++) {
                scale = Math.max(scale, Math.abs(col[r]));
            }
            double xnorm = 0.0;
            if (scale > 0.0) {
                double ss = 0.0;
                for (int r = lg + 2; r < m; r++) {
                    double t = col[r] / scale;
                    ss += t * t;
                }
                xnorm = scale * Math.sqrt(ss);
            }
            double tau;
            v[(lg + 1) * NB + j] = 1.0;
            if (xnorm == 0.0) {
                tau = 0.0;
                e[g] = alpha;
            } else {
                double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
                tau = (beta - alpha) / beta;
                double inv = 1.0 / (alpha - beta);
                for (int r = lg + 2; r < m; r++) {
                    v[r * NB + j] = col[r] * inv;
                }
                e[g] = beta;
            }
            if (tau == 0.0) {
                continue; // w column stays zero
            }
            // y = A[g+1.., g+1..] v  (A not yet updated by this panel), column-chunked, rows in order
            final int s0 = g + 1;
            final int jj = j;
            int chunks = (n - s0 + CHUNK - 1) / CHUNK;
            Parallel.forEach(chunks, (n - s0) >= 2 * CHUNK ? threads : 1, (chunk, slot) -> {
                int c0 = s0 + chunk * CHUNK;
                int c1 = Math.min(n, c0 + CHUNK);
                for (int c = c0; c < c1; c++) {
                    y[c] = 0.0;
                }
                for (int r = s0; r < n; r++) {
                    double vr = v[(r - i) * NB + jj];
                    if (vr == 0.0) {
                        continue;
                    }
                    int row = r * n;
                    for (int c = c0; c < c1; c++) {
                        y[c] += vr * a[row + c];
                    }
                }
            });
            // y -= V (W^T v) + W (V^T v) over the previous reflectors
            for (int k = 0; k < j; k++) {
                double sw = 0.0;
                double sv = 0.0;
                for (int r = lg + 1; r < m; r++) {
                    double vr = v[r * NB + j];
                    sw += w[r * NB + k] * vr;
                    sv += v[r * NB + k] * vr;
                }
                tmp1[k] = sw;
                tmp2[k] = sv;
            }
            for (int r = lg + 1; r < m; r++) {
                double c = y[i + r];
                for (int k = 0; k < j; k++) {
                    c -= v[r * NB + k] * tmp1[k] + w[r * NB + k] * tmp2[k];
                }
                w[r * NB + j] = tau * c;
            }
            double wv = 0.0;
            for (int r = lg + 1; r < m; r++) {
                wv += w[r * NB + j] * v[r * NB + j];
            }
            double half = -0.5 * tau * wv;
            for (int r = lg + 1; r < m; r++) {
                w[r * NB + j] += half * v[r * NB + j];
            }
        }
    }

    /** dsytd2 (lower) from column k0 on, updating the trailing matrix after each reflector. */
    static void unblocked(double[] a, int n, int k0, double[] d, double[] e) {
        double[] v = new double[n];
        double[] p = new double[n];
        int threads = Parallel.threads();
        for (int k = k0; k < n - 2; k++) {
            final int s = k + 1; // the trailing block is a[s.., s..]
            final int m = n - s;
            // Householder vector for x = a[k][s..n)
            double alpha = a[k * n + s];
            double xnorm = 0.0;
            double scale = 0.0;
            for (int i = s + 1; i < n; i++) {
                scale = Math.max(scale, Math.abs(a[k * n + i]));
            }
            if (scale > 0.0) {
                double ss = 0.0;
                for (int i = s + 1; i < n; i++) {
                    double t = a[k * n + i] / scale;
                    ss += t * t;
                }
                xnorm = scale * Math.sqrt(ss);
            }
            d[k] = a[k * n + k];
            if (xnorm == 0.0) {
                e[k] = alpha; // already reduced: H = I
                continue;
            }
            double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
            double tau = (beta - alpha) / beta;
            double inv = 1.0 / (alpha - beta);
            v[s] = 1.0;
            for (int i = s + 1; i < n; i++) {
                v[i] = a[k * n + i] * inv;
            }
            e[k] = beta;
            // p = tau * B v over the trailing block (column-chunked, rows in order)
            int chunks = (m + CHUNK - 1) / CHUNK;
            Parallel.forEach(chunks, threads, (chunk, slot) -> {
                int c0 = s + chunk * CHUNK;
                int c1 = Math.min(n, c0 + CHUNK);
                for (int c = c0; c < c1; c++) {
                    p[c] = 0.0;
                }
                for (int j = s; j < n; j++) {
                    double vj = v[j];
                    int row = j * n;
                    for (int c = c0; c < c1; c++) {
                        p[c] += vj * a[row + c];
                    }
                }
                for (int c = c0; c < c1; c++) {
                    p[c] *= tau;
                }
            });
            // w = p - (tau/2)(p.v) v, stored in p
            double pv = 0.0;
            for (int i = s; i < n; i++) {
                pv += p[i] * v[i];
            }
            double half = 0.5 * tau * pv;
            for (int i = s; i < n; i++) {
                p[i] -= half * v[i];
            }
            // B -= v w^T + w v^T
            Parallel.forEach(chunks, threads, (chunk, slot) -> {
                int c0 = s + chunk * CHUNK;
                int c1 = Math.min(n, c0 + CHUNK);
                for (int j = s; j < n; j++) {
                    double vj = v[j];
                    double wj = p[j];
                    int row = j * n;
                    for (int c = c0; c < c1; c++) {
                        a[row + c] = a[row + c] - vj * p[c] - wj * v[c];
                    }
                }
            });
        }
        if (n >= 2) {
            d[n - 2] = a[(n - 2) * n + n - 2];
            e[n - 2] = a[(n - 2) * n + n - 1];
        }
        d[n - 1] = a[(n - 1) * n + n - 1];
        if (n >= 1) {
            e[n - 1] = 0.0;
        }
    }

    /**
     * Eigenvalues of the symmetric tridiagonal matrix (diagonal d, sub-diagonal e[0..n-2]) by the implicit
     * QL method with Wilkinson-style shifts (EISPACK tql1); d is overwritten with the eigenvalues.
     */
    static void tql1(double[] d, double[] e, int n) {
        // e[i] couples d[i] and d[i+1]; tql1 needs e[n-1] = 0
        if (n > 0) {
            e[n - 1] = 0.0;
        }
        double f = 0.0;
        double tst1 = 0.0;
        double eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n) {
                if (Math.abs(e[m]) <= eps * tst1) {
                    break;
                }
                m++;
            }
            if (m == n) {
                m = n - 1;
            }
            if (m > l) {
                int iter = 0;
                do {
                    if (++iter > 300) {
                        throw new IllegalStateException("symmetric eigenvalues did not converge");
                    }
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2.0 * e[l]);
                    double r = Math.hypot(p, 1.0);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[m];
                    double c = 1.0;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0.0;
                    double s2 = 0.0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] = d[l] + f;
            e[l] = 0.0;
        }
    }
}
