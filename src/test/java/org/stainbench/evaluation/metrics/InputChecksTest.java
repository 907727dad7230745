package org.stainbench.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bad inputs give a clear IllegalArgumentException, never a number. */
class InputChecksTest {

    static Features random(String what, int n, int d, long seed) {
        SplitMix64 r = new SplitMix64(seed);
        double[] a = new double[n * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextInt(1000) / 100.0;
        }
        return Features.of(what, n, d, a);
    }

    @Test
    void nonFiniteFeaturesAreRefused() {
        double[] a = new double[12];
        a[7] = Double.NaN;
        assertThatThrownBy(() -> Features.of("fake", 3, 4, a))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fake")
                .hasMessageContaining("sample 1, dimension 3")
                .hasMessageContaining("NaN");
        float[] f = new float[4];
        f[0] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> Features.ofFloats("real", 2, 2, f)).hasMessageContaining("Infinity");
    }

    @Test
    void mismatchedShapesAreRefused() {
        assertThatThrownBy(() -> Features.of("x", 3, 4, new double[11])).hasMessageContaining("3 x 4");
        assertThatThrownBy(() -> Fid.compute(random("r", 5, 3, 1), random("f", 5, 4, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensions differ");
        assertThatThrownBy(() -> Kid.compute(random("r", 5, 3, 1), random("f", 5, 4, 2), new Kid.Params(2, 2, 0)))
                .hasMessageContaining("dimensions differ");
    }

    @Test
    void covarianceNeedsTwoSamples() {
        assertThatThrownBy(() -> Fid.compute(random("r", 1, 3, 1), random("f", 5, 3, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 samples");
    }

    @Test
    void kidNeedsEnoughSamplesForItsSubsetSize() {
        assertThatThrownBy(() -> Kid.compute(random("r", 20, 3, 1), random("f", 9, 3, 2), new Kid.Params(3, 10, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subset size 10")
                .hasMessageContaining("9 fake");
        assertThatThrownBy(() -> new Kid.Params(0, 10, 0)).hasMessageContaining("at least 1 subset");
        assertThatThrownBy(() -> new Kid.Params(5, 1, 0)).hasMessageContaining("at least 2 samples");
    }

    @Test
    void floatTilesInZeroOneAreRefusedWhere8BitIsExpected() {
        double[] tile = new double[4 * 4 * 3];
        for (int i = 0; i < tile.length; i++) {
            tile[i] = (i % 7) / 7.0;
        }
        assertThatThrownBy(() -> ImageChecks.requireRgb8("tile 3", tile, 4, 4, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tile 3")
                .hasMessageContaining("[0, 1]")
                .hasMessageContaining("0..255");
        float[] ones = new float[4 * 4 * 3];
        java.util.Arrays.fill(ones, 1f);
        assertThatThrownBy(() -> ImageChecks.requireRgb8("t", ones, 4, 4, 3)).hasMessageContaining("[0, 1]");
        byte[] binary = new byte[4 * 4 * 3];
        binary[5] = 1;
        assertThatThrownBy(() -> ImageChecks.requireRgb8("t", binary, 4, 4, 3)).hasMessageContaining("0 or 1");
    }

    @Test
    void eightBitTilesPassAndOtherMistakesAreNamed() {
        double[] tile = new double[2 * 3 * 3];
        for (int i = 0; i < tile.length; i++) {
            tile[i] = i * 13 % 256;
        }
        ImageChecks.requireRgb8("ok", tile, 2, 3, 3);
        byte[] bytes = new byte[2 * 3 * 3];
        bytes[4] = (byte) 200;
        ImageChecks.requireRgb8("ok", bytes, 2, 3, 3);
        ImageChecks.requireRgb8("black", new double[2 * 3 * 3], 2, 3, 3);

        double[] big = tile.clone();
        big[3] = 256;
        assertThatThrownBy(() -> ImageChecks.requireRgb8("t", big, 2, 3, 3)).hasMessageContaining("outside 0..255");
        double[] frac = tile.clone();
        frac[3] = 12.5;
        assertThatThrownBy(() -> ImageChecks.requireRgb8("t", frac, 2, 3, 3)).hasMessageContaining("not an integer");
        double[] nan = tile.clone();
        nan[0] = Double.NaN;
        assertThatThrownBy(() -> ImageChecks.requireRgb8("t", nan, 2, 3, 3)).hasMessageContaining("finite");
        assertThatThrownBy(() -> ImageChecks.requireRgb8("t", new byte[2 * 3 * 4], 2, 3, 4))
                .hasMessageContaining("3 channels");
        assertThatThrownBy(() -> ImageChecks.requireRgb8("t", new byte[10], 2, 3, 3))
                .hasMessageContaining("2 x 3 x 3");
    }

    @Test
    void cropsMustFitTheTile() {
        assertThatThrownBy(() -> CropPositions.draw(0, 3, 100, 80, 90, 4)).hasMessageContaining("does not fit");
        assertThat(CropPositions.draw(0, 3, 100, 80, 80, 4))
                .allSatisfy(c -> assertThat(c.x()).isZero());
        assertThatThrownBy(() -> StainDistances.wasserstein1(new double[0], new double[] {1}))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> SeedSummary.of(1.0, Double.NaN)).hasMessageContaining("finite");
    }

    /** One dimension: FID = (m1 - m2)^2 + v1 + v2 - 2 sqrt(v1 v2) (closed form); a constant set has rank 0. */
    @Test
    void smallAndDegenerateCasesHaveClosedForms() {
        Features a = Features.of("a", 4, 1, new double[] {1, 2, 3, 4});
        Features b = Features.of("b", 3, 1, new double[] {0, 4, 11});
        double v1 = 5.0 / 3;
        double v2 = 31.0;
        double want = Math.pow(2.5 - 5.0, 2) + v1 + v2 - 2 * Math.sqrt(v1 * v2);
        assertThat(Fid.compute(a, b).value()).isCloseTo(want, org.assertj.core.api.Assertions.within(1e-12));
        Features constant = Features.of("c", 3, 2, new double[] {1, 1, 1, 1, 1, 1});
        Features other = Features.of("o", 3, 2, new double[] {0, 1, 2, 0, 1, 5});
        Fid.Result r = Fid.compute(constant, other);
        assertThat(r.rank()).isZero();
        assertThat(r.value())
                .isCloseTo(r.meanDistanceSquared() + r.trace2(), org.assertj.core.api.Assertions.within(1e-12));
    }
}
