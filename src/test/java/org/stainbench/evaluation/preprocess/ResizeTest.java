package org.stainbench.evaluation.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Resize filters against their reference implementations (values from src/test/python/features_reference.py):
 * torch {@code F.interpolate(..., mode="bilinear", align_corners=False, antialias=True)} (float64),
 * PIL {@code Image.fromarray(float32, "F").resize((w, h), Image.BICUBIC)}, and the TF1 formula.
 */
class ResizeTest {

    /** torch computes in float64: only summation order differs. */
    static final double TORCH_ABS = 1e-9;
    /** PIL's mode F works in float32 on values up to 255. */
    static final double PIL_ABS = 1e-3;
    /** tfjs' published values are float32. */
    static final double TFJS_ABS = 1e-6;

    static JsonNode expected() throws IOException {
        try (InputStream in = ResizeTest.class.getResourceAsStream("/features/expected.json")) {
            return JsonMapper.builder().build().readTree(in).get("resize");
        }
    }

    @Test
    void filtersMatchTorchPilAndTensorflow1() throws IOException {
        JsonNode e = expected();
        JsonNode in = e.get("input");
        int h = in.size();
        int w = in.get(0).size();
        double[] plane = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                plane[y * w + x] = in.get(y).get(x).asDouble();
            }
        }
        int checked = 0;
        for (JsonNode c : e.get("cases")) {
            int oh = c.get("height").asInt();
            int ow = c.get("width").asInt();
            for (ResizeFilter f : new ResizeFilter[] {
                ResizeFilter.BILINEAR_ANTIALIAS, ResizeFilter.PIL_BICUBIC, ResizeFilter.TF1_BILINEAR
            }) {
                double tol = f == ResizeFilter.PIL_BICUBIC ? PIL_ABS : TORCH_ABS;
                double[] out = Resize.plane(plane, h, w, oh, ow, f);
                JsonNode want = c.get(f.name());
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        assertThat(out[y * ow + x])
                                .as(f + " " + oh + "x" + ow + " at " + y + "," + x)
                                .isCloseTo(want.get(y).get(x).asDouble(), within(tol));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    /**
     * TensorFlow's own resize_bilinear(align_corners=false) values, as published in tfjs'
     * {@code tfjs-core/src/ops/resize_bilinear_test.ts} ("simple alignCorners=false" and "matches tensorflow w/
     * random numbers alignCorners=false", first three pixels of the 2 x 3 x 2 -> 4 x 5 case).
     */
    @Test
    void tf1BilinearMatchesTensorflowsPublishedValues() {
        double[] simple = Resize.plane(new double[] {2, 4}, 2, 1, 3, 1, ResizeFilter.TF1_BILINEAR);
        assertThat(simple).containsExactly(new double[] {2, 10.0 / 3, 4}, within(TFJS_ABS));
        double[] input = {
            1.19074044,
            0.91373104,
            2.01611669,
            -0.52270832,
            0.38725395,
            1.30809779,
            0.61835143,
            3.49600659,
            2.09230986,
            0.56473997,
            0.03823943,
            1.19864896
        };
        double[][] channel = new double[2][6];
        for (int i = 0; i < 6; i++) {
            channel[0][i] = input[2 * i];
            channel[1][i] = input[2 * i + 1];
        }
        double[] c0 = Resize.plane(channel[0], 2, 3, 4, 5, ResizeFilter.TF1_BILINEAR);
        double[] c1 = Resize.plane(channel[1], 2, 3, 4, 5, ResizeFilter.TF1_BILINEAR);
        double[] published = {1.19074047, 0.91373104, 1.68596613, 0.05186744, 1.69034398, -0.15654698};
        for (int p = 0; p < 3; p++) {
            assertThat(c0[p]).isCloseTo(published[2 * p], within(TFJS_ABS));
            assertThat(c1[p]).isCloseTo(published[2 * p + 1], within(TFJS_ABS));
        }
    }

    @Test
    void aTileOfTheWrongSizeNeedsADeclaredFilter() {
        assertThatThrownBy(() -> Resize.plane(new double[12], 3, 4, 4, 4, ResizeFilter.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no resize filter");
        assertThat(Resize.plane(new double[] {1, 2, 3, 4}, 2, 2, 2, 2, ResizeFilter.NONE))
                .containsExactly(1, 2, 3, 4);
    }
}
