package org.stainbench.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * FID, KID and CropFID against numpy/scipy reference values written by
 * {@code src/test/python/metrics_reference.py} (expressions quoted per test).
 */
class FidKidReferenceTest {

    /** The bound for FID against scipy's sqrtm-based value. */
    static final double FID_RELATIVE = 1e-6;
    /** KID: same subsets, same float64 kernel sums; only summation order differs. */
    static final double KID_RELATIVE = 1e-9;

    final JsonNode expected = Fixtures.expected();

    /**
     * Expected: pytorch-fid {@code calculate_frechet_distance} on {@code np.mean}, {@code np.cov(rowvar=False)},
     * {@code tr = np.trace(scipy.linalg.sqrtm(s1.dot(s2))).real}; 300 x 16 float64 real, 280 x 16 float32 fake.
     */
    @Test
    void fidMatchesScipyWhenCovariancesAreFullRank() {
        Fid.Result r = Fid.compute(Fixtures.features("full_real.npy"), Fixtures.features("full_fake.npy"));
        JsonNode e = expected.get("full");
        assertThat(r.value())
                .isCloseTo(
                        e.get("fid").asDouble(),
                        within(FID_RELATIVE * e.get("fid").asDouble()));
        assertThat(r.traceSqrtProduct())
                .isCloseTo(
                        e.get("trace_sqrt").asDouble(),
                        within(FID_RELATIVE * e.get("trace_sqrt").asDouble()));
        assertThat(r.rank()).isEqualTo(16);
    }

    /**
     * Expected: the same expression on 40 x 64 real and 30 x 64 fake features: both covariances are singular
     * ({@code np.linalg.matrix_rank(np.cov(real, rowvar=False)) == 39}).
     */
    @Test
    void fidMatchesScipyWhenCovariancesAreSingular() {
        Fid.Result r = Fid.compute(Fixtures.features("singular_real.npy"), Fixtures.features("singular_fake.npy"));
        JsonNode e = expected.get("singular");
        assertThat(r.value())
                .isCloseTo(
                        e.get("fid").asDouble(),
                        within(FID_RELATIVE * e.get("fid").asDouble()));
        assertThat(r.rank()).isEqualTo(e.get("rank_real").asInt());
    }

    /**
     * Expected: torchmetrics' {@code poly_mmd} in float64, {@code (x @ y.T / d + 1) ** 3}, unbiased, on the
     * subsets drawn by SplitMix64(7) (10 x 50); mean and {@code std(ddof=0)} as torchmetrics' compute().
     */
    @Test
    void kidMatchesTorchmetricsFormulaOnTheSameSubsets() {
        for (String name : new String[] {"full", "singular"}) {
            JsonNode e = expected.get(name).get("kid");
            Kid.Result r = Kid.compute(
                    Fixtures.features(name + "_real.npy"),
                    Fixtures.features(name + "_fake.npy"),
                    new Kid.Params(
                            e.get("subsets").asInt(),
                            e.get("subset_size").asInt(),
                            e.get("seed").asLong()));
            double[] values = Fixtures.doubles(e.get("values"));
            assertThat(r.values()).hasSize(values.length);
            for (int i = 0; i < values.length; i++) {
                assertThat(r.values().get(i))
                        .as(name + " subset " + i)
                        .isCloseTo(values[i], within(KID_RELATIVE * Math.abs(values[i]) + 1e-15));
            }
            assertThat(r.mean())
                    .isCloseTo(
                            e.get("mean").asDouble(),
                            within(KID_RELATIVE * Math.abs(e.get("mean").asDouble())));
            assertThat(r.std())
                    .isCloseTo(
                            e.get("std").asDouble(),
                            within(KID_RELATIVE * Math.abs(e.get("std").asDouble())));
        }
    }

    /** Same seed, same numbers (bit for bit); another seed draws other subsets. */
    @Test
    void kidIsReproducibleFromItsSeed() {
        Features real = Fixtures.features("full_real.npy");
        Features fake = Fixtures.features("full_fake.npy");
        Kid.Result a = Kid.compute(real, fake, new Kid.Params(6, 40, 1));
        Kid.Result b = Kid.compute(real, fake, new Kid.Params(6, 40, 1));
        Kid.Result c = Kid.compute(real, fake, new Kid.Params(6, 40, 2));
        assertThat(b.values()).isEqualTo(a.values());
        assertThat(c.values()).doesNotContainAnyElementsOf(a.values());
    }

    /**
     * CropFID: 12 uint8 tiles of 64 x 48 per side, 4 crops of 20 per tile from SplitMix64(3) (positions drawn as
     * {@link CropPositions} documents); per-crop features {@code [mean(c, axis=(0,1)), std(c, axis=(0,1)),
     * mean(c[:10,:10], axis=(0,1))]}, then the pytorch-fid formula.
     */
    @Test
    void cropFidMatchesScipyOnTheSameCropStream() {
        JsonNode e = expected.get("crop");
        int seed = e.get("seed").asInt();
        int size = e.get("size").asInt();
        int perTile = e.get("per_tile").asInt();
        Fixtures.Bytes real = Fixtures.uint8("crop_tiles_real.npy");
        Fixtures.Bytes fake = Fixtures.uint8("crop_tiles_fake.npy");
        int tiles = (int) real.shape()[0];
        int h = (int) real.shape()[1];
        int w = (int) real.shape()[2];
        CropPositions.Crop[] crops = CropPositions.draw(seed, tiles, h, w, size, perTile);
        JsonNode pos = e.get("positions");
        assertThat(crops).hasSize(pos.size());
        for (int i = 0; i < crops.length; i++) {
            assertThat(new int[] {crops[i].tile(), crops[i].y(), crops[i].x()})
                    .as("crop " + i)
                    .containsExactly(
                            pos.get(i).get(0).asInt(),
                            pos.get(i).get(1).asInt(),
                            pos.get(i).get(2).asInt());
        }
        CropPositions.Crop[] other = CropPositions.draw(5, tiles, h, w, size, perTile);
        JsonNode pos5 = e.get("positions_seed5");
        assertThat(other[0].y()).isEqualTo(pos5.get(0).get(1).asInt());
        assertThat(other[0].x()).isEqualTo(pos5.get(0).get(2).asInt());
        assertThat(java.util.Arrays.equals(positions(crops), positions(other))).isFalse();

        Features fr = cropFeatures(real, crops, h, w);
        Features ff = cropFeatures(fake, crops, h, w);
        double cropFid = Fid.compute(fr, ff).value();
        assertThat(cropFid)
                .isCloseTo(
                        e.get("crop_fid").asDouble(),
                        within(FID_RELATIVE * e.get("crop_fid").asDouble()));
    }

    private static int[] positions(CropPositions.Crop[] crops) {
        int[] out = new int[crops.length * 2];
        for (int i = 0; i < crops.length; i++) {
            out[2 * i] = crops[i].y();
            out[2 * i + 1] = crops[i].x();
        }
        return out;
    }

    private static Features cropFeatures(Fixtures.Bytes tiles, CropPositions.Crop[] crops, int h, int w) {
        int tileBytes = h * w * 3;
        double[][] rows = new double[crops.length][];
        for (int i = 0; i < crops.length; i++) {
            CropPositions.Crop c = crops[i];
            byte[] tile = java.util.Arrays.copyOfRange(tiles.data(), c.tile() * tileBytes, (c.tile() + 1) * tileBytes);
            byte[] crop = CropPositions.cut(tile, h, w, 3, c);
            int s = c.size();
            double[] f = new double[9];
            for (int ch = 0; ch < 3; ch++) {
                double sum = 0;
                double q = 0;
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        double v = crop[(y * s + x) * 3 + ch] & 0xFF;
                        sum += v;
                        if (y < s / 2 && x < s / 2) {
                            q += v;
                        }
                    }
                }
                double mean = sum / (s * s);
                double ss = 0;
                for (int p = 0; p < s * s; p++) {
                    double v = (crop[p * 3 + ch] & 0xFF) - mean;
                    ss += v * v;
                }
                f[ch] = mean;
                f[3 + ch] = Math.sqrt(ss / (s * s));
                f[6 + ch] = q / ((s / 2) * (s / 2));
            }
            rows[i] = f;
        }
        return Features.ofRows("crops", rows);
    }

    /** The stream is Vigna's SplitMix64: same first outputs as the Python re-implementation. */
    @Test
    void splitMix64MatchesItsSpecification() {
        JsonNode e = expected.get("splitmix64");
        SplitMix64 s0 = new SplitMix64(0);
        for (JsonNode v : e.get("seed0")) {
            assertThat(s0.nextLong()).isEqualTo(v.asLong());
        }
        SplitMix64 s42 = new SplitMix64(42);
        for (JsonNode v : e.get("seed42_next_int_1000")) {
            assertThat(s42.nextInt(1000)).isEqualTo(v.asInt());
        }
    }
}
