package org.stainbench.training.fit;

import java.util.SplittableRandom;
import org.stainbench.tiles.ColourMap;

/**
 * Fits a {@link ColourMap} from H&amp;E pixels to the distribution of real IHC pixels with Adam on the
 * sliced Wasserstein distance. Deterministic for a given seed and samplers: every random draw comes
 * from one {@link SplittableRandom} seeded by {@link Config#seed()}.
 */
public final class ColourMapTrainer {

    /** Draws {@code n} pixels as optical densities (source) or 0–1 colours (target), 3 values each. */
    @FunctionalInterface
    public interface PixelSampler {
        double[] sample(int n, SplittableRandom random);
    }

    /** Called after every step and at the end of every epoch; return false to stop early. */
    public interface Listener {
        boolean step(int epoch, int step, double loss);

        void epochEnd(int epoch, ColourMap model, double meanLoss);
    }

    public record Config(
            int epochs, int stepsPerEpoch, int batchPixels, int projections, double learningRate, long seed) {

        public Config {
            if (epochs < 1 || stepsPerEpoch < 1 || batchPixels < 2 || projections < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("epochs, steps per epoch, batch pixels (≥ 2), projections and a "
                        + "positive learning rate are required");
            }
        }

        public static Config defaults(long seed) {
            return new Config(5, 40, 2048, 32, 0.02, seed);
        }
    }

    private ColourMapTrainer() {}

    /** Turns 8-bit RGB pixels into the optical densities the map takes. */
    public static double[] opticalDensities(byte[] rgb, int[] pixelIndices) {
        double[] out = new double[pixelIndices.length * 3];
        for (int i = 0; i < pixelIndices.length; i++) {
            int o = pixelIndices[i] * 3;
            for (int c = 0; c < 3; c++) {
                out[i * 3 + c] = ColourMap.od(rgb[o + c] & 0xff);
            }
        }
        return out;
    }

    /** Runs the whole fit; returns the final map. */
    public static ColourMap train(PixelSampler source, PixelSampler target, Config config, Listener listener) {
        SplittableRandom random = new SplittableRandom(config.seed());
        double[] p = ColourMap.identity().parameters();
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        double beta1 = 0.9;
        double beta2 = 0.999;
        int t = 0;
        ColourMap model = ColourMap.of(p);
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            double lossSum = 0;
            for (int step = 1; step <= config.stepsPerEpoch(); step++) {
                double[] od = source.sample(config.batchPixels(), random);
                double[] real = target.sample(config.batchPixels(), random);
                double[] dirs = SlicedWasserstein.directions(config.projections(), random);
                Step s = lossAndGradient(model, od, real, dirs);
                lossSum += s.loss;
                t++;
                for (int i = 0; i < p.length; i++) {
                    m[i] = beta1 * m[i] + (1 - beta1) * s.gradient[i];
                    v[i] = beta2 * v[i] + (1 - beta2) * s.gradient[i] * s.gradient[i];
                    double mh = m[i] / (1 - Math.pow(beta1, t));
                    double vh = v[i] / (1 - Math.pow(beta2, t));
                    p[i] -= config.learningRate() * mh / (Math.sqrt(vh) + 1e-8);
                }
                model = ColourMap.of(p);
                if (!listener.step(epoch, step, s.loss)) {
                    return model;
                }
            }
            listener.epochEnd(epoch, model, lossSum / config.stepsPerEpoch());
        }
        return model;
    }

    record Step(double loss, double[] gradient) {}

    /** SW² between mapped source pixels and real pixels, and its gradient with respect to the 12 parameters. */
    static Step lossAndGradient(ColourMap model, double[] od, double[] real, double[] directions) {
        int n = od.length / 3;
        double[] gen = new double[od.length];
        for (int i = 0; i < n; i++) {
            model.mapOd(od[i * 3], od[i * 3 + 1], od[i * 3 + 2], gen, i * 3);
        }
        SlicedWasserstein.Result sw = SlicedWasserstein.compute(gen, real, directions);
        double[] g = new double[12];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                // gen = (256·exp(−y) − 1)/255  ⇒  dgen/dy = −256·exp(−y)/255 = −(gen + 1/255)
                double dy = sw.gradient()[i * 3 + c] * -(gen[i * 3 + c] + 1 / 255.0);
                g[c * 3] += dy * od[i * 3];
                g[c * 3 + 1] += dy * od[i * 3 + 1];
                g[c * 3 + 2] += dy * od[i * 3 + 2];
                g[9 + c] += dy;
            }
        }
        return new Step(sw.value(), g);
    }
}
