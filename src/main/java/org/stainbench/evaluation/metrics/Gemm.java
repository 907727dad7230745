package org.stainbench.evaluation.metrics;

/**
 * Dense float64 matrix products for the metrics, blocked in the GotoBLAS way (packed panels, a register
 * micro-kernel) and run on {@link Parallel}'s threads. The micro-kernel uses the Java Vector API when the
 * JVM was started with {@code --add-modules jdk.incubator.vector}, else a scalar kernel. Both use fused
 * multiply-add in the same order, so every element of a product is bit-identical whichever kernel and
 * however many threads ran it: each output tile is computed by one thread, summing k in ascending order
 * within a k-block, k-blocks in ascending order.
 */
final class Gemm {

    /** Rows of a micro-tile (see VectorKernel). */
    static final int MR = 4;
    /** Columns of a micro-tile: two SIMD vectors. */
    static final int NR = VectorSupport.AVAILABLE ? 2 * VectorSupport.lanes() : 16;
    /** Depth of a packed k-block (fewer passes over C; a micro-panel of B, KC x NR, stays in L2). */
    static final int KC = 1024;
    /** Rows of a packed block of A (MC x KC, stays in L2). */
    static final int MC = 96;

    private Gemm() {}

    /**
     * A read-only view of a row-major array as an r x c matrix: element (i, j) is
     * {@code a[off + i * ld + j]}, or {@code a[off + j * ld + i]} when {@code transposed}.
     */
    record View(double[] a, int off, int ld, boolean transposed) {
        double get(int i, int j) {
            return transposed ? a[off + j * ld + i] : a[off + i * ld + j];
        }
    }

    /**
     * C = A B with A m x k and B k x n, C row-major m x n (overwritten). With {@code upperOnly} only the
     * micro-tiles that touch the upper triangle (j >= i) are computed; the rest of C is left as zero.
     */
    static void multiply(View a, View b, double[] c, int m, int n, int k, boolean upperOnly) {
        java.util.Arrays.fill(c, 0, m * n, 0.0);
        multiplyAdd(a, b, c, 0, n, m, n, k, upperOnly);
    }

    /**
     * C += A B where C is the m x n block of a row-major array at offset {@code co} with row stride {@code ldc}.
     * With {@code upperOnly} only micro-tiles touching j >= i are updated.
     */
    static void multiplyAdd(View a, View b, double[] c, int co, int ldc, int m, int n, int k, boolean upperOnly) {
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        int nPanels = (n + NR - 1) / NR;
        double[] bp = new double[nPanels * NR * Math.min(KC, k)];
        int threads = Parallel.threads();
        double[][] apBuf = new double[threads][MC * Math.min(KC, k)];
        double[][] tmp = new double[threads][MR * NR];
        for (int pc = 0; pc < k; pc += KC) {
            final int kc = Math.min(KC, k - pc);
            final int p0 = pc;
            // pack B(p0:p0+kc, :) in panels of NR columns, in parallel
            Parallel.forEach(
                    nPanels,
                    threads,
                    (panel, t) -> packB(b, p0, kc, panel * NR, Math.min(NR, n - panel * NR), bp, panel * NR * kc));
            int mBlocks = (m + MC - 1) / MC;
            Parallel.forEach(mBlocks, threads, (blk, t) -> {
                int i0 = blk * MC;
                int mc = Math.min(MC, m - i0);
                double[] ap = apBuf[t];
                for (int ir = 0; ir < mc; ir += MR) {
                    packA(a, i0 + ir, Math.min(MR, mc - ir), p0, kc, ap, ir * kc);
                }
                int jStart = 0;
                if (upperOnly) {
                    jStart = (i0 / NR) * NR;
                }
                for (int jr = jStart; jr < n; jr += NR) {
                    int cols = Math.min(NR, n - jr);
                    int bo = (jr / NR) * NR * kc;
                    for (int ir = 0; ir < mc; ir += MR) {
                        int row = i0 + ir;
                        if (upperOnly && jr + cols <= row) {
                            continue; // tile entirely below the diagonal
                        }
                        int rows = Math.min(MR, mc - ir);
                        if (rows == MR && cols == NR) {
                            kernel(kc, ap, ir * kc, bp, bo, c, co + row * ldc + jr, ldc);
                        } else {
                            // edge tile: run the same kernel on a full-size copy of the tile
                            double[] tile = tmp[t];
                            for (int r = 0; r < MR; r++) {
                                for (int j = 0; j < NR; j++) {
                                    tile[r * NR + j] = r < rows && j < cols ? c[co + (row + r) * ldc + jr + j] : 0.0;
                                }
                            }
                            kernel(kc, ap, ir * kc, bp, bo, tile, 0, NR);
                            for (int r = 0; r < rows; r++) {
                                System.arraycopy(tile, r * NR, c, co + (row + r) * ldc + jr, cols);
                            }
                        }
                    }
                }
            });
        }
    }

    /** C = X^T X for row-major X (rows x cols), symmetric cols x cols, both triangles filled. */
    static double[] gram(double[] x, int rows, int cols) {
        double[] c = new double[cols * cols];
        multiply(new View(x, 0, cols, true), new View(x, 0, cols, false), c, cols, cols, rows, true);
        mirrorUpper(c, cols);
        return c;
    }

    /** G = X Y^T for row-major X (m x d) and Y (n x d). */
    static double[] outer(double[] x, int m, double[] y, int n, int d) {
        double[] c = new double[m * n];
        multiply(new View(x, 0, d, false), new View(y, 0, d, true), c, m, n, d, false);
        return c;
    }

    /** G = X X^T for row-major X (m x d), both triangles filled. */
    static double[] selfOuter(double[] x, int m, int d) {
        double[] c = selfOuterUpper(x, m, d);
        mirrorUpper(c, m);
        return c;
    }

    /** G = X X^T for row-major X (m x d); only the upper triangle (j >= i) is guaranteed. */
    static double[] selfOuterUpper(double[] x, int m, int d) {
        double[] c = new double[m * m];
        multiply(new View(x, 0, d, false), new View(x, 0, d, true), c, m, m, d, true);
        return c;
    }

    static void mirrorUpper(double[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                c[i * n + j] = c[j * n + i];
            }
        }
    }

    /** Packs rows i0..i0+rows of A, columns p0..p0+kc, as kc groups of MR values (zero padded). */
    static void packA(View a, int i0, int rows, int p0, int kc, double[] dst, int off) {
        double[] src = a.a();
        int ld = a.ld();
        if (a.transposed()) {
            for (int p = 0; p < kc; p++) {
                int s = a.off() + (p0 + p) * ld + i0;
                int d = off + p * MR;
                System.arraycopy(src, s, dst, d, rows);
                for (int r = rows; r < MR; r++) {
                    dst[d + r] = 0.0;
                }
            }
        } else {
            for (int r = 0; r < MR; r++) {
                if (r < rows) {
                    int s = a.off() + (i0 + r) * ld + p0;
                    for (int p = 0; p < kc; p++) {
                        dst[off + p * MR + r] = src[s + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst[off + p * MR + r] = 0.0;
                    }
                }
            }
        }
    }

    /** Packs rows p0..p0+kc of B, columns j0..j0+cols, as kc groups of NR values (zero padded). */
    static void packB(View b, int p0, int kc, int j0, int cols, double[] dst, int off) {
        double[] src = b.a();
        int ld = b.ld();
        if (!b.transposed()) {
            for (int p = 0; p < kc; p++) {
                int s = b.off() + (p0 + p) * ld + j0;
                int d = off + p * NR;
                System.arraycopy(src, s, dst, d, cols);
                for (int j = cols; j < NR; j++) {
                    dst[d + j] = 0.0;
                }
            }
        } else {
            for (int j = 0; j < NR; j++) {
                if (j < cols) {
                    int s = b.off() + (j0 + j) * ld + p0;
                    for (int p = 0; p < kc; p++) {
                        dst[off + p * NR + j] = src[s + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst[off + p * NR + j] = 0.0;
                    }
                }
            }
        }
    }

    static void kernel(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc) {
        if (VectorSupport.AVAILABLE) {
            VectorKernel.kernel(kc, ap, ao, bp, bo, c, co, ldc);
        } else {
            scalarKernel(kc, ap, ao, bp, bo, c, co, ldc);
        }
    }

    /**
     * The reference micro-kernel, same arithmetic as the vector one: each element of the MR x NR tile of C
     * is updated by Math.fma over p in ascending order.
     */
    static void scalarKernel(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc) {
        for (int r = 0; r < MR; r++) {
            int cr = co + r * ldc;
            for (int j = 0; j < NR; j++) {
                double acc = c[cr + j];
                for (int p = 0; p < kc; p++) {
                    acc = Math.fma(ap[ao + p * MR + r], bp[bo + p * NR + j], acc);
                }
                c[cr + j] = acc;
            }
        }
    }
}
