package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.Page;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.accounts.TokenScope;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 19, item 5: the official MLflow Java client ({@code org.mlflow:mlflow-client} 2.17.2, a test dependency) drives
 * every call {@link MlflowClient} offers against the running application on a random port, over HTTP with a member's
 * token, as a team's Java code would. Not reached: {@code logArtifact(s)}, {@code listArtifacts} and
 * {@code downloadArtifacts}, which the Java client runs through the Python {@code mlflow} CLI
 * ({@code CliBasedArtifactRepository}; the artifact proxy is covered by {@link MlflowContractTest}); the model registry
 * calls are the registry's (see {@link #modelRegistry}). MLflow 3's logged models, which this client predates, go
 * through its own HTTP layer ({@code sendPost}/{@code sendGet}/{@code sendPatch}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class MlflowJavaClientTest {

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    static String token;
    static String supervisorToken;
    final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void tokens() {
        if (token == null) {
            accounts.register("jo", "Jo", Role.MEMBER, "Walnut-Canyon-5127");
            accounts.register("su", "Su", Role.SUPERVISOR, "Heron-Glacier-9043");
            token = accounts.newToken("jo-java", "jo", TokenScope.API);
            supervisorToken = accounts.newToken("su-java", "su", TokenScope.API);
        }
    }

    private MlflowClient client(String bearer) {
        return new MlflowClient(new BasicMlflowHostCreds("http://127.0.0.1:" + port, bearer));
    }

    @Test
    void experimentsThroughTheJavaClient() {
        MlflowClient c = client(token);
        String id = c.createExperiment("java-exp");
        String id2 = c.createExperiment(Service.CreateExperiment.newBuilder()
                .setName("java-exp-tagged")
                .addTags(Service.ExperimentTag.newBuilder().setKey("team").setValue("stain"))
                .build());
        assertThat(c.getExperiment(id).getName()).isEqualTo("java-exp");
        assertThat(c.getExperiment(id2).getTagsList())
                .extracting(Service.ExperimentTag::getKey)
                .contains("team");
        assertThat(c.getExperimentByName("java-exp"))
                .map(Service.Experiment::getExperimentId)
                .contains(id);
        assertThat(c.getExperimentByName("no-such-experiment")).isEmpty();
        c.setExperimentTag(id, "purpose", "contract");
        assertThat(c.getExperiment(id).getTagsList())
                .extracting(Service.ExperimentTag::getValue)
                .contains("contract");

        // renameExperiment → experiments/update
        c.renameExperiment(id, "java-exp-renamed");
        assertThat(c.getExperiment(id).getName()).isEqualTo("java-exp-renamed");
        MlflowHttpException taken = (MlflowHttpException)
                org.assertj.core.api.Assertions.catchThrowable(() -> c.renameExperiment(id, "java-exp-tagged"));
        assertThat(taken.getStatusCode()).isEqualTo(400);
        assertThat(taken.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");

        assertThat(c.searchExperiments().getItems())
                .extracting(Service.Experiment::getName)
                .contains("java-exp-renamed", "java-exp-tagged");
        assertThat(c.searchExperiments("name = 'java-exp-tagged'").getItems()).hasSize(1);
        List<String> names = new ArrayList<>();
        Page<Service.Experiment> page =
                c.searchExperiments("name LIKE 'java-exp%'", Service.ViewType.ACTIVE_ONLY, 1, List.of());
        for (int i = 0; i < 5; i++) {
            page.getItems().forEach(e -> names.add(e.getName()));
            if (!page.hasNextPage()) {
                break;
            }
            page = page.getNextPage();
        }
        assertThat(names).containsExactlyInAnyOrder("java-exp-renamed", "java-exp-tagged");

        c.deleteExperiment(id2);
        assertThat(c.getExperiment(id2).getLifecycleStage()).isEqualTo("deleted");
        c.restoreExperiment(id2);
        assertThat(c.getExperiment(id2).getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void runsMetricsTagsAndSearchThroughTheJavaClient() {
        MlflowClient c = client(token);
        String exp = c.createExperiment("java-runs");
        Service.RunInfo first = c.createRun(exp);
        Service.RunInfo named = c.createRun(Service.CreateRun.newBuilder()
                .setExperimentId(exp)
                .setRunName("java-named")
                .setStartTime(System.currentTimeMillis())
                .addTags(Service.RunTag.newBuilder().setKey("mlflow.user").setValue("jo"))
                .build());
        assertThat(named.getRunName()).isEqualTo("java-named");
        String run = first.getRunId();

        c.logParam(run, "lr", "1e-4");
        c.logMetric(run, "loss", 0.5);
        c.logMetric(run, "loss", 0.25, System.currentTimeMillis(), 1);
        c.setTag(run, "stage", "train");
        c.setTag(run, "temp", "x");
        c.deleteTag(run, "temp");
        c.logBatch(
                run,
                List.of(Service.Metric.newBuilder()
                        .setKey("fid")
                        .setValue(150.0)
                        .setTimestamp(1)
                        .setStep(1)
                        .build()),
                List.of(Service.Param.newBuilder().setKey("rank").setValue("8").build()),
                List.of(Service.RunTag.newBuilder()
                        .setKey("dataset")
                        .setValue("ck7")
                        .build()));
        assertThat(c.getMetricHistory(run, "loss"))
                .extracting(Service.Metric::getValue)
                .containsExactly(0.5, 0.25);

        Service.Run got = c.getRun(run);
        assertThat(got.getData().getParamsList())
                .extracting(Service.Param::getKey)
                .containsExactlyInAnyOrder("lr", "rank");
        assertThat(got.getData().getTagsList())
                .extracting(Service.RunTag::getKey)
                .contains("stage", "dataset")
                .doesNotContain("temp");
        assertThat(got.getData().getMetricsList())
                .extracting(Service.Metric::getKey)
                .containsExactlyInAnyOrder("loss", "fid");

        assertThat(c.searchRuns(List.of(exp), "params.rank = '8'"))
                .extracting(Service.RunInfo::getRunId)
                .containsExactly(run);
        assertThat(c.searchRuns(List.of(exp), "", Service.ViewType.ALL)).hasSize(2);
        assertThat(c.listRunInfos(exp)).hasSize(2);
        List<String> paged = new ArrayList<>();
        Page<Service.Run> page =
                c.searchRuns(List.of(exp), "", Service.ViewType.ACTIVE_ONLY, 1, List.of("attributes.start_time DESC"));
        for (int i = 0; i < 5; i++) {
            page.getItems().forEach(r -> paged.add(r.getInfo().getRunId()));
            if (!page.hasNextPage()) {
                break;
            }
            page = page.getNextPage();
        }
        assertThat(paged).containsExactlyInAnyOrder(run, named.getRunId());

        c.setTerminated(run);
        assertThat(c.getRun(run).getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        c.setTerminated(named.getRunId(), Service.RunStatus.FAILED, System.currentTimeMillis());
        assertThat(c.getRun(named.getRunId()).getInfo().getStatus()).isEqualTo(Service.RunStatus.FAILED);
        c.deleteRun(run);
        assertThat(c.getRun(run).getInfo().getLifecycleStage()).isEqualTo("deleted");
        c.restoreRun(run);
        assertThat(c.getRun(run).getInfo().getLifecycleStage()).isEqualTo("active");

        // Validation answers 400 with MLflow's code (the client does not retry 4xx).
        MlflowHttpException longName = (MlflowHttpException)
                org.assertj.core.api.Assertions.catchThrowable(() -> c.createRun(Service.CreateRun.newBuilder()
                        .setExperimentId(exp)
                        .setRunName("r".repeat(251))
                        .build()));
        assertThat(longName.getStatusCode()).isEqualTo(400);
        assertThat(longName.getBodyMessage()).contains("INVALID_PARAMETER_VALUE");
        MlflowHttpException longTag = (MlflowHttpException)
                org.assertj.core.api.Assertions.catchThrowable(() -> c.setExperimentTag(exp, "k", "v".repeat(5001)));
        assertThat(longTag.getStatusCode()).isEqualTo(400);

        // A supervisor's token reads but never writes.
        MlflowClient supervisor = client(supervisorToken);
        assertThat(supervisor.getRun(run).getInfo().getRunId()).isEqualTo(run);
        assertThatThrownBy(() -> supervisor.logParam(run, "x", "1"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode())
                        .isEqualTo(403));
        assertThatThrownBy(() -> supervisor.createExperiment("not-allowed"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode())
                        .isEqualTo(403));
        assertThatThrownBy(() -> supervisor.renameExperiment(exp, "not-allowed"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode())
                        .isEqualTo(403));
    }

    /** MLflow 3 logged models through the client's own HTTP layer, with the JSON the Python client sends. */
    @Test
    void loggedModelsThroughTheJavaClientsHttpLayer() throws Exception {
        MlflowClient c = client(token);
        String exp = c.createExperiment("java-logged-models");
        String run = c.createRun(exp).getRunId();
        JsonNode created = json.readTree(c.sendPost(
                "logged-models",
                """
                {"experiment_id": "%s", "name": "java-model", "source_run_id": "%s",
                 "tags": [{"key": "mlflow.user", "value": "jo"}]}"""
                        .formatted(exp, run)));
        String modelId = created.at("/model/info/model_id").asString();
        assertThat(created.at("/model/info/status").asString()).isEqualTo("LOGGED_MODEL_PENDING");
        c.sendPost(
                "runs/outputs",
                "{\"run_id\": \"%s\", \"models\": [{\"model_id\": \"%s\", \"step\": 0}]}".formatted(run, modelId));
        JsonNode finalized = json.readTree(c.sendPatch(
                "logged-models/" + modelId,
                "{\"model_id\": \"%s\", \"status\": \"LOGGED_MODEL_READY\"}".formatted(modelId)));
        assertThat(finalized.at("/model/info/status").asString()).isEqualTo("LOGGED_MODEL_READY");
        assertThat(json.readTree(c.sendGet("logged-models/" + modelId))
                        .at("/model/info/name")
                        .asString())
                .isEqualTo("java-model");
        JsonNode search = json.readTree(c.sendPost(
                "logged-models/search",
                "{\"experiment_ids\": [\"%s\"], \"filter\": \"name = 'java-model'\"}".formatted(exp)));
        assertThat(search.get("models")).hasSize(1);
        // A call this server does not have: 404 ENDPOINT_NOT_FOUND, in MLflow's JSON.
        assertThatThrownBy(() -> c.sendGet("no/such/endpoint")).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(404);
            assertThat(e.getBodyMessage()).contains("ENDPOINT_NOT_FOUND");
        });
    }

    /** {@code MLFLOW_TRACKING_URI} with a trailing slash: the client asks for {@code //api/2.0/mlflow/...}. */
    @Test
    void aTrackingUriWithATrailingSlashWorks() throws Exception {
        MlflowClient slash = new MlflowClient(new BasicMlflowHostCreds("http://127.0.0.1:" + port + "/", token));
        String exp = slash.createExperiment("java-trailing-slash");
        assertThat(slash.getExperiment(exp).getName()).isEqualTo("java-trailing-slash");
        String run = slash.createRun(exp).getRunId();
        slash.logMetric(run, "loss", 0.1);
        HttpResponse<String> raw = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + port + "//api/2.0/mlflow/runs/get/?run_id=" + run))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(json.readTree(raw.body()).at("/run/info/run_id").asString()).isEqualTo(run);
        HttpResponse<String> anonymous = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + port + "//api/2.0/mlflow/runs/get?run_id=" + run))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    // The client's model-registry calls are driven in MlflowJavaRegistryTest.
}
