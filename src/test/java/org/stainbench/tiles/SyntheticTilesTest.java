package org.stainbench.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The synthetic tissue gives the lab's filter something to keep and something to reject. */
class SyntheticTilesTest {

    @Test
    void normalTilesPassTheFilterAndTheVariantsFailIt() {
        for (SyntheticTiles.Stain stain : SyntheticTiles.Stain.values()) {
            for (int seed = 1; seed <= 3; seed++) {
                TileMeasures normal =
                        TileMeasures.of(SyntheticTiles.draw(stain, SyntheticTiles.Variant.NORMAL, 256, seed));
                assertThat(normal.informative())
                        .as("%s normal %d: %s", stain, seed, normal)
                        .isTrue();
                TileMeasures blurred =
                        TileMeasures.of(SyntheticTiles.draw(stain, SyntheticTiles.Variant.BLURRED, 256, seed));
                assertThat(blurred.laplacianVariance())
                        .as("%s blurred %d", stain, seed)
                        .isLessThan(100);
                TileMeasures white =
                        TileMeasures.of(SyntheticTiles.draw(stain, SyntheticTiles.Variant.MOSTLY_WHITE, 256, seed));
                assertThat(white.informative())
                        .as("%s white %d: %s", stain, seed, white)
                        .isFalse();
            }
        }
    }

    @Test
    void theSameSeedDrawsTheSameTile() {
        assertThat(SyntheticTiles.draw(SyntheticTiles.Stain.CK7, SyntheticTiles.Variant.NORMAL, 128, 42))
                .isEqualTo(SyntheticTiles.draw(SyntheticTiles.Stain.CK7, SyntheticTiles.Variant.NORMAL, 128, 42));
    }
}
