package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stainbench.evaluation.features.OnnxFeatureExtractor;
import org.stainbench.evaluation.preprocess.Preprocessing;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.tiles.Npy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code features} sub-command on the tiny ONNX model and numpy-written uint8 tiles. */
class FeaturesCommandTest {

    static final double FEATURE_ABS = 1e-5;

    @TempDir
    Path dir;

    @Test
    void writesFloat32FeaturesThatMatchNumpy() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/features/expected.json")) {
            expected = json.readTree(in);
        }
        for (String name : new String[] {"tiny.onnx", "tiles.npy"}) {
            try (InputStream in = getClass().getResourceAsStream("/features/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        JsonNode m = expected.get("model");
        Path outFile = dir.resolve("f.npy");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new FeaturesCommand()
                .run(
                        new String[] {
                            "--model",
                            dir.resolve("tiny.onnx").toString(),
                            "--tiles",
                            dir.resolve("tiles.npy").toString(),
                            "--out",
                            outFile.toString(),
                            "--size",
                            "8",
                            "--resize",
                            "none",
                            "--scale",
                            "0.0078125",
                            "--offset",
                            "-1",
                            "--mean",
                            "0.1,-0.2,0.05",
                            "--std",
                            "0.5,0.8,1.2",
                            "--batch",
                            "1,3"
                        },
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report = json.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(report.get("sha256").asString())
                .isEqualTo(expected.get("model_sha256").asString());
        assertThat(report.get("runs")).hasSize(2);
        assertThat(report.get("runs").get(1).get("tiles_per_second").asDouble()).isPositive();
        try (InputStream in = Files.newInputStream(outFile)) {
            Npy.Header h = Npy.readHeader(in);
            assertThat(h.dtype().descr()).isEqualTo("<f4");
        }
        Npy.Matrix f;
        try (InputStream in = Files.newInputStream(outFile)) {
            f = Npy.readMatrix(in);
        }
        assertThat(f.rows()).isEqualTo(5);
        assertThat(f.cols()).isEqualTo(4);
        for (int t = 0; t < 5; t++) {
            for (int k = 0; k < 4; k++) {
                assertThat(f.get(t, k))
                        .isCloseTo(m.get("features").get(t).get(k).asDouble(), within(FEATURE_ABS));
            }
        }
    }

    /**
     * Asked for CUDA where CUDA is absent (this build of ONNX Runtime is the CPU one, issue 21), the extractor runs on
     * the CPU, says why, and gives the CPU's features; with CUDA_VISIBLE_DEVICES empty (a job without GPUs) likewise.
     */
    @Test
    void cudaAbsentMeansTheCpuWithTheReasonAndTheSameFeatures() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/features/tiny.onnx")) {
            Files.copy(in, dir.resolve("tiny.onnx"));
        }
        var pre = new Preprocessing(8, 8, ResizeFilter.NONE, 1.0 / 128, -1, null, null);
        byte[] tile = new byte[8 * 8 * 3];
        for (int i = 0; i < tile.length; i++) {
            tile[i] = (byte) (i * 7);
        }
        try (var cuda = new OnnxFeatureExtractor(dir.resolve("tiny.onnx"), pre, true);
                var cpu = new OnnxFeatureExtractor(dir.resolve("tiny.onnx"), pre)) {
            assertThat(cuda.provider()).isEqualTo(OnnxFeatureExtractor.Provider.CPU);
            assertThat(cuda.providerNote())
                    .containsAnyOf("no CUDA execution provider", "no GPU visible", "CUDA session failed");
            assertThat(cpu.provider()).isEqualTo(OnnxFeatureExtractor.Provider.CPU);
            var a = cuda.extract(java.util.List.of(tile), 8, 8, 1);
            var b = cpu.extract(java.util.List.of(tile), 8, 8, 1);
            for (int k = 0; k < a.dimension(); k++) {
                assertThat(a.get(0, k)).isEqualTo(b.get(0, k));
            }
        }
    }

    @Test
    void theJobModeNeedsAServerAndTheAgentsCredentialAndRefusesOtherOptions() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new FeaturesCommand()
                .run(
                        new String[] {"--job", "7", "--model", "x.onnx"},
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --model with --job");
        if (System.getenv("MLFLOW_TRACKING_TOKEN") == null) {
            err.reset();
            code = new FeaturesCommand()
                    .run(
                            new String[] {"--job", "7", "--server", "http://127.0.0.1:9"},
                            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("MLFLOW_TRACKING_TOKEN is not set");
        }
    }
}
