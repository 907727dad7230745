package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stainbench.support.Python;
import tools.jackson.databind.json.JsonMapper;

/** {@link Downsample}: the min/max reduction per pixel bucket against numpy computing the same at test time. */
class DownsampleTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private int[] reference(long[] steps, double[] values, long from, long to, int width) throws Exception {
        Object[] vs = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            vs[i] = Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "Infinity" : "-Infinity") : (Object) v;
        }
        Path spec = Files.createTempFile("downsample-", ".json");
        try {
            Files.writeString(
                    spec,
                    json.writeValueAsString(
                            java.util.Map.of("steps", steps, "values", vs, "from", from, "to", to, "width", width)));
            return json.readValue(Python.run("downsample_reference.py", spec), int[].class);
        } finally {
            Files.deleteIfExists(spec);
        }
    }

    @Test
    void aNoisyCurveWithSpikesGapsAndNaNsMatchesNumpy() throws Exception {
        Random random = new Random(19);
        int n = 100_000;
        long[] steps = new long[n];
        double[] values = new double[n];
        long step = 0;
        for (int i = 0; i < n; i++) {
            step += 1 + (i % 5000 == 0 ? 300 : 0) + (random.nextInt(10) == 0 ? random.nextInt(3) : 0);
            steps[i] = step;
            values[i] = Math.exp(-i / 20_000.0) + random.nextGaussian() * 0.05 + (i % 9973 == 0 ? 5 : 0);
            if (i % 7919 == 0) {
                values[i] = Double.NaN;
            }
            if (i % 50_000 == 1) {
                values[i] = Double.POSITIVE_INFINITY;
            }
        }
        // a run of only NaN: its bucket keeps its first point
        Arrays.fill(values, 40_000, 40_400, Double.NaN);
        for (int width : new int[] {1, 7, 800, 1000}) {
            int[] kept = Downsample.minMax(steps, values, steps[0], steps[n - 1], width);
            assertThat(kept).as("width %d", width).isEqualTo(reference(steps, values, steps[0], steps[n - 1], width));
            assertThat(kept.length).isLessThanOrEqualTo(2 * width);
        }
        // a zoomed range: only its points, reduced on its own buckets
        int a = 30_000;
        int b = 31_500;
        long[] zs = Arrays.copyOfRange(steps, a, b);
        double[] zv = Arrays.copyOfRange(values, a, b);
        assertThat(Downsample.minMax(zs, zv, zs[0], zs[zs.length - 1], 500))
                .isEqualTo(reference(zs, zv, zs[0], zs[zs.length - 1], 500));
    }

    @Test
    void keepsPeaksAndIsExactWhenFewPoints() {
        long[] steps = new long[10_000];
        double[] values = new double[10_000];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i;
            values[i] = i == 4321 ? 99 : i == 8765 ? -99 : Math.sin(i / 100.0);
        }
        Downsample.Series all = new Downsample.Series(steps, values);
        Downsample.Series reduced = Downsample.reduce(all, 0, 9_999, 200);
        assertThat(reduced.size()).isLessThanOrEqualTo(400);
        assertThat(reduced.steps()).contains(4321L, 8765L);
        assertThat(Arrays.stream(reduced.values()).max().orElseThrow()).isEqualTo(99);
        Downsample.Series few = new Downsample.Series(Arrays.copyOf(steps, 300), Arrays.copyOf(values, 300));
        assertThat(Downsample.reduce(few, 0, 299, 200)).isSameAs(few);
    }
}
