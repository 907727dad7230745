package org.stainbench.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stainbench.support.Python;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Quality and stain measures, the badness ranking and the classical baselines against numpy
 * reimplementations of scikit-image's conventions ({@code src/test/python/quality_reference.py}).
 */
class QualityMeasuresTest {

    /** Same formulas in float64, different summation order: agreement far below any meaningful digit. */
    private static final double MEASURE_TOL = 1e-9;
    /** Colour conversions round to 8 bits; numpy rounds half to even, Java half up: at most 1 level apart. */
    private static final int BASELINE_TOL_LEVELS = 1;

    @TempDir
    static Path dir;

    static JsonNode expected;
    static List<RgbTile> tiles;
    static List<RgbTile> targets;

    @BeforeAll
    static void references() throws Exception {
        Python.run("quality_reference.py", dir);
        expected = JsonMapper.builder()
                .build()
                .readTree(dir.resolve("expected.json").toFile());
        tiles = read(dir.resolve("tiles.npy"));
        targets = read(dir.resolve("target.npy"));
    }

    static List<RgbTile> read(Path file) throws Exception {
        List<RgbTile> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            TileArrays.read(
                    in,
                    (i, t) -> out.add(new RgbTile(t.width(), t.height(), t.rgb().clone())));
        }
        return out;
    }

    @Test
    void measuresMatchNumpy() {
        assertThat(tiles).hasSize(10);
        for (int i = 0; i < tiles.size(); i++) {
            QualityMeasures m = QualityMeasures.of(tiles.get(i));
            JsonNode e = expected.get("measures").get(i);
            assertThat(m.saturationStd())
                    .as("sat std %d", i)
                    .isCloseTo(e.get("saturation_std").asDouble(), within(MEASURE_TOL));
            assertThat(m.autocorrelation16())
                    .as("autocorr %d", i)
                    .isCloseTo(e.get("autocorrelation16").asDouble(), within(MEASURE_TOL));
            assertThat(m.laplacianVariance709())
                    .as("lap var %d", i)
                    .isCloseTo(e.get("laplacian_variance709").asDouble(), within(MEASURE_TOL));
            assertThat(m.dabPositiveFraction())
                    .as("dab+ %d", i)
                    .isCloseTo(e.get("dab_positive_fraction").asDouble(), within(MEASURE_TOL));
            assertThat(m.meanDab()).as("dab %d", i).isCloseTo(e.get("mean_dab").asDouble(), within(MEASURE_TOL));
            assertThat(m.meanHematoxylin())
                    .as("h %d", i)
                    .isCloseTo(e.get("mean_hematoxylin").asDouble(), within(MEASURE_TOL));
        }
        // the DAB blob tile is DAB-positive somewhere, the noise tile's measures are not degenerate
        assertThat(QualityMeasures.of(tiles.get(1)).dabPositiveFraction()).isGreaterThan(0);
    }

    @Test
    void badnessRankingMatchesNumpy() {
        int n = tiles.size();
        double[] sat = new double[n];
        double[] ac = new double[n];
        double[] lv = new double[n];
        for (int i = 0; i < n; i++) {
            QualityMeasures m = QualityMeasures.of(tiles.get(i));
            sat[i] = m.saturationStd();
            ac[i] = m.autocorrelation16();
            lv[i] = m.laplacianVariance709();
        }
        double[] bad = Badness.scores(sat, ac, lv);
        for (int i = 0; i < n; i++) {
            assertThat(bad[i]).isCloseTo(expected.get("badness").get(i).asDouble(), within(1e-9));
        }
        int[] ranking = Badness.bestFirst(bad);
        int[] numpyRanking = new int[n];
        for (int i = 0; i < n; i++) {
            numpyRanking[i] = expected.get("ranking").get(i).asInt();
        }
        assertThat(ranking).containsExactly(numpyRanking);
    }

    @Test
    void colourDeconvolutionMatchesSkimageConvention() throws Exception {
        double[] hed = StainSeparation.rgbToHed(tiles.get(1));
        Npy.Matrix ref;
        try (InputStream in = Files.newInputStream(dir.resolve("hed0.npy"))) {
            ref = Npy.readMatrix(in);
        }
        for (int i = 0; i < hed.length; i++) {
            assertThat(hed[i]).isCloseTo(ref.data()[i], within(1e-12));
        }
        double[] lab = ColourTransfer.rgbToLab(tiles.get(4));
        try (InputStream in = Files.newInputStream(dir.resolve("lab0.npy"))) {
            ref = Npy.readMatrix(in);
        }
        for (int i = 0; i < lab.length; i++) {
            assertThat(lab[i]).isCloseTo(ref.data()[i], within(1e-9));
        }
    }

    @Test
    void baselinesMatchNumpyWithinOneLevel() throws Exception {
        ColourTransfer.LabStats stats = ColourTransfer.LabStats.of(targets);
        for (int c = 0; c < 3; c++) {
            assertThat(stats.mean()[c])
                    .isCloseTo(expected.get("target_mean").get(c).asDouble(), within(1e-9));
            assertThat(stats.std()[c])
                    .isCloseTo(expected.get("target_std").get(c).asDouble(), within(1e-7));
        }
        List<RgbTile> reinhard = read(dir.resolve("reinhard.npy"));
        List<RgbTile> remap = read(dir.resolve("remap.npy"));
        for (int i = 0; i < tiles.size(); i++) {
            assertClose(ColourTransfer.reinhard(tiles.get(i), stats), reinhard.get(i), "reinhard " + i);
            assertClose(ColourTransfer.stainRemap(tiles.get(i), 1.0, 1.0), remap.get(i), "remap " + i);
        }
    }

    @Test
    void stainRemapTurnsEosinBrown() {
        // A pink eosin-only pixel becomes brownish (red > blue) after remapping eosin to DAB.
        byte[] px = new byte[16 * 16 * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) 235;
            px[i + 1] = (byte) 140;
            px[i + 2] = (byte) 190;
        }
        RgbTile out = ColourTransfer.stainRemap(new RgbTile(16, 16, px), 1.0, 1.0);
        assertThat(out.get(0, 0, 0)).isGreaterThan(out.get(0, 0, 2));
    }

    private static void assertClose(RgbTile actual, RgbTile expected, String what) {
        assertThat(actual.width()).isEqualTo(expected.width());
        int worst = 0;
        for (int i = 0; i < actual.rgb().length; i++) {
            worst = Math.max(worst, Math.abs((actual.rgb()[i] & 0xff) - (expected.rgb()[i] & 0xff)));
        }
        assertThat(worst).as(what + " max difference in levels").isLessThanOrEqualTo(BASELINE_TOL_LEVELS);
        assertThat(Arrays.equals(actual.rgb(), new byte[actual.rgb().length])).isFalse();
    }
}
