package org.stainbench.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.accounts.TokenScope;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.artifacts.StoredFiles;
import org.stainbench.shell.Sha256;
import org.stainbench.support.BrokenStream;

/**
 * Checkpoint adapters on the artifact store, one suite on both stores: {@link AdapterFilesLocalTest} (the folder, as
 * before the store) and {@link AdapterFilesS3Test} (a bucket of a real S3 server). An uploaded adapter is the object
 * {@code checkpoints/adapters/<sha256><ext>}; an upload that breaks off leaves no object and no row.
 */
abstract class AdapterFilesContract {

    @Autowired
    MockMvc mvc;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    ArtifactStore artifacts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Accounts accounts;

    @Value("${stainbench.artifacts.root}")
    Path root;

    /** The store this context runs on is the local folder. */
    abstract boolean local();

    static String fresh(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anUploadedAdapterIsTheObjectAtItsKeyAndTheRowSaysWhere() throws Exception {
        String name = fresh("adapter");
        byte[] adapter = ("safetensors bytes of " + name).getBytes(StandardCharsets.UTF_8);
        String location = mvc.perform(multipart("/checkpoints")
                        .file(new MockMultipartFile(
                                "adapter", name + ".safetensors", "application/octet-stream", adapter))
                        .param("name", name)
                        .param("baseModel", "PixCell-1024")
                        .with(user("mo").roles("MEMBER"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        Checkpoint c = checkpoints
                .find(Long.parseLong(location.substring(location.lastIndexOf('/') + 1)))
                .orElseThrow();
        String key = "checkpoints/adapters/" + Sha256.of(adapter) + ".safetensors";
        assertThat(c.adapterSha256()).isEqualTo(Sha256.of(adapter));
        assertThat(artifacts.readAllBytes(key)).isEqualTo(adapter);
        assertThat(c.adapterPath()).isEqualTo(StoredFiles.location(artifacts, key));
        Path file = root.toAbsolutePath().normalize().resolve(key);
        if (local()) {
            // exactly the file and the row the folder had before the store existed
            assertThat(c.adapterPath()).isEqualTo(file.toString());
            assertThat(Files.readAllBytes(file)).isEqualTo(adapter);
        } else {
            assertThat(c.adapterPath()).startsWith("s3://").endsWith("/" + key);
            assertThat(file).as("nothing left in the local folder").doesNotExist();
        }
        assertThat(incoming()).isEmpty();
    }

    @Test
    void anUploadThatBreaksOffLeavesNoObjectAndNoRow() throws Exception {
        String name = fresh("broken");
        List<ArtifactStore.ArtifactObject> before = artifacts.list("checkpoints/");
        assertThatThrownBy(() -> checkpoints.register(
                        new Checkpoints.NewCheckpoint(name, null, null, null, null, null, null, null, null, null, null),
                        name + ".safetensors",
                        new BrokenStream(300_000),
                        null,
                        "mo"))
                .hasMessageContaining("broke off");
        assertThat(jdbc.sql("select count(*) from checkpoint where name = ?")
                        .param(name)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(artifacts.list("checkpoints/")).isEqualTo(before);
        assertThat(incoming()).isEmpty();
    }

    /**
     * An MLflow logged model finalized READY becomes a checkpoint whose adapter is the weights object among its
     * artifacts on the store (the artifact proxy put it there; the proxy itself runs on both stores in
     * MlflowArtifactsLocalTest and MlflowArtifactsS3Test).
     */
    @Test
    void aLoggedModelsWeightsOnTheStoreAreTheCheckpointsAdapter() throws Exception {
        String user = fresh("lm").replace("-", "");
        accounts.register(user, "Logged models", Role.MEMBER, "Juniper-Anvil-6621");
        String token = accounts.newToken(user + "-laptop", user, TokenScope.API);
        String exp = field(
                mlflow(post("/api/2.0/mlflow/experiments/create"), token, "{\"name\": \"" + fresh("exp") + "\"}"),
                "\"experiment_id\"");
        String model = field(
                mlflow(
                        post("/api/2.0/mlflow/logged-models"),
                        token,
                        "{\"experiment_id\": \"" + exp + "\", \"name\": \"" + fresh("lora") + "\"}"),
                "\"model_id\"");
        byte[] weights = ("torch weights of " + model).getBytes(StandardCharsets.UTF_8);
        String key = "mlflow/" + exp + "/models/" + model + "/artifacts/data/model.pth";
        artifacts.put(key, weights);
        mlflow(
                patch("/api/2.0/mlflow/logged-models/" + model),
                token,
                "{\"model_id\": \"" + model + "\", \"status\": \"LOGGED_MODEL_READY\"}");
        Long id = jdbc.sql("select id from checkpoint where adapter_sha256 = ?")
                .param(Sha256.of(weights))
                .query(Long.class)
                .single();
        Checkpoint c = checkpoints.find(id).orElseThrow();
        assertThat(c.adapterFileName()).isEqualTo("model.pth");
        assertThat(c.adapterSize()).isEqualTo(weights.length);
        assertThat(c.adapterPath()).isEqualTo(StoredFiles.location(artifacts, key));
        if (local()) {
            assertThat(c.adapterPath())
                    .isEqualTo(root.toAbsolutePath().normalize().resolve(key).toString());
        }
    }

    String mlflow(MockHttpServletRequestBuilder request, String token, String body) throws Exception {
        return mvc.perform(request.header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    /** The string value of the first {@code "name": "value"} in a JSON answer. */
    static String field(String json, String name) {
        int at = json.indexOf(name);
        int colon = json.indexOf(':', at);
        int open = json.indexOf('"', colon);
        return json.substring(open + 1, json.indexOf('"', open + 1));
    }

    /** Files left in the folder that receives uploads before they are kept. */
    List<Path> incoming() throws Exception {
        Path in = root.resolve("checkpoints").resolve("incoming");
        if (!Files.isDirectory(in)) {
            return List.of();
        }
        try (var s = Files.list(in)) {
            return s.toList();
        }
    }
}
