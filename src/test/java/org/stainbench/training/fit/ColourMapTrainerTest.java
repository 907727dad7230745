package org.stainbench.training.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.stainbench.tiles.ColourMap;
import org.stainbench.tiles.RgbTile;

class ColourMapTrainerTest {

    /** Central differences with h = 1e-6 on a smooth loss: relative agreement to ~1e-5. */
    private static final double GRADIENT_REL_TOL = 1e-4;

    /** H&E-like source pixels: pink stroma and purple nuclei, as optical densities. */
    static ColourMapTrainer.PixelSampler source() {
        return (n, r) -> {
            double[] out = new double[n * 3];
            for (int i = 0; i < n; i++) {
                boolean nucleus = r.nextDouble() < 0.3;
                int[] rgb = nucleus
                        ? new int[] {90 + r.nextInt(30), 60 + r.nextInt(30), 140 + r.nextInt(30)}
                        : new int[] {220 + r.nextInt(25), 140 + r.nextInt(30), 190 + r.nextInt(30)};
                for (int c = 0; c < 3; c++) {
                    out[i * 3 + c] = ColourMap.od(rgb[c]);
                }
            }
            return out;
        };
    }

    /** What the source looks like after a known map: the fit must get close to it. */
    static final ColourMap TRUTH =
            new ColourMap(new double[] {0.6, 0.5, 0.0, 0.2, 1.1, 0.1, 0.0, 0.3, 0.5}, new double[] {0.05, 0.0, 0.1});

    static ColourMapTrainer.PixelSampler target() {
        ColourMapTrainer.PixelSampler src = source();
        return (n, r) -> {
            double[] od = src.sample(n, r);
            double[] out = new double[n * 3];
            for (int i = 0; i < n; i++) {
                TRUTH.mapOd(od[i * 3], od[i * 3 + 1], od[i * 3 + 2], out, i * 3);
            }
            return out;
        };
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        double[] od = source().sample(64, r);
        double[] real = target().sample(64, r);
        double[] dirs = SlicedWasserstein.directions(8, r);
        ColourMap model =
                new ColourMap(new double[] {0.9, 0.1, 0, 0, 1.05, 0.02, 0.1, 0, 0.95}, new double[] {0.01, 0, 0});
        double[] g = ColourMapTrainer.lossAndGradient(model, od, real, dirs).gradient();
        double[] p = model.parameters();
        double h = 1e-6;
        for (int i = 0; i < 12; i++) {
            double[] plus = p.clone();
            double[] minus = p.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (ColourMapTrainer.lossAndGradient(ColourMap.of(plus), od, real, dirs)
                                    .loss()
                            - ColourMapTrainer.lossAndGradient(ColourMap.of(minus), od, real, dirs)
                                    .loss())
                    / (2 * h);
            assertThat(g[i])
                    .as("parameter %d", i)
                    .isCloseTo(numeric, within(GRADIENT_REL_TOL * Math.max(1e-3, Math.abs(numeric))));
        }
    }

    @Test
    void trainingLowersTheLossAndIsReproducible() {
        var config = new ColourMapTrainer.Config(4, 30, 512, 16, 0.03, 7);
        List<Double> losses = new ArrayList<>();
        List<Double> epochLosses = new ArrayList<>();
        var listener = new ColourMapTrainer.Listener() {
            @Override
            public boolean step(int epoch, int step, double loss) {
                losses.add(loss);
                return true;
            }

            @Override
            public void epochEnd(int epoch, ColourMap model, double meanLoss) {
                epochLosses.add(meanLoss);
            }
        };
        ColourMap fitted = ColourMapTrainer.train(source(), target(), config, listener);
        assertThat(losses).hasSize(120);
        assertThat(epochLosses).hasSize(4);
        assertThat(epochLosses.get(3)).isLessThan(epochLosses.get(0));
        // On a large fixed evaluation sample the fitted map is much closer to the target than the identity.
        double before = evalLoss(ColourMap.identity());
        double after = evalLoss(fitted);
        assertThat(after).as("SW² after vs before (%s vs %s)", after, before).isLessThan(before * 0.2);
        ColourMap again = ColourMapTrainer.train(source(), target(), config, new ColourMapTrainer.Listener() {
            @Override
            public boolean step(int epoch, int step, double loss) {
                return true;
            }

            @Override
            public void epochEnd(int epoch, ColourMap model, double meanLoss) {}
        });
        assertThat(again.a()).containsExactly(fitted.a());
        assertThat(again.b()).containsExactly(fitted.b());
    }

    static double evalLoss(ColourMap model) {
        SplittableRandom r = new SplittableRandom(99);
        double[] od = source().sample(4096, r);
        double[] real = target().sample(4096, r);
        return ColourMapTrainer.lossAndGradient(model, od, real, SlicedWasserstein.directions(64, r))
                .loss();
    }

    @Test
    void theTextFormKeepsEveryBit() {
        assertThat(ColourMap.parse(TRUTH.toText())).isEqualTo(TRUTH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ColourMap.parse("map=1,2"))
                .hasMessageContaining("12 parameters");
    }

    @Test
    void identityLeavesATileUnchanged() {
        byte[] px = new byte[4 * 4 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 17);
        }
        RgbTile t = new RgbTile(4, 4, px);
        assertThat(ColourMap.identity().apply(t)).isEqualTo(t);
    }
}
