package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged jar as a process: {@code java -jar target/stainbench-*.jar metrics ...} on numpy-written files
 * (singular covariances: 40 x 64 and 30 x 64), without the web server; once with the Vector API and once
 * without it: scalar and SIMD kernels give the same numbers, equal to scipy's.
 */
class MetricsCommandIT {

    static final double FID_RELATIVE = 1e-6;
    static final double KID_RELATIVE = 1e-9;

    @TempDir
    Path dir;

    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void jarPrintsMetricsWithAndWithoutTheVectorApi() throws Exception {
        Path real = copy("singular_real.npy");
        Path fake = copy("singular_fake.npy");
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/metrics/expected.json")) {
            expected = json.readTree(in).get("singular");
        }
        JsonNode kidExpected = expected.get("kid");
        List<String> args = List.of(
                "metrics",
                "--real",
                real.toString(),
                "--fake",
                fake.toString(),
                "--kid-subsets",
                "5",
                "--kid-subset-size",
                "30",
                "--seed",
                "11");
        JsonNode simd = runJar(List.of("--add-modules", "jdk.incubator.vector"), args);
        JsonNode scalar = runJar(List.of(), args);
        assertThat(simd.get("timing").get("kernels").asString()).contains("Vector API");
        assertThat(scalar.get("timing").get("kernels").asString()).contains("scalar");
        for (JsonNode out : List.of(simd, scalar)) {
            assertThat(out.get("fid").asDouble())
                    .isCloseTo(
                            expected.get("fid").asDouble(),
                            within(FID_RELATIVE * expected.get("fid").asDouble()));
            assertThat(out.get("kid").get("mean").asDouble())
                    .isCloseTo(
                            kidExpected.get("mean").asDouble(),
                            within(KID_RELATIVE * kidExpected.get("mean").asDouble()));
            assertThat(out.get("fid_parts").get("rank_real_covariance").asInt()).isEqualTo(39);
        }
        assertThat(scalar.get("fid").asDouble()).isEqualTo(simd.get("fid").asDouble());
        assertThat(scalar.get("kid").get("mean").asDouble())
                .isEqualTo(simd.get("kid").get("mean").asDouble());
    }

    private Path copy(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/metrics/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private JsonNode runJar(List<String> jvm, List<String> args) throws Exception {
        File[] jars = new File("target")
                .listFiles((d, n) -> n.startsWith("stainbench-")
                        && n.endsWith(".jar")
                        && !n.endsWith("-plain.jar")
                        && !n.endsWith(".original"));
        assertThat(jars).as("packaged jar under target/").isNotEmpty();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.add("-jar");
        cmd.add(jars[0].getPath());
        cmd.addAll(args);
        Path outFile = dir.resolve("out-" + jvm.size() + ".json");
        Path errFile = dir.resolve("err-" + jvm.size() + ".txt");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(outFile.toFile())
                .redirectError(errFile.toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("metrics finished").isTrue();
        String err = Files.readString(errFile, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(err).doesNotContain("Started StainbenchApplication").doesNotContain("Tomcat");
        return json.readTree(Files.readString(outFile, StandardCharsets.UTF_8));
    }
}
