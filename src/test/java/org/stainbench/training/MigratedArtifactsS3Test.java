package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stainbench.artifacts.MigrateArtifactsCommand;
import org.stainbench.support.S3Server;

/**
 * After {@code migrate-artifacts}, the application started on the bucket serves what the local folder held: a run's
 * artifacts written into a local folder (as the local store lays them out), migrated into the application's bucket,
 * are listed and downloaded with the same bytes through the MLflow API and the run page.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class MigratedArtifactsS3Test extends MlflowArtifactsContractSupport {

    static final String BUCKET = S3Server.get().newBucket();

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        for (String p : S3Server.get().properties(BUCKET)) {
            int eq = p.indexOf('=');
            registry.add(p.substring(0, eq), () -> p.substring(eq + 1));
        }
    }

    @TempDir
    Path folder;

    @Test
    void theAppOnTheBucketServesTheMigratedFolder() throws Exception {
        String exp = experiment("migrated");
        String id = run(exp);
        byte[] png = random(6000, 11);
        byte[] weights = random(7 * 1024 * 1024, 12);
        Path artifacts = folder.resolve("mlflow").resolve(exp).resolve(id).resolve("artifacts");
        Files.createDirectories(artifacts.resolve("samples"));
        Files.write(artifacts.resolve("samples/tile_0.png"), png);
        Files.write(artifacts.resolve("adapter.safetensors"), weights);

        var cmd = new MigrateArtifactsCommand(
                Map.of(
                        "STAINBENCH_ARTIFACTS_S3_ENDPOINT",
                        S3Server.get().endpoint(),
                        "STAINBENCH_ARTIFACTS_S3_PATH_STYLE",
                        "true"),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(cmd.run(new String[] {"--from", folder.toString(), "--to", "s3", "--bucket", BUCKET}))
                .isZero();

        as(supervisor, get(ARTIFACTS.substring(0, ARTIFACTS.length() - 1)).param("path", exp + "/" + id + "/artifacts"))
                .andExpect(status().isOk())
                .andExpect(
                        org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.files.length()")
                                .value(2));
        assertThat(as(supervisor, get(ARTIFACTS + exp + "/" + id + "/artifacts/samples/tile_0.png"))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsByteArray())
                .isEqualTo(png);
        assertThat(as(supervisor, get(ARTIFACTS + exp + "/" + id + "/artifacts/adapter.safetensors"))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsByteArray())
                .isEqualTo(weights);
        // the run page shows the migrated image in its gallery and serves it
        String page = mvc.perform(get("/runs/" + id).with(user("admin").roles("ADMIN", "MEMBER", "SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page).contains("/runs/" + id + "/artifacts/samples/tile_0.png");
        assertThat(mvc.perform(get("/runs/" + id + "/artifacts/samples/tile_0.png")
                                .with(user("admin").roles("ADMIN", "MEMBER", "SUPERVISOR")))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsByteArray())
                .isEqualTo(png);
    }
}
