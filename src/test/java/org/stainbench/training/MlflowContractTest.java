package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays, request by request, what the MLflow Python client (2.x, {@code mlflow/tracking/fluent.py}
 * and {@code mlflow/store/tracking/rest_store.py}) sends for a training script, and checks the
 * answers against MLflow's documented REST shapes (https://mlflow.org/docs/latest/rest-api.html).
 * The client sends {@code Authorization: Bearer $MLFLOW_TRACKING_TOKEN}; GET requests carry the
 * JSON fields as query parameters; every run request carries both {@code run_id} and {@code run_uuid}.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class MlflowContractTest {

    private static final String API = "/api/2.0/mlflow";
    private static final long T0 = 1_764_000_000_000L;

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    final JsonMapper json = JsonMapper.builder().build();
    static String token;
    static String readOnlyToken;

    @BeforeEach
    void tokens() {
        if (token == null) {
            accounts.register("ann", "Ann", Role.MEMBER, "Cedar-Lattice-5830");
            accounts.register("sue", "Sue", Role.SUPERVISOR, "Pewter-Island-2247");
            token = accounts.newToken("ann-laptop", "ann", TokenScope.API);
            readOnlyToken = accounts.newToken("sue-notebook", "sue", TokenScope.API);
        }
    }

    private ResultActions call(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header("Authorization", "Bearer " + token));
    }

    private ResultActions postJson(String path, String body) throws Exception {
        return call(post(API + path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private JsonNode body(ResultActions r) throws Exception {
        return json.readTree(r.andReturn().getResponse().getContentAsString());
    }

    /** mlflow.set_experiment(name): get-by-name (404 the first time), create, get. */
    private String setExperiment(String name) throws Exception {
        ResultActions lookup = call(get(API + "/experiments/get-by-name").param("experiment_name", name));
        if (lookup.andReturn().getResponse().getStatus() == 404) {
            lookup.andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
            String id = body(postJson("/experiments/create", "{\"name\": \"" + name + "\"}")
                            .andExpect(status().isOk()))
                    .get("experiment_id")
                    .asString();
            call(get(API + "/experiments/get").param("experiment_id", id))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.experiment.experiment_id").value(id))
                    .andExpect(jsonPath("$.experiment.name").value(name))
                    .andExpect(jsonPath("$.experiment.lifecycle_stage").value("active"))
                    .andExpect(jsonPath("$.experiment.artifact_location").value("mlflow-artifacts:/" + id));
            return id;
        }
        return body(lookup.andExpect(status().isOk()))
                .get("experiment")
                .get("experiment_id")
                .asString();
    }

    /** mlflow.start_run(run_name=...): runs/create with the context tags the client resolves. */
    private JsonNode startRun(String experimentId, String runName) throws Exception {
        String request =
                """
                {"experiment_id": "%s", "user_id": "ann", "start_time": %d, "run_name": "%s",
                 "tags": [{"key": "mlflow.user", "value": "ann"},
                          {"key": "mlflow.source.name", "value": "train_lora.py"},
                          {"key": "mlflow.source.type", "value": "LOCAL"},
                          {"key": "mlflow.runName", "value": "%s"}]}"""
                        .formatted(experimentId, T0, runName, runName);
        return body(postJson("/runs/create", request)
                        .andExpect(status().isOk())
                        .andExpect(jsonPath("$.run.info.status").value("RUNNING"))
                        .andExpect(jsonPath("$.run.info.experiment_id").value(experimentId))
                        .andExpect(jsonPath("$.run.info.run_name").value(runName))
                        .andExpect(jsonPath("$.run.info.start_time").value(T0))
                        .andExpect(jsonPath("$.run.info.lifecycle_stage").value("active"))
                        .andExpect(jsonPath("$.run.data.tags[?(@.key == 'mlflow.source.name')].value")
                                .value("train_lora.py")))
                .get("run");
    }

    @Test
    void aTrainingScriptsWholeSession() throws Exception {
        String exp = setExperiment("lora-ck7");
        assertThat(setExperiment("lora-ck7"))
                .as("second set_experiment finds it")
                .isEqualTo(exp);

        JsonNode run = startRun(exp, "lora-r4-seed0");
        String id = run.get("info").get("run_id").asString();
        assertThat(run.get("info").get("run_uuid").asString()).isEqualTo(id);
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(run.get("info").get("artifact_uri").asString())
                .isEqualTo("mlflow-artifacts:/" + exp + "/" + id + "/artifacts");

        // mlflow.log_param("lora_rank", 4)
        postJson(
                        "/runs/log-parameter",
                        "{\"run_id\": \"%s\", \"run_uuid\": \"%s\", \"key\": \"lora_rank\", \"value\": \"4\"}"
                                .formatted(id, id))
                .andExpect(status().isOk())
                .andExpect(content().json("{}"));
        // mlflow.log_metrics({"loss": 0.52, "lr": 1e-4}, step=0) -> one log-batch
        postJson(
                        "/runs/log-batch",
                        """
                {"run_id": "%s", "metrics": [{"key": "loss", "value": 0.52, "timestamp": %d, "step": 0},
                                             {"key": "lr", "value": 0.0001, "timestamp": %d, "step": 0}],
                 "params": [], "tags": []}"""
                                .formatted(id, T0 + 1, T0 + 1))
                .andExpect(status().isOk());
        // mlflow.log_batch(run_id, metrics=[...], params=[...], tags=[...])
        postJson(
                        "/runs/log-batch",
                        """
                {"run_id": "%s", "metrics": [{"key": "loss", "value": 0.31, "timestamp": %d, "step": 1},
                                             {"key": "loss", "value": "NaN", "timestamp": %d, "step": 2}],
                 "params": [{"key": "lr", "value": "1e-4"}, {"key": "batch_size", "value": "4"}],
                 "tags": [{"key": "dataset", "value": "ck7"}]}"""
                                .formatted(id, T0 + 2, T0 + 3))
                .andExpect(status().isOk());
        // mlflow.set_tag("stage", "train")
        postJson(
                        "/runs/set-tag",
                        "{\"run_id\": \"%s\", \"run_uuid\": \"%s\", \"key\": \"stage\", \"value\": \"train\"}"
                                .formatted(id, id))
                .andExpect(status().isOk());
        // mlflow.log_artifact("notes.txt"): get_run for the artifact URI, then PUT to the artifact proxy
        call(get(API + "/runs/get").param("run_uuid", id).param("run_id", id)).andExpect(status().isOk());
        call(put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + id + "/artifacts/notes.txt")
                        .content("epoch 1 done\n".getBytes()))
                .andExpect(status().isOk());
        call(put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + id + "/artifacts/samples/epoch1.png")
                        .content(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
                .andExpect(status().isOk());
        // mlflow.end_run()
        postJson(
                        "/runs/update",
                        "{\"run_id\": \"%s\", \"run_uuid\": \"%s\", \"status\": \"FINISHED\", \"end_time\": %d}"
                                .formatted(id, id, T0 + 10))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.run_info.status").value("FINISHED"))
                .andExpect(jsonPath("$.run_info.end_time").value(T0 + 10));

        // What the run now says (mlflow.get_run): latest value per key at the largest step.
        call(get(API + "/runs/get").param("run_id", id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.run.data.params[?(@.key == 'lora_rank')].value")
                        .value("4"))
                .andExpect(jsonPath("$.run.data.params.length()").value(3))
                .andExpect(
                        jsonPath("$.run.data.tags[?(@.key == 'stage')].value").value("train"))
                .andExpect(
                        jsonPath("$.run.data.metrics[?(@.key == 'loss')].value").value("NaN"))
                .andExpect(
                        jsonPath("$.run.data.metrics[?(@.key == 'loss')].step").value(2));
        // mlflow.MlflowClient().get_metric_history(run_id, "loss")
        call(get(API + "/metrics/get-history")
                        .param("run_id", id)
                        .param("run_uuid", id)
                        .param("metric_key", "loss"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.metrics.length()").value(3))
                .andExpect(jsonPath("$.metrics[0].value").value(0.52))
                .andExpect(jsonPath("$.metrics[1].step").value(1));
        // artifacts: list and download
        call(get("/api/2.0/mlflow-artifacts/artifacts").param("path", exp + "/" + id + "/artifacts"))
                .andExpect(status().isOk())
                .andExpect(
                        jsonPath("$.files[?(@.path == 'notes.txt')].file_size").value(13))
                .andExpect(jsonPath("$.files[?(@.path == 'samples')].is_dir").value(true));
        call(get("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + id + "/artifacts/notes.txt"))
                .andExpect(status().isOk())
                .andExpect(content().string("epoch 1 done\n"));
    }

    @Test
    void resumingWithMlflowRunId() throws Exception {
        String exp = setExperiment("resume");
        String id = startRun(exp, "resumed").get("info").get("run_id").asString();
        postJson(
                        "/runs/update",
                        "{\"run_id\": \"%s\", \"run_uuid\": \"%s\", \"status\": \"FAILED\", \"end_time\": %d}"
                                .formatted(id, id, T0 + 5))
                .andExpect(status().isOk());
        // start_run() with MLFLOW_RUN_ID set: get_run, then update_run_info(RUNNING, previous end_time), get_run
        call(get(API + "/runs/get").param("run_uuid", id).param("run_id", id))
                .andExpect(jsonPath("$.run.info.status").value("FAILED"));
        postJson(
                        "/runs/update",
                        "{\"run_id\": \"%s\", \"run_uuid\": \"%s\", \"status\": \"RUNNING\", \"end_time\": %d}"
                                .formatted(id, id, T0 + 5))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.run_info.status").value("RUNNING"));
        postJson(
                        "/runs/log-metric",
                        "{\"run_id\": \"%s\", \"run_uuid\": \"%s\", \"key\": \"loss\", \"value\": 0.2, \"timestamp\": %d, \"step\": 7}"
                                .formatted(id, id, T0 + 6))
                .andExpect(status().isOk());
        call(get(API + "/runs/get").param("run_id", id))
                .andExpect(jsonPath("$.run.info.status").value("RUNNING"))
                .andExpect(jsonPath("$.run.data.metrics[0].step").value(7));
    }

    @Test
    void aRetriedWriteDoesNotDuplicateAMetricPoint() throws Exception {
        String exp = setExperiment("retries");
        String id = startRun(exp, "retry").get("info").get("run_id").asString();
        String point = "{\"run_id\": \"%s\", \"key\": \"loss\", \"value\": 0.4, \"timestamp\": %d, \"step\": 3}"
                .formatted(id, T0);
        for (int attempt = 0; attempt < 3; attempt++) {
            postJson("/runs/log-metric", point).andExpect(status().isOk());
        }
        String batch =
                "{\"run_id\": \"%s\", \"metrics\": [{\"key\": \"loss\", \"value\": 0.4, \"timestamp\": %d, \"step\": 3}], \"params\": [{\"key\": \"seed\", \"value\": \"0\"}]}"
                        .formatted(id, T0);
        postJson("/runs/log-batch", batch).andExpect(status().isOk());
        postJson("/runs/log-batch", batch).andExpect(status().isOk());
        call(get(API + "/metrics/get-history").param("run_id", id).param("metric_key", "loss"))
                .andExpect(jsonPath("$.metrics.length()").value(1));
    }

    @Test
    void errorsUseMlflowCodes() throws Exception {
        String exp = setExperiment("errors");
        postJson("/experiments/create", "{\"name\": \"errors\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_ALREADY_EXISTS"));
        call(get(API + "/runs/get").param("run_id", "0123456789abcdef0123456789abcdef"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
        String id = startRun(exp, "conflict").get("info").get("run_id").asString();
        postJson("/runs/log-parameter", "{\"run_id\": \"%s\", \"key\": \"lr\", \"value\": \"1e-4\"}".formatted(id))
                .andExpect(status().isOk());
        postJson(
                        "/runs/log-batch",
                        """
                {"run_id": "%s", "metrics": [{"key": "loss", "value": 1.0, "timestamp": 1, "step": 0}],
                 "params": [{"key": "lr", "value": "2e-4"}]}"""
                                .formatted(id))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"))
                .andExpect(jsonPath("$.message", Matchers.containsString("Changing param values is not allowed")));
        // the rejected batch stored nothing, not even its metric
        call(get(API + "/metrics/get-history").param("run_id", id).param("metric_key", "loss"))
                .andExpect(jsonPath("$.metrics.length()").value(0));
        postJson(
                        "/runs/log-metric",
                        "{\"run_id\": \"%s\", \"key\": \"loss\", \"value\": \"abc\", \"timestamp\": 1}".formatted(id))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        postJson("/runs/create", "{\"experiment_id\": \"999999\"}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
        call(put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + id + "/artifacts/../../../escape.txt")
                        .content("x".getBytes()))
                .andExpect(status().isBadRequest());
        mvc.perform(post(API + "/runs/set-tag")
                        .header("Authorization", "Bearer " + readOnlyToken)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"run_id\": \"%s\", \"key\": \"a\", \"value\": \"b\"}".formatted(id)))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.error_code").value("PERMISSION_DENIED"));
        mvc.perform(get(API + "/runs/get").param("run_id", id)).andExpect(status().isUnauthorized());
    }

    @Test
    void runPagesShowWhatTheClientLogged() throws Exception {
        String exp = setExperiment("pages");
        String id = startRun(exp, "visible-run").get("info").get("run_id").asString();
        postJson(
                        "/runs/log-batch",
                        """
                {"run_id": "%s", "metrics": [{"key": "loss", "value": 0.25, "timestamp": 5, "step": 0}],
                 "params": [{"key": "lora_alpha", "value": "4"}]}"""
                                .formatted(id))
                .andExpect(status().isOk());
        call(put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + id + "/artifacts/gallery/tile_0.png")
                        .content(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
                .andExpect(status().isOk());
        var supervisor =
                org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user("sue")
                        .roles("SUPERVISOR");
        mvc.perform(get("/runs").with(supervisor).param("experiment", exp))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("visible-run")))
                .andExpect(content().string(Matchers.containsString("<td>pages</td>")));
        mvc.perform(get("/runs/" + id).with(supervisor))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("lora_alpha")))
                .andExpect(content().string(Matchers.containsString("/runs/" + id + "/artifacts/gallery/tile_0.png")));
        mvc.perform(get("/runs/" + id + "/metrics.json").with(supervisor))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.loss.values[0]").value(0.25));
        mvc.perform(get("/runs/" + id + "/artifacts/gallery/tile_0.png").with(supervisor))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.IMAGE_PNG));
        mvc.perform(get("/runs/0123456789abcdef0123456789abcdef").with(supervisor))
                .andExpect(status().isNotFound());
    }

    @Test
    void compareShowsDifferingParamsAndSeedGroups() throws Exception {
        String exp = setExperiment("seeds");
        String[][] configs = {{"4", "0", "0.40"}, {"4", "1", "0.50"}, {"8", "0", "0.30"}};
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (String[] c : configs) {
            String id = startRun(exp, "rank" + c[0] + "-seed" + c[1])
                    .get("info")
                    .get("run_id")
                    .asString();
            ids.add(id);
            postJson(
                            "/runs/log-batch",
                            """
                    {"run_id": "%s", "metrics": [{"key": "loss", "value": %s, "timestamp": 1, "step": 0}],
                     "params": [{"key": "rank", "value": "%s"}, {"key": "seed", "value": "%s"}, {"key": "lr", "value": "1e-4"}]}"""
                                    .formatted(id, c[2], c[0], c[1]))
                    .andExpect(status().isOk());
        }
        var supervisor =
                org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user("sue")
                        .roles("SUPERVISOR");
        var page = mvc.perform(get("/runs/compare")
                        .with(supervisor)
                        .param("run", ids.toArray(String[]::new))
                        .param("seeds", "true"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        // rank and seed differ, lr does not; the two rank-4 seeds form one group: mean 0.45 ± 0.0707 (n=2)
        assertThat(page).contains(">rank<", ">seed<").doesNotContain(">lr<");
        assertThat(page).contains("0.4500 ± 0.0707 (n=2)", "rank4-seed0 (+1 seeds)");
        mvc.perform(get("/runs/compare/curves.json")
                        .with(supervisor)
                        .param("run", ids.toArray(String[]::new))
                        .param("seeds", "true")
                        .param("band", "minmax"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.loss.length()").value(2))
                .andExpect(jsonPath("$.loss[0].points[0][1]").value(0.45))
                .andExpect(jsonPath("$.loss[0].points[0][2]").value(0.40))
                .andExpect(jsonPath("$.loss[0].points[0][3]").value(0.50))
                .andExpect(jsonPath("$.loss[0].points[0][4]").value(2.0));
    }

    @Test
    void searchFiltersOrdersAndPages() throws Exception {
        String exp = setExperiment("search");
        double[] fids = {154, 182, 190, 221};
        String[] names = {"lora20", "mist_pr", "mist_er", "noFlow"};
        for (int i = 0; i < names.length; i++) {
            String id = startRun(exp, names[i]).get("info").get("run_id").asString();
            postJson(
                            "/runs/log-batch",
                            """
                    {"run_id": "%s", "metrics": [{"key": "fid", "value": %s, "timestamp": 5, "step": 0}],
                     "params": [{"key": "flow", "value": "%s"}]}"""
                                    .formatted(id, fids[i], i == 3 ? "none" : "mist"))
                    .andExpect(status().isOk());
        }
        JsonNode result = body(postJson(
                        "/runs/search",
                        """
                {"experiment_ids": ["%s"], "filter": "metrics.fid < 200 and params.flow = 'mist'",
                 "order_by": ["metrics.fid DESC"], "max_results": 2}"""
                                .formatted(exp))
                .andExpect(status().isOk()));
        assertThat(result.get("runs")).hasSize(2);
        assertThat(result.get("runs").get(0).get("info").get("run_name").asString())
                .isEqualTo("mist_er");
        assertThat(result.get("runs").get(1).get("info").get("run_name").asString())
                .isEqualTo("mist_pr");
        String next = result.get("next_page_token").asString();
        JsonNode page2 = body(postJson(
                "/runs/search",
                """
                {"experiment_ids": ["%s"], "filter": "metrics.fid < 200 and params.flow = 'mist'",
                 "order_by": ["metrics.fid DESC"], "max_results": 2, "page_token": "%s"}"""
                        .formatted(exp, next)));
        assertThat(page2.get("runs")).hasSize(1);
        assertThat(page2.get("runs").get(0).get("info").get("run_name").asString())
                .isEqualTo("lora20");
        assertThat(page2.has("next_page_token")).isFalse();
        JsonNode like = body(postJson(
                "/runs/search",
                """
                {"experiment_ids": ["%s"], "filter": "attributes.run_name LIKE 'mist%%'"}"""
                        .formatted(exp)));
        assertThat(like.get("runs")).hasSize(2);
        postJson("/runs/search", "{\"experiment_ids\": [\"%s\"], \"filter\": \"bogus.x = 1\"}".formatted(exp))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
    }
}
