package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stainbench.tiles.Npy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code metrics} sub-command on numpy-written feature files (fixtures of
 * {@code src/test/python/metrics_reference.py}); expected values are scipy's (see FidKidReferenceTest).
 */
class MetricsCommandTest {

    static final double FID_RELATIVE = 1e-6;
    static final double KID_RELATIVE = 1e-9;

    @TempDir
    Path dir;

    final JsonMapper json = JsonMapper.builder().build();

    Path fixture(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/metrics/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new MetricsCommand()
                .run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** float64 real and float32 fake (as numpy wrote them); expected FID/KID from metrics_reference.py. */
    @Test
    void printsFidAndKidAsJson() throws IOException {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/metrics/expected.json")) {
            expected = json.readTree(in).get("full");
        }
        JsonNode kidExpected = expected.get("kid");
        Run r = run(
                "--real",
                fixture("full_real.npy").toString(),
                "--fake",
                fixture("full_fake.npy").toString(),
                "--kid-subsets",
                "10",
                "--kid-subset-size",
                "50",
                "--seed",
                "7");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode out = json.readTree(r.out());
        assertThat(out.get("fid").asDouble())
                .isCloseTo(
                        expected.get("fid").asDouble(),
                        within(FID_RELATIVE * expected.get("fid").asDouble()));
        JsonNode kid = out.get("kid");
        assertThat(kid.get("mean").asDouble())
                .isCloseTo(
                        kidExpected.get("mean").asDouble(),
                        within(KID_RELATIVE * kidExpected.get("mean").asDouble()));
        assertThat(kid.get("std").asDouble())
                .isCloseTo(
                        kidExpected.get("std").asDouble(),
                        within(KID_RELATIVE * kidExpected.get("std").asDouble()));
        assertThat(kid.get("subsets").asInt()).isEqualTo(10);
        assertThat(kid.get("subset_size").asInt()).isEqualTo(50);
        assertThat(kid.get("seed").asLong()).isEqualTo(7);
        assertThat(out.get("n_real").asInt()).isEqualTo(300);
        assertThat(out.get("n_fake").asInt()).isEqualTo(280);
        assertThat(out.get("dim").asInt()).isEqualTo(16);
    }

    @Test
    void badInputGivesAMessageAndNoNumbers() throws IOException {
        Path real = fixture("full_real.npy");
        Path fake = fixture("full_fake.npy");
        Run tooFew = run("--real", real.toString(), "--fake", fake.toString()); // default subset size 1000 > 300
        assertThat(tooFew.code()).isEqualTo(2);
        assertThat(tooFew.out()).isEmpty();
        assertThat(tooFew.err()).contains("subset size 1000").contains("300 real");

        Path nan = dir.resolve("nan.npy");
        writeNpyF8(nan, 4, 2, new double[] {1, 2, 3, Double.NaN, 5, 6, 7, 8});
        Run withNan = run("--real", nan.toString(), "--fake", nan.toString(), "--kid-subset-size", "2");
        assertThat(withNan.code()).isEqualTo(2);
        assertThat(withNan.out()).isEmpty();
        assertThat(withNan.err()).contains("NaN").contains("sample 1, dimension 1");

        Run other = run(
                "--real",
                real.toString(),
                "--fake",
                fixture("singular_fake.npy").toString(),
                "--kid-subset-size",
                "10");
        assertThat(other.err()).contains("dimensions differ");
        assertThat(run("--real", real.toString()).err()).contains("missing --fake");
        assertThat(run("--real", dir.resolve("none.npy").toString(), "--fake", fake.toString())
                        .err())
                .contains("no such file");
        assertThat(run("--real", real.toString(), "--fake", fake.toString(), "--kid-subsets", "x")
                        .err())
                .contains("--kid-subsets needs a whole number");
    }

    static void writeNpyF8(Path p, int rows, int cols, double[] values) throws IOException {
        try (var out = Files.newOutputStream(p)) {
            Npy.writeMatrix(out, new Npy.Matrix(rows, cols, values));
        }
    }
}
