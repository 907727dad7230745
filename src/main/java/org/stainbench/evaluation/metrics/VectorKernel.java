package org.stainbench.evaluation.metrics;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD micro-kernel of {@link Gemm}: a 4 x (2 vectors) tile of C kept in 8 vector registers,
 * loaded from C, updated by fused multiply-adds over the packed k-block, stored back. Kept small so that
 * C2 inlines every Vector API call (a larger body hits NodeCountInliningCutoff and boxes the vectors).
 * Only loaded when {@link VectorSupport#AVAILABLE}.
 */
final class VectorKernel {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int LANES = S.length();

    private VectorKernel() {}

    /** C(MR x NR at c[co], row stride ldc) += packed A(kc x MR) * packed B(kc x NR). Full tiles only. */
    static void kernel(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc) {
        final int l = LANES;
        int r1 = co + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        DoubleVector c00 = DoubleVector.fromArray(S, c, co);
        DoubleVector c01 = DoubleVector.fromArray(S, c, co + l);
        DoubleVector c10 = DoubleVector.fromArray(S, c, r1);
        DoubleVector c11 = DoubleVector.fromArray(S, c, r1 + l);
        DoubleVector c20 = DoubleVector.fromArray(S, c, r2);
        DoubleVector c21 = DoubleVector.fromArray(S, c, r2 + l);
        DoubleVector c30 = DoubleVector.fromArray(S, c, r3);
        DoubleVector c31 = DoubleVector.fromArray(S, c, r3 + l);
        int a = ao;
        int b = bo;
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, b);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, b + l);
            DoubleVector x = DoubleVector.broadcast(S, ap[a]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            a += 4;
            b += 2 * l;
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + l);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + l);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + l);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + l);
    }
}
