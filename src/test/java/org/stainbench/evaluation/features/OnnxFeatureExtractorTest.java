package org.stainbench.evaluation.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stainbench.evaluation.metrics.Features;
import org.stainbench.evaluation.preprocess.Preprocessing;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.tiles.Npy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small ONNX model (Conv 3->4, ReLU, global average pool; written by src/test/python/features_reference.py
 * with python3-onnx) run offline with DJL + ONNX Runtime on uint8 tiles, against numpy:
 * {@code x = ((tiles - 128) / 128 - mean) / std}, conv3x3 + bias, relu, mean over H and W.
 */
class OnnxFeatureExtractorTest {

    /** ONNX Runtime computes in float32; numpy in float64 on the same float32 inputs. */
    static final double FEATURE_ABS = 1e-5;

    @TempDir
    Path dir;

    @Test
    void featuresMatchNumpyAndTheModelHashIsRecorded() throws IOException {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/features/expected.json")) {
            expected = JsonMapper.builder().build().readTree(in);
        }
        JsonNode m = expected.get("model");
        Path model = dir.resolve("tiny.onnx");
        try (InputStream in = getClass().getResourceAsStream("/features/tiny.onnx")) {
            Files.copy(in, model);
        }
        List<byte[]> tiles = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/features/tiles.npy")) {
            Npy.Header h = Npy.readHeader(in);
            assertThat(h.shape()).containsExactly(5, 8, 8, 3);
            byte[] all = in.readAllBytes();
            for (int t = 0; t < 5; t++) {
                tiles.add(Arrays.copyOfRange(all, t * 192, (t + 1) * 192));
            }
        }
        double[] mean = {
            m.get("mean").get(0).asDouble(),
            m.get("mean").get(1).asDouble(),
            m.get("mean").get(2).asDouble()
        };
        double[] std = {
            m.get("std").get(0).asDouble(),
            m.get("std").get(1).asDouble(),
            m.get("std").get(2).asDouble()
        };
        Preprocessing pre = new Preprocessing(
                8,
                8,
                ResizeFilter.NONE,
                m.get("scale").asDouble(),
                m.get("offset").asDouble(),
                mean,
                std);
        try (OnnxFeatureExtractor x = new OnnxFeatureExtractor(model, pre)) {
            assertThat(x.sha256()).isEqualTo(expected.get("model_sha256").asString());
            assertThat(StandardExtractors.recognise(x.sha256())).isEmpty();
            for (int batch : new int[] {2, 5}) {
                Features f = x.extract(tiles, 8, 8, batch);
                assertThat(f.samples()).isEqualTo(5);
                assertThat(f.dimension()).isEqualTo(4);
                JsonNode want = m.get("features");
                for (int t = 0; t < 5; t++) {
                    for (int k = 0; k < 4; k++) {
                        assertThat(f.get(t, k))
                                .as("batch " + batch + " tile " + t + " feature " + k)
                                .isCloseTo(want.get(t).get(k).asDouble(), within(FEATURE_ABS));
                    }
                }
            }
            // a 0..1 tile cast to 8 bits is refused before the model runs
            byte[] binary = new byte[192];
            binary[7] = 1;
            assertThatThrownBy(() -> x.extract(List.of(binary), 8, 8, 1)).hasMessageContaining("0 or 1");
            assertThatThrownBy(() -> x.extract(List.of(new byte[10 * 8 * 3]), 10, 8, 1))
                    .hasMessageContaining("no resize filter");
        }
    }
}
