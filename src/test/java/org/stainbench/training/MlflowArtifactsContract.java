package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.stainbench.artifacts.ArtifactStore;
import tools.jackson.databind.JsonNode;

/**
 * The MLflow artifact proxy on the artifact store, one suite run on the local folder ({@link MlflowArtifactsLocalTest})
 * and on a bucket of a real S3 server ({@link MlflowArtifactsS3Test}): upload, list, download and delete; raw bytes
 * whatever the Content-Type; MLflow 3's proxied multipart upload ({@code mpu/create}, part PUTs to the URLs it
 * answers with the headers it answers, {@code mpu/complete}, {@code mpu/abort}); logged-model artifact paths; who may.
 * Limits: 64KB per file, 160KB per run.
 */
abstract class MlflowArtifactsContract extends MlflowArtifactsContractSupport {

    @Test
    void uploadListDownloadAndDeleteOnTheStore() throws Exception {
        String exp = experiment(getClass().getSimpleName() + "-crud");
        String id = run(exp);
        String base = ARTIFACTS + exp + "/" + id + "/artifacts/";
        byte[] png = random(5000, 1);
        as(member, put(base + "samples/epoch1.png").content(png)).andExpect(status().isOk());
        as(member, put(base + "notes.txt").content("loss went down".getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isOk());
        // in the store under mlflow/<exp>/<run>/artifacts/
        assertThat(store.list("mlflow/" + exp + "/" + id + "/"))
                .extracting(ArtifactStore.ArtifactObject::key)
                .containsExactly(
                        "mlflow/" + exp + "/" + id + "/artifacts/notes.txt",
                        "mlflow/" + exp + "/" + id + "/artifacts/samples/epoch1.png");

        as(supervisor, get(ARTIFACTS.substring(0, ARTIFACTS.length() - 1)).param("path", exp + "/" + id + "/artifacts"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.files[0].path").value("notes.txt"))
                .andExpect(jsonPath("$.files[0].file_size").value(14))
                .andExpect(jsonPath("$.files[1].path").value("samples"))
                .andExpect(jsonPath("$.files[1].is_dir").value(true));
        byte[] got = as(supervisor, get(base + "samples/epoch1.png"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "image/png"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("Content-Security-Policy", MlflowArtifacts.CSP))
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        assertThat(got).isEqualTo(png);
        as(supervisor, get(base + "notes.txt"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/octet-stream"))
                .andExpect(header().string("Content-Disposition", Matchers.startsWith("attachment")));
        as(supervisor, get(base + "missing.txt")).andExpect(status().isNotFound());

        // DELETE (mlflow's delete_artifacts): members only; a file, then a folder with everything below it
        as(supervisor, delete(base + "notes.txt"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.error_code").value("PERMISSION_DENIED"));
        as(node, delete(base + "notes.txt")).andExpect(status().isForbidden());
        assertThat(store.exists("mlflow/" + exp + "/" + id + "/artifacts/notes.txt"))
                .isTrue();
        as(member, delete(base + "notes.txt")).andExpect(status().isOk());
        as(member, delete(base + "samples")).andExpect(status().isOk());
        assertThat(store.list("mlflow/" + exp + "/" + id + "/")).isEmpty();
        as(member, delete(ARTIFACTS + exp + "/" + id + "/artifacts/../../x")).andExpect(status().isBadRequest());
    }

    @Test
    void aFormUrlencodedUploadStoresTheRawBytes() throws Exception {
        String exp = experiment(getClass().getSimpleName() + "-form");
        String id = run(exp);
        byte[] content = "a=1&b=2\nnot a form at all".getBytes(StandardCharsets.UTF_8);
        as(
                        member,
                        put(ARTIFACTS + exp + "/" + id + "/artifacts/params.txt")
                                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                                .content(content))
                .andExpect(status().isOk());
        assertThat(store.readAllBytes("mlflow/" + exp + "/" + id + "/artifacts/params.txt"))
                .isEqualTo(content);
    }

    @Test
    void overLimitUploadsAre413AndLeaveNothing() throws Exception {
        String exp = experiment(getClass().getSimpleName() + "-limits");
        String id = run(exp);
        String base = ARTIFACTS + exp + "/" + id + "/artifacts/";
        as(member, put(base + "big.bin").content(new byte[70_000]))
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.message", Matchers.containsString("stainbench.tracking.max-artifact-bytes")));
        for (int i = 0; i < 2; i++) {
            as(member, put(base + "f" + i).content(new byte[60_000])).andExpect(status().isOk());
        }
        as(member, put(base + "f2").content(new byte[60_000]))
                .andExpect(status().isContentTooLarge())
                .andExpect(
                        jsonPath("$.message", Matchers.containsString("stainbench.tracking.max-run-artifact-bytes")));
        assertThat(store.list("mlflow/" + exp + "/" + id + "/")).hasSize(2);
    }

    /** Creates a multipart upload of {@code file} into the run's folder; returns the create answer. */
    JsonNode create(String exp, String id, String file, int parts) throws Exception {
        return body(as(
                        member,
                        post(MPU + "create/" + exp + "/" + id + "/artifacts/model")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"path\": \"/tmp/outputs/" + file + "\", \"num_parts\": " + parts + "}"))
                .andExpect(status().isOk()));
    }

    /** PUTs a part as MLflow's client does: to the credential's URL, with the credential's headers only. */
    ResultActions putPart(JsonNode credential, byte[] data) throws Exception {
        URI url = URI.create(credential.get("url").asString());
        MockHttpServletRequestBuilder request = put(url.getPath()).content(data);
        for (var h : credential.get("headers").properties()) {
            request.header(h.getKey(), h.getValue().asString());
        }
        return mvc.perform(request);
    }

    @Test
    void multipartUploadAsMlflowDoesIt() throws Exception {
        String exp = experiment(getClass().getSimpleName() + "-mpu");
        String id = run(exp);
        byte[] data = random(50_000, 2);
        JsonNode created = create(exp, id, "adapter.safetensors", 3);
        String uploadId = created.get("upload_id").asString();
        assertThat(created.get("credentials")).hasSize(3);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            JsonNode c = created.get("credentials").get(i);
            assertThat(c.get("part_number").asInt()).isEqualTo(i + 1);
            byte[] chunk = java.util.Arrays.copyOfRange(data, i * 20_000, Math.min(data.length, (i + 1) * 20_000));
            whole.write(chunk);
            String etag = putPart(c, chunk)
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getHeader("ETag");
            assertThat(etag).isNotBlank();
            parts.append(i == 0 ? "" : ",")
                    .append("{\"part_number\": ")
                    .append(i + 1)
                    .append(", \"etag\": ")
                    .append(json.writeValueAsString(etag))
                    .append(", \"url\": \"")
                    .append(c.get("url").asString())
                    .append("\"}");
        }
        // a part without the credential's Authorization is refused
        mvc.perform(put(URI.create(created.get("credentials").get(0).get("url").asString())
                                .getPath())
                        .content(new byte[] {1}))
                .andExpect(status().isUnauthorized());
        // a supervisor may not complete it
        String complete =
                "{\"path\": \"adapter.safetensors\", \"upload_id\": \"" + uploadId + "\", \"parts\": [" + parts + "]}";
        as(
                        supervisor,
                        post(MPU + "complete/" + exp + "/" + id + "/artifacts/model")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(complete))
                .andExpect(status().isForbidden());
        as(
                        member,
                        post(MPU + "complete/" + exp + "/" + id + "/artifacts/model")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(complete))
                .andExpect(status().isOk());
        byte[] got = as(supervisor, get(ARTIFACTS + exp + "/" + id + "/artifacts/model/adapter.safetensors"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        assertThat(got).isEqualTo(whole.toByteArray());
        assertThat(store.list("mlflow-mpu/")).isEmpty();

        // abort: nothing stays, no artifact appears
        JsonNode aborted = create(exp, id, "other.bin", 2);
        putPart(aborted.get("credentials").get(0), new byte[1000]).andExpect(status().isOk());
        as(
                        member,
                        post(MPU + "abort/" + exp + "/" + id + "/artifacts/model")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"path\": \"other.bin\", \"upload_id\": \""
                                        + aborted.get("upload_id").asString() + "\"}"))
                .andExpect(status().isOk());
        assertThat(store.list("mlflow-mpu/")).isEmpty();
        assertThat(store.exists("mlflow/" + exp + "/" + id + "/artifacts/model/other.bin"))
                .isFalse();

        // a missing part, or a total over the per-file limit: 400 / 413 and no artifact
        JsonNode gap = create(exp, id, "gap.bin", 2);
        putPart(gap.get("credentials").get(1), new byte[10]).andExpect(status().isOk());
        as(
                        member,
                        post(MPU + "complete/" + exp + "/" + id + "/artifacts/model")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"path\": \"gap.bin\", \"upload_id\": \""
                                        + gap.get("upload_id").asString()
                                        + "\", \"parts\": [{\"part_number\": 2, \"etag\": \"x\"}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        JsonNode big = create(exp, id, "big.bin", 2);
        putPart(big.get("credentials").get(0), new byte[40_000]).andExpect(status().isOk());
        putPart(big.get("credentials").get(1), new byte[40_000]).andExpect(status().isOk());
        as(
                        member,
                        post(MPU + "complete/" + exp + "/" + id + "/artifacts/model")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"path\": \"big.bin\", \"upload_id\": \""
                                                + big.get("upload_id").asString()
                                                + "\", \"parts\": [{\"part_number\": 1, \"etag\": \"a\"}, {\"part_number\": 2, \"etag\": \"b\"}]}"))
                .andExpect(status().isContentTooLarge());
        assertThat(store.exists("mlflow/" + exp + "/" + id + "/artifacts/model/big.bin"))
                .isFalse();
        assertThat(store.list("mlflow-mpu/" + big.get("upload_id").asString())).isEmpty();
        as(
                        member,
                        post(MPU + "create/" + exp + "/" + id + "/artifacts")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"path\": \"x.bin\", \"num_parts\": 0}"))
                .andExpect(status().isBadRequest());
        as(
                        supervisor,
                        post(MPU + "create/" + exp + "/" + id + "/artifacts")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"path\": \"x.bin\", \"num_parts\": 1}"))
                .andExpect(status().isForbidden());
    }

    @Test
    void loggedModelArtifactsLiveUnderTheExperiment() throws Exception {
        String exp = experiment(getClass().getSimpleName() + "-models");
        String base = ARTIFACTS + exp + "/models/m-0123456789abcdef/artifacts/";
        byte[] onnx = random(3000, 3);
        as(member, put(base + "model.onnx").content(onnx)).andExpect(status().isOk());
        as(supervisor, put(base + "other.onnx").content(onnx)).andExpect(status().isForbidden());
        as(node, put(base + "other.onnx").content(onnx)).andExpect(status().isForbidden());
        assertThat(store.readAllBytes("mlflow/" + exp + "/models/m-0123456789abcdef/artifacts/model.onnx"))
                .isEqualTo(onnx);
        as(
                        supervisor,
                        get(ARTIFACTS.substring(0, ARTIFACTS.length() - 1))
                                .param("path", exp + "/models/m-0123456789abcdef/artifacts"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.files[0].path").value("model.onnx"));
        assertThat(as(supervisor, get(base + "model.onnx"))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsByteArray())
                .isEqualTo(onnx);
        as(member, put(ARTIFACTS + "999999/models/m-1/artifacts/x.onnx").content(onnx))
                .andExpect(status().isNotFound());
        as(member, put(ARTIFACTS + exp + "/models/bad id!/artifacts/x.onnx").content(onnx))
                .andExpect(status().isBadRequest());
        as(member, delete(base + "model.onnx")).andExpect(status().isOk());
        assertThat(store.list("mlflow/" + exp + "/models/")).isEmpty();
    }
}
