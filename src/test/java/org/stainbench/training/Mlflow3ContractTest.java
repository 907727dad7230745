package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.accounts.TokenScope;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.shell.Sha256;
import org.stainbench.tiles.SyntheticTiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 19, item 1: replays, request by request, what the MLflow 3.x Python client sends, as {@link MlflowContractTest}
 * does for 2.x, and checks the answers against MLflow 3's protos ({@code mlflow/protos/service.proto}: LoggedModel,
 * CreateLoggedModel, FinalizeLoggedModel, SearchLoggedModels, LogOutputs, LogInputs, UpdateExperiment).
 * <ul>
 * <li>{@code mlflow.pytorch.log_model(model, name="lora")} in a run → {@code Model.log} ({@code mlflow/models/model.py}):
 * {@code client.get_run(run_id)} for the run's params; {@code _create_logged_model} ({@code mlflow/tracking/fluent.py},
 * context tags resolved) → {@code RestStore.create_logged_model}: POST logged-models; {@code client.log_outputs}: POST
 * runs/outputs; {@code log_model_metrics_for_step}: get_run, get_metric_history per metric, log_batch with the step's
 * metrics carrying model_id; {@code client.log_model_artifacts}: PUTs to the model's artifact_uri (the artifact
 * proxy's {@code <exp>/models/<id>/artifacts} path, owned by MlflowArtifacts; here the files are placed where it stores
 * them); leaving {@code _use_logged_model} → {@code finalize_logged_model(READY)}: PATCH logged-models/{id}.</li>
 * <li>{@code mlflow.log_input(dataset, context="training")} ({@code fluent.log_input} → {@code RestStore.log_inputs}):
 * POST runs/log-inputs with the dataset entity and the {@code mlflow.data.context} input tag.</li>
 * <li>{@code MlflowClient.rename_experiment} → POST experiments/update.</li>
 * </ul>
 * GET requests carry the JSON fields as query parameters; PATCH and DELETE carry them as a JSON body
 * ({@code mlflow/utils/rest_utils.call_endpoint}).
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class Mlflow3ContractTest {

    private static final String API = "/api/2.0/mlflow";
    private static final long T0 = 1_765_000_000_000L;

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Catalog catalog;

    @Autowired
    RunInputStore inputs;

    @Value("${stainbench.artifacts.root}")
    String artifactsRoot;

    final JsonMapper json = JsonMapper.builder().build();
    static String token;
    static String supervisorToken;

    @BeforeEach
    void tokens() {
        if (token == null) {
            accounts.register("mo", "Mo", Role.MEMBER, "Juniper-Anvil-6621");
            accounts.register("vi", "Vi", Role.SUPERVISOR, "Basalt-Meadow-3390");
            token = accounts.newToken("mo-laptop", "mo", TokenScope.API);
            supervisorToken = accounts.newToken("vi-notebook", "vi", TokenScope.API);
        }
    }

    private ResultActions call(MockHttpServletRequestBuilder request) throws Exception {
        return call(request, token);
    }

    private ResultActions call(MockHttpServletRequestBuilder request, String bearer) throws Exception {
        return mvc.perform(request.header("Authorization", "Bearer " + bearer));
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return call(request.contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private JsonNode body(ResultActions r) throws Exception {
        return json.readTree(r.andReturn().getResponse().getContentAsString());
    }

    private String experiment(String name) throws Exception {
        return body(send(post(API + "/experiments/create"), "{\"name\": \"" + name + "\"}")
                        .andExpect(status().isOk()))
                .get("experiment_id")
                .asString();
    }

    private String run(String exp, String name) throws Exception {
        return body(send(
                                post(API + "/runs/create"),
                                """
                {"experiment_id": "%s", "user_id": "mo", "start_time": %d, "run_name": "%s",
                 "tags": [{"key": "mlflow.user", "value": "mo"}, {"key": "mlflow.runName", "value": "%s"}]}"""
                                        .formatted(exp, T0, name, name))
                        .andExpect(status().isOk()))
                .get("run")
                .get("info")
                .get("run_id")
                .asString();
    }

    /** {@code mlflow.pytorch.log_model(model, name="lora", params={...})} at step 3 of a LoRA run, then a generated set. */
    @Test
    void pytorchLogModelBecomesACheckpoint(@TempDir Path tmp) throws Exception {
        String exp = experiment("lora-v3");
        String runId = run(exp, "lora-r8-seed1");
        send(
                        post(API + "/runs/log-batch"),
                        """
                {"run_id": "%s", "metrics": [{"key": "loss", "value": 0.61, "timestamp": %d, "step": 2},
                                             {"key": "loss", "value": 0.42, "timestamp": %d, "step": 3},
                                             {"key": "fid", "value": 151.5, "timestamp": %d, "step": 3}],
                 "params": [{"key": "lora_rank", "value": "8"}, {"key": "lora_alpha", "value": "16"},
                            {"key": "base_model", "value": "sd-1.5"}, {"key": "embedding_flow", "value": "mist_pr"}],
                 "tags": []}"""
                                .formatted(runId, T0 + 1, T0 + 2, T0 + 2))
                .andExpect(status().isOk());

        // Model.log: client.get_run(run_id).data.params
        JsonNode run = body(call(get(API + "/runs/get").param("run_id", runId).param("run_uuid", runId))
                .andExpect(status().isOk()));
        assertThat(run.at("/run/inputs/dataset_inputs")).isEmpty();
        // _create_logged_model → RestStore.create_logged_model (params = model params + run params, context tags)
        JsonNode created = body(send(
                        post(API + "/logged-models"),
                        """
                {"experiment_id": "%s", "name": "lora", "source_run_id": "%s",
                 "params": [{"key": "lora_rank", "value": "8"}, {"key": "lora_alpha", "value": "16"},
                            {"key": "base_model", "value": "sd-1.5"}, {"key": "embedding_flow", "value": "mist_pr"}],
                 "tags": [{"key": "mlflow.user", "value": "mo"}, {"key": "mlflow.source.name", "value": "train_lora.py"},
                          {"key": "mlflow.source.type", "value": "LOCAL"}]}"""
                                .formatted(exp, runId))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model.info.status").value("LOGGED_MODEL_PENDING"))
                .andExpect(jsonPath("$.model.info.experiment_id").value(exp))
                .andExpect(jsonPath("$.model.info.source_run_id").value(runId))
                .andExpect(jsonPath("$.model.info.name").value("lora"))
                .andExpect(jsonPath("$.model.info.tags[?(@.key == 'mlflow.source.name')].value")
                        .value("train_lora.py"))
                .andExpect(jsonPath("$.model.data.params[?(@.key == 'lora_rank')].value")
                        .value("8")));
        String modelId = created.at("/model/info/model_id").asString();
        assertThat(modelId).matches("m-[0-9a-f]{32}");
        assertThat(created.at("/model/info/artifact_uri").asString())
                .isEqualTo("mlflow-artifacts:/" + exp + "/models/" + modelId + "/artifacts");
        // client.log_outputs(run_id, [LoggedModelOutput(model_id, step=3)])
        send(
                        post(API + "/runs/outputs"),
                        "{\"run_id\": \"%s\", \"models\": [{\"model_id\": \"%s\", \"step\": 3}]}"
                                .formatted(runId, modelId))
                .andExpect(status().isOk())
                .andExpect(content().json("{}"));
        // log_model_metrics_for_step: get_run, get_metric_history per key, log_batch of the step's points with model_id
        call(get(API + "/runs/get").param("run_id", runId))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.run.outputs.model_outputs[0].model_id").value(modelId))
                .andExpect(jsonPath("$.run.outputs.model_outputs[0].step").value(3));
        for (String key : List.of("fid", "loss")) {
            call(get(API + "/metrics/get-history").param("run_id", runId).param("metric_key", key))
                    .andExpect(status().isOk());
        }
        send(
                        post(API + "/runs/log-batch"),
                        """
                {"run_id": "%s", "metrics": [
                   {"key": "fid", "value": 151.5, "timestamp": %d, "step": 3, "model_id": "%s", "run_id": "%s"},
                   {"key": "loss", "value": 0.42, "timestamp": %d, "step": 3, "model_id": "%s", "run_id": "%s"}],
                 "params": [], "tags": []}"""
                                .formatted(runId, T0 + 2, modelId, runId, T0 + 2, modelId, runId))
                .andExpect(status().isOk());
        // client.log_model_artifacts(model_id, local_path): the proxy stores them under <exp>/models/<id>/artifacts
        Path folder = Path.of(artifactsRoot)
                .toAbsolutePath()
                .normalize()
                .resolve("mlflow")
                .resolve(exp)
                .resolve("models")
                .resolve(modelId)
                .resolve("artifacts");
        Files.createDirectories(folder.resolve("data"));
        Files.writeString(
                folder.resolve("MLmodel"),
                "artifact_path: " + created.at("/model/info/artifact_uri").asString()
                        + "\nflavors:\n  pytorch:\n    model_data: data\n    pytorch_version: 2.5.1\nmodel_id: "
                        + modelId + "\n");
        byte[] weights = "fake torch weights of lora r8".getBytes();
        Files.write(folder.resolve("data").resolve("model.pth"), weights);
        // leaving _use_logged_model: finalize_logged_model(model_id, READY)
        send(
                        patch(API + "/logged-models/" + modelId),
                        "{\"model_id\": \"%s\", \"status\": \"LOGGED_MODEL_READY\"}".formatted(modelId))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model.info.status").value("LOGGED_MODEL_READY"))
                .andExpect(jsonPath("$.model.data.metrics[?(@.key == 'loss')].value")
                        .value(0.42))
                .andExpect(
                        jsonPath("$.model.data.metrics[?(@.key == 'fid')].step").value(3))
                .andExpect(jsonPath("$.model.data.metrics[0].model_id").value(modelId));
        // mlflow.get_logged_model / last_logged_model
        call(get(API + "/logged-models/" + modelId).param("model_id", modelId))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model.info.model_id").value(modelId));

        // The checkpoint: its run, step as epoch, metrics, params and the weights file.
        Checkpoint c = checkpoints.all().stream()
                .filter(x -> runId.equals(x.runUuid()))
                .findFirst()
                .orElseThrow();
        assertThat(c.kind()).isEqualTo(CheckpointKind.MODEL);
        assertThat(c.name()).isEqualTo("lora-r8-seed1-lora");
        assertThat(c.epoch()).isEqualTo(3);
        assertThat(c.loraRank()).isEqualTo(8);
        assertThat(c.loraAlpha()).isEqualTo(16.0);
        assertThat(c.baseModel()).isEqualTo("sd-1.5");
        assertThat(c.embeddingFlow()).isEqualTo("mist_pr");
        assertThat(c.adapterFileName()).isEqualTo("model.pth");
        assertThat(c.adapterSha256()).isEqualTo(Sha256.of(weights));
        assertThat(c.adapterSource()).isEqualTo("MLFLOW");
        assertThat(c.notes()).contains(modelId, "fid=151.500", "loss=0.420000");
        var supervisor =
                org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user("vi")
                        .roles("SUPERVISOR");
        mvc.perform(get("/checkpoints").with(supervisor))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("lora-r8-seed1-lora")))
                .andExpect(content().string(Matchers.containsString("epoch 3")));
        mvc.perform(get("/checkpoints/" + c.id()).with(supervisor))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("fid=151.500")));
        // A repeated finalize does not register it twice.
        send(
                        patch(API + "/logged-models/" + modelId),
                        "{\"model_id\": \"%s\", \"status\": \"LOGGED_MODEL_READY\"}".formatted(modelId))
                .andExpect(status().isOk());
        assertThat(checkpoints.all().stream().filter(x -> runId.equals(x.runUuid())))
                .hasSize(1);

        // Generated from like any model checkpoint: a folder of generated archives paired with a source dataset.
        long he = GeneratedFixtures.dataset(
                catalog, "LM H&E", Stain.HE, tmp.resolve("he"), List.of("he_71_1.npz"), 5, 64, 71);
        Path generated = catalog.allowedRoots().get(0).resolve("lm-generated");
        GeneratedFixtures.archive(generated, "ihc_71_1.npz", SyntheticTiles.Stain.CK7, 5, 64, 72);
        GeneratedSet set = checkpoints.registerGenerated(c.id(), he, generated.toString(), "mo");
        assertThat(set.checkpointId()).isEqualTo(c.id());
    }

    @Test
    void loggedModelTagsParamsSearchAndDelete() throws Exception {
        String exp = experiment("lm-search");
        String runId = run(exp, "searcher");
        String[] ids = new String[3];
        double[] fids = {180, 150, 165};
        for (int i = 0; i < 3; i++) {
            send(
                            post(API + "/runs/log-batch"),
                            "{\"run_id\": \"%s\", \"metrics\": [{\"key\": \"fid\", \"value\": %s, \"timestamp\": %d, \"step\": %d}]}"
                                    .formatted(runId, fids[i], T0 + i, i))
                    .andExpect(status().isOk());
            ids[i] = body(send(
                                    post(API + "/logged-models"),
                                    """
                    {"experiment_id": "%s", "name": "epoch%d", "model_type": "lora", "source_run_id": "%s"}"""
                                            .formatted(exp, i, runId))
                            .andExpect(status().isOk()))
                    .at("/model/info/model_id")
                    .asString();
            send(
                            post(API + "/runs/outputs"),
                            "{\"run_id\": \"%s\", \"models\": [{\"model_id\": \"%s\", \"step\": %d}]}"
                                    .formatted(runId, ids[i], i))
                    .andExpect(status().isOk());
        }
        // mlflow.set_logged_model_tags / delete_logged_model_tag / log_model_params
        send(
                        patch(API + "/logged-models/" + ids[1] + "/tags"),
                        """
                {"model_id": "%s", "tags": [{"key": "release", "value": "v1"}, {"key": "tmp", "value": "x"}]}"""
                                .formatted(ids[1]))
                .andExpect(status().isOk());
        send(
                        delete(API + "/logged-models/" + ids[1] + "/tags/tmp"),
                        "{\"model_id\": \"%s\", \"tag_key\": \"tmp\"}".formatted(ids[1]))
                .andExpect(status().isOk());
        send(delete(API + "/logged-models/" + ids[1] + "/tags/tmp"), "{}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
        send(
                        post(API + "/logged-models/" + ids[1] + "/params"),
                        """
                {"model_id": "%s", "params": [{"key": "lr", "value": "1e-4"}]}"""
                                .formatted(ids[1]))
                .andExpect(status().isOk());
        call(get(API + "/logged-models/" + ids[1]))
                .andExpect(jsonPath("$.model.info.tags.length()").value(1))
                .andExpect(jsonPath("$.model.info.tags[0].key").value("release"))
                .andExpect(
                        jsonPath("$.model.data.params[?(@.key == 'lr')].value").value("1e-4"));

        // mlflow.search_logged_models: filter on metrics and tags, order_by, paging that ends.
        JsonNode byFid = body(send(
                        post(API + "/logged-models/search"),
                        """
                {"experiment_ids": ["%s"], "filter": "metrics.fid < 170 AND model_type = 'lora'",
                 "order_by": [{"field_name": "metrics.fid", "ascending": true}]}"""
                                .formatted(exp))
                .andExpect(status().isOk()));
        assertThat(byFid.get("models"))
                .extracting(m -> m.at("/info/name").asString())
                .containsExactly("epoch1", "epoch2");
        assertThat(byFid.has("next_page_token")).isFalse();
        JsonNode tagged = body(send(
                post(API + "/logged-models/search"),
                """
                {"experiment_ids": ["%s"], "filter": "tags.release IN ('v1', 'v2') AND name LIKE 'epoch%%'"}"""
                        .formatted(exp)));
        assertThat(tagged.get("models"))
                .extracting(m -> m.at("/info/model_id").asString())
                .containsExactly(ids[1]);
        java.util.List<String> seen = new java.util.ArrayList<>();
        String pageToken = null;
        for (int page = 0; page < 5; page++) {
            JsonNode p = body(send(
                    post(API + "/logged-models/search"),
                    "{\"experiment_ids\": [\"%s\"], \"max_results\": 2%s}"
                            .formatted(exp, pageToken == null ? "" : ", \"page_token\": \"" + pageToken + "\"")));
            p.get("models").forEach(m -> seen.add(m.at("/info/name").asString()));
            if (!p.has("next_page_token")) {
                break;
            }
            pageToken = p.get("next_page_token").asString();
        }
        assertThat(seen).containsExactly("epoch2", "epoch1", "epoch0");
        send(post(API + "/logged-models/search"), "{\"experiment_ids\": [\"%s\"], \"max_results\": 0}".formatted(exp))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(
                        post(API + "/logged-models/search"),
                        "{\"experiment_ids\": [\"%s\"], \"filter\": \"bogus ~ 1\"}".formatted(exp))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));

        // FAILED finalize registers no checkpoint; delete hides the model.
        send(
                        patch(API + "/logged-models/" + ids[0]),
                        "{\"model_id\": \"%s\", \"status\": \"LOGGED_MODEL_UPLOAD_FAILED\"}".formatted(ids[0]))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model.info.status").value("LOGGED_MODEL_UPLOAD_FAILED"));
        assertThat(checkpoints.all()).noneMatch(c -> runId.equals(c.runUuid()));
        send(patch(API + "/logged-models/" + ids[0]), "{\"status\": \"DONE\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(delete(API + "/logged-models/" + ids[0]), "{\"model_id\": \"%s\"}".formatted(ids[0]))
                .andExpect(status().isOk());
        call(get(API + "/logged-models/" + ids[0]))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
    }

    /** {@code mlflow.log_input(mlflow.data.from_numpy(tiles, source=..., name="ck7-train"), context="training")}. */
    @Test
    void logInputStoresDatasetsAndTheSearchHookFindsThem() throws Exception {
        String exp = experiment("inputs");
        String a = run(exp, "with-ck7");
        String b = run(exp, "with-her2");
        String request =
                """
                {"run_id": "%s", "datasets": [{"tags": [{"key": "mlflow.data.context", "value": "%s"}],
                  "dataset": {"name": "%s", "digest": "%s", "source_type": "local",
                              "source": "{\\"uri\\": \\"/data/%s.npz\\"}",
                              "schema": "{\\"mlflow_tensorspec\\": {\\"features\\": \\"[{\\\\\\"type\\\\\\": \\\\\\"tensor\\\\\\"}]\\"}}",
                              "profile": "{\\"features_shape\\": [100, 3, 256, 256]}"}}]}""";
        send(post(API + "/runs/log-inputs"), request.formatted(a, "training", "ck7-train", "5d1a3c9e", "ck7"))
                .andExpect(status().isOk())
                .andExpect(content().json("{}"));
        // logging the same input again adds nothing
        send(post(API + "/runs/log-inputs"), request.formatted(a, "training", "ck7-train", "5d1a3c9e", "ck7"))
                .andExpect(status().isOk());
        send(post(API + "/runs/log-inputs"), request.formatted(b, "eval", "her2-test", "77aa01bc", "her2"))
                .andExpect(status().isOk());
        call(get(API + "/runs/get").param("run_id", a))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.run.inputs.dataset_inputs.length()").value(1))
                .andExpect(
                        jsonPath("$.run.inputs.dataset_inputs[0].dataset.name").value("ck7-train"))
                .andExpect(jsonPath("$.run.inputs.dataset_inputs[0].dataset.digest")
                        .value("5d1a3c9e"))
                .andExpect(jsonPath("$.run.inputs.dataset_inputs[0].dataset.source_type")
                        .value("local"))
                .andExpect(jsonPath("$.run.inputs.dataset_inputs[0].dataset.source")
                        .value("{\"uri\": \"/data/ck7.npz\"}"))
                .andExpect(jsonPath(
                        "$.run.inputs.dataset_inputs[0].dataset.profile", Matchers.containsString("features_shape")))
                .andExpect(
                        jsonPath("$.run.inputs.dataset_inputs[0].tags[0].key").value("mlflow.data.context"))
                .andExpect(
                        jsonPath("$.run.inputs.dataset_inputs[0].tags[0].value").value("training"));

        long e = Long.parseLong(exp);
        assertThat(inputs.runsMatching(List.of(e), "name", "=", List.of("ck7-train")))
                .containsExactly(a);
        assertThat(inputs.runsMatching(List.of(e), "digest", "IN", List.of("77aa01bc", "nope")))
                .containsExactly(b);
        assertThat(inputs.runsMatching(List.of(e), "context", "=", List.of("training")))
                .containsExactly(a);
        assertThat(inputs.runsMatching(List.of(e), "name", "LIKE", List.of("%-t%")))
                .containsExactlyInAnyOrder(a, b);
        assertThat(inputs.runsMatching(List.of(e), "context", "!=", List.of("training")))
                .containsExactly(b);

        // mlflow.search_runs(filter_string="datasets.name = 'ck7-train' and ...") through runs/search
        JsonNode found = body(send(
                        post(API + "/runs/search"),
                        """
                {"experiment_ids": ["%s"], "filter": "datasets.name = 'ck7-train' AND attributes.run_name LIKE 'with-%%'"}"""
                                .formatted(exp))
                .andExpect(status().isOk()));
        assertThat(found.get("runs"))
                .extracting(r -> r.at("/info/run_id").asString())
                .containsExactly(a);
        JsonNode eval = body(send(
                post(API + "/runs/search"),
                """
                {"experiment_ids": ["%s"], "filter": "datasets.context IN ('eval', 'test')"}"""
                        .formatted(exp)));
        assertThat(eval.get("runs"))
                .extracting(r -> r.at("/info/run_id").asString())
                .containsExactly(b);
        send(
                        post(API + "/runs/search"),
                        "{\"experiment_ids\": [\"%s\"], \"filter\": \"datasets.size = 'x'\"}".formatted(exp))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));

        // MLflow's limits: digest ≤ 36, missing source → 400, nothing stored
        send(post(API + "/runs/log-inputs"), request.formatted(b, "x", "long-digest", "d".repeat(37), "x"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"))
                .andExpect(jsonPath("$.message", Matchers.containsString("digest")));
        send(
                        post(API + "/runs/log-inputs"),
                        "{\"run_id\": \"%s\", \"datasets\": [{\"dataset\": {\"name\": \"n\", \"digest\": \"d\", \"source_type\": \"local\"}}]}"
                                .formatted(b))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("dataset.source")));
        send(post(API + "/runs/log-inputs"), request.formatted(b, "v".repeat(501), "tagged", "aa", "x"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        call(get(API + "/runs/get").param("run_id", b))
                .andExpect(jsonPath("$.run.inputs.dataset_inputs.length()").value(1));
    }

    /** {@code MlflowClient.rename_experiment(experiment_id, new_name)}. */
    @Test
    void experimentsUpdateRenames() throws Exception {
        String exp = experiment("old-name");
        experiment("taken-name");
        send(
                        post(API + "/experiments/update"),
                        "{\"experiment_id\": \"%s\", \"new_name\": \"new-name\"}".formatted(exp))
                .andExpect(status().isOk())
                .andExpect(content().json("{}"));
        call(get(API + "/experiments/get").param("experiment_id", exp))
                .andExpect(jsonPath("$.experiment.name").value("new-name"));
        call(get(API + "/experiments/get-by-name").param("experiment_name", "old-name"))
                .andExpect(status().isNotFound());
        send(
                        post(API + "/experiments/update"),
                        "{\"experiment_id\": \"%s\", \"new_name\": \"taken-name\"}".formatted(exp))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_ALREADY_EXISTS"));
        send(
                        post(API + "/experiments/update"),
                        "{\"experiment_id\": \"%s\", \"new_name\": \"%s\"}".formatted(exp, "n".repeat(501)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(post(API + "/experiments/update"), "{\"experiment_id\": \"%s\"}".formatted(exp))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("new_name")));
        send(post(API + "/experiments/update"), "{\"experiment_id\": \"987654\", \"new_name\": \"x\"}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
        call(get(API + "/experiments/get").param("experiment_id", exp))
                .andExpect(jsonPath("$.experiment.name").value("new-name"));
    }

    /** Over-long values and bad keys are 400 INVALID_PARAMETER_VALUE with MLflow's limits, never 500. */
    @Test
    void validationIs400WithMlflowsErrorCode() throws Exception {
        String exp = experiment("limits");
        String runId = run(exp, "limits-run");
        send(
                        post(API + "/runs/create"),
                        "{\"experiment_id\": \"%s\", \"run_name\": \"%s\"}".formatted(exp, "r".repeat(251)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(post(API + "/runs/update"), "{\"run_id\": \"%s\", \"run_name\": \"%s\"}".formatted(runId, "r".repeat(251)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(post(API + "/experiments/create"), "{\"name\": \"%s\"}".formatted("e".repeat(501)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(
                        post(API + "/experiments/set-experiment-tag"),
                        "{\"experiment_id\": \"%s\", \"key\": \"k\", \"value\": \"%s\"}"
                                .formatted(exp, "v".repeat(5001)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(
                        post(API + "/runs/set-tag"),
                        "{\"run_id\": \"%s\", \"key\": \"k\", \"value\": \"%s\"}".formatted(runId, "v".repeat(8001)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(
                        post(API + "/runs/log-parameter"),
                        "{\"run_id\": \"%s\", \"key\": \"k\", \"value\": \"%s\"}".formatted(runId, "v".repeat(6001)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(
                        post(API + "/runs/log-parameter"),
                        "{\"run_id\": \"%s\", \"key\": \"%s\", \"value\": \"1\"}".formatted(runId, "k".repeat(251)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(post(API + "/runs/set-tag"), "{\"run_id\": \"%s\", \"key\": \"/abs\", \"value\": \"1\"}".formatted(runId))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        String model = body(send(
                        post(API + "/logged-models"),
                        "{\"experiment_id\": \"%s\", \"source_run_id\": \"%s\", \"name\": \"m\"}"
                                .formatted(exp, runId)))
                .at("/model/info/model_id")
                .asString();
        send(
                        post(API + "/logged-models"),
                        "{\"experiment_id\": \"%s\", \"name\": \"%s\"}".formatted(exp, "m".repeat(251)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(patch(API + "/logged-models/" + model + "/tags"), "{\"tags\": [{\"key\": \"a/../b\", \"value\": \"1\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(
                        post(API + "/logged-models/" + model + "/params"),
                        "{\"params\": [{\"key\": \"p\", \"value\": \"%s\"}]}".formatted("v".repeat(6001)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        send(
                        post(API + "/runs/outputs"),
                        "{\"run_id\": \"%s\", \"models\": [{\"model_id\": \"m-nope\", \"step\": 0}]}".formatted(runId))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
        call(get(API + "/logged-models/m-0123"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
    }

    /** A newer client's call we do not have: 404 with ENDPOINT_NOT_FOUND; a slash too many still reaches the API. */
    @Test
    void unknownEndpointsAndTrailingSlashes() throws Exception {
        send(post(API + "/traces/search"), "{}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("ENDPOINT_NOT_FOUND"));
        call(get(API + "/no/such/thing"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("ENDPOINT_NOT_FOUND"));
        mvc.perform(get(API + "/no/such/thing")).andExpect(status().isUnauthorized());
        // MLFLOW_TRACKING_URI=http://host:8080/ → "//api/2.0/mlflow/..." (MockMvc would read "//api" as a host:
        // MlflowJavaClientTest sends it over HTTP); the rewrite itself:
        assertThat(MlflowPaths.normal("//api/2.0/mlflow/runs/get")).isEqualTo("/api/2.0/mlflow/runs/get");
        assertThat(MlflowPaths.normal("/api/2.0/mlflow/runs/create/")).isEqualTo("/api/2.0/mlflow/runs/create");
        assertThat(MlflowPaths.normal("//api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/"))
                .isEqualTo("/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/");
        assertThat(MlflowPaths.normal("//runs")).isNull();
        assertThat(MlflowPaths.normal("/api/2.0/mlflow//x")).isNull();
        String exp = experiment("trailing-slash");
        send(post(API + "/runs/create/"), "{\"experiment_id\": \"%s\"}".formatted(exp))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.run.info.experiment_id").value(exp));
    }

    /**
     * Reading needs a supervisor, writing a member: a supervisor's token is refused for every write; a machine token
     * reaches only the run its job holds.
     */
    @Test
    void supervisorsMayReadButNotWrite() throws Exception {
        String exp = experiment("access");
        String runId = run(exp, "access-run");
        String model = body(send(
                        post(API + "/logged-models"),
                        "{\"experiment_id\": \"%s\", \"source_run_id\": \"%s\"}".formatted(exp, runId)))
                .at("/model/info/model_id")
                .asString();
        String json =
                "{\"experiment_id\": \"%s\", \"run_id\": \"%s\", \"model_id\": \"%s\", \"new_name\": \"x\", \"status\": \"LOGGED_MODEL_READY\", \"tags\": [], \"params\": [], \"models\": [], \"datasets\": []}"
                        .formatted(exp, runId, model);
        List<MockHttpServletRequestBuilder> writes = List.of(
                post(API + "/logged-models"),
                patch(API + "/logged-models/" + model),
                delete(API + "/logged-models/" + model),
                patch(API + "/logged-models/" + model + "/tags"),
                delete(API + "/logged-models/" + model + "/tags/k"),
                post(API + "/logged-models/" + model + "/params"),
                post(API + "/runs/outputs"),
                post(API + "/runs/log-inputs"),
                post(API + "/experiments/update"));
        for (MockHttpServletRequestBuilder w : writes) {
            call(w.contentType(MediaType.APPLICATION_JSON).content(json), supervisorToken)
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.error_code").value("PERMISSION_DENIED"));
        }
        // A node's token that holds no job's run: nothing, not even reads.
        String node = accounts.issueNodeToken("mf3-gpu-01", "admin");
        for (MockHttpServletRequestBuilder w : List.of(
                post(API + "/logged-models"),
                patch(API + "/logged-models/" + model),
                post(API + "/logged-models/search"),
                post(API + "/runs/log-inputs"),
                post(API + "/experiments/update"))) {
            call(w.contentType(MediaType.APPLICATION_JSON).content(json), node)
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.error_code").value("PERMISSION_DENIED"));
        }
        call(get(API + "/logged-models/" + model), node).andExpect(status().isForbidden());
        call(get(API + "/logged-models/" + model), supervisorToken).andExpect(status().isOk());
        call(
                        post(API + "/logged-models/search")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"experiment_ids\": [\"%s\"]}".formatted(exp)),
                        supervisorToken)
                .andExpect(status().isOk());
        mvc.perform(get(API + "/logged-models/" + model)).andExpect(status().isUnauthorized());
        call(get(API + "/experiments/get").param("experiment_id", exp))
                .andExpect(jsonPath("$.experiment.name").value("access"));
        call(get(API + "/logged-models/" + model))
                .andExpect(jsonPath("$.model.info.status").value("LOGGED_MODEL_PENDING"));
    }
}
