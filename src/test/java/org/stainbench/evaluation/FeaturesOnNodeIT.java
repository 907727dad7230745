package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Stain;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.evaluation.features.OnnxFeatureExtractor;
import org.stainbench.evaluation.metrics.Features;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.jobs.AgentProcesses;
import org.stainbench.jobs.CommandJob;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobState;
import org.stainbench.jobs.Resources;
import org.stainbench.support.Waits;
import org.stainbench.tiles.RgbTile;

/**
 * Issue 21 item 3 with a real node agent process (the built jar, CPU): with
 * {@code stainbench.evaluation.features-on=node} an evaluation's features are computed by the jar's {@code features}
 * command on the agent, uploaded into the feature cache with the job's own credential, and the evaluation finishes
 * from the cache. The features equal the server-side extraction of the same tiles; the evaluation page says where they
 * were computed; the job's log says which execution provider ran. Only that job's credential may read its work or
 * upload: no token (401), a member's API token, a NODE token and another job's credential (403) are refused.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "stainbench.evaluation.features-on=node",
            "stainbench.jobs.lease=6s",
            "stainbench.jobs.heartbeat=400ms",
            "stainbench.jobs.sweep-interval=300ms",
            "stainbench.jobs.backoff=200ms",
            "stainbench.jobs.poll-wait=5s",
            "stainbench.jobs.assign-ack=5s"
        })
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeaturesOnNodeIT {

    @TempDir
    static Path dir;

    final AgentProcesses agents = new AgentProcesses();
    final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    Evaluations evaluations;

    @Autowired
    Extractors extractors;

    @Autowired
    EvaluationStore store;

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogTiles tiles;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Accounts accounts;

    @Autowired
    JobQueue jobs;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @Autowired
    MockMvc mvc;

    long real;
    GeneratedSet remap;
    Extractor extractor;
    Path model;

    @BeforeAll
    void data() throws IOException {
        assertThat(AgentProcesses.JAR)
                .as("the packaged jar (failsafe runs after package)")
                .exists();
        real = GeneratedFixtures.dataset(
                catalog, "Node CK7", Stain.IHC, dir.resolve("ck7"), List.of("ihc_51_1.npz", "ihc_52_1.npz"), 8, 64, 71);
        long he = GeneratedFixtures.dataset(
                catalog, "Node H&E", Stain.HE, dir.resolve("he"), List.of("he_61_1.npz", "he_62_1.npz"), 8, 64, 81);
        Checkpoint c =
                checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "node remap", null, 1.0, 1.0, null, "test");
        checkpoints.applyBaseline(c.id(), he, "test");
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, c.id());
        remap = checkpoints.sets(c.id()).get(0);
        model = dir.resolve("random8.onnx");
        try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
            Files.copy(in, model);
        }
        try (InputStream in = Files.newInputStream(model)) {
            extractor = extractors.register(
                    new Extractors.NewExtractor(
                            "random8 on a node",
                            16,
                            16,
                            ResizeFilter.BILINEAR_ANTIALIAS,
                            1.0 / 255,
                            0.0,
                            new double[] {0.5, 0.5, 0.5},
                            new double[] {0.25, 0.25, 0.25},
                            8),
                    "random8.onnx",
                    in,
                    null,
                    "test");
        }
        accounts.createAccount("node-member", Role.MEMBER, "Tulip-Quarry-4471");
    }

    @AfterAll
    void stop() {
        agents.stopAll();
    }

    HttpResponse<String> call(String method, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b = "PUT".equals(method) ? b.PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[128])) : b.GET();
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anEvaluationsFeaturesAreComputedByTheNodeAgentAndOnlyItsJobMayUploadThem() throws Exception {
        String nodeToken = accounts.issueNodeToken("feat-node", "admin");
        String memberToken = accounts.issueApiToken("feat-member", "node-member");
        Path marks = Files.createDirectories(dir.resolve("marks"));
        // a job that shows its own credential and waits for a mark: the features job queues behind it on the one agent
        long probe = jobs.submitCommand(CommandJob.shell(
                "probe",
                "echo \"CRED=$MLFLOW_TRACKING_TOKEN\"; echo \"JAR=$STAINBENCH_JAR\";" + " while [ ! -f "
                        + marks.resolve("go") + " ]; do sleep 0.2; done",
                Resources.cpu(),
                "admin"));
        agents.start("http://127.0.0.1:" + port, nodeToken, dir.resolve("feat-node"), "feat-node", null);
        String probeLog = Waits.upTo(Duration.ofSeconds(90), "the probe's credential")
                .until(() -> log(probe, 100_000), t -> t.contains("JAR="));
        String otherJob = probeLog.lines()
                .filter(l -> l.startsWith("CRED="))
                .findFirst()
                .orElseThrow()
                .substring(5);
        assertThat(otherJob).startsWith("sbj_");
        assertThat(probeLog).contains("JAR=/").contains(".jar");

        Evaluation e = evaluations.create(
                "on a node",
                real,
                List.of(remap.id()),
                extractor.id(),
                new Protocol(12, 2, 32, 2, List.of(0L, 1L), 4, 6, 5),
                "node-member");
        long featuresJob = Waits.upTo(Duration.ofSeconds(60), "the features job")
                .until(() -> evaluations.featuresJob(e.id()).orElse(null), java.util.Objects::nonNull);
        assertThat(evaluations.featuresWhere(e.id()))
                .hasValueSatisfying(w -> assertThat(w).contains("waiting"));
        assertThat(jobs.find(featuresJob).orElseThrow().type()).isEqualTo("features");

        // who may call: nobody but the features job's own credential
        String base = "/api/evaluations/feature-jobs/" + featuresJob;
        for (String path : List.of(base + "/work", base + "/model", base + "/tiles")) {
            assertThat(call("GET", path, null).statusCode())
                    .as("no token on %s", path)
                    .isEqualTo(401);
            assertThat(call("GET", path, memberToken).statusCode())
                    .as("a member's API token on %s", path)
                    .isEqualTo(403);
            assertThat(call("GET", path, nodeToken).statusCode())
                    .as("the NODE token on %s", path)
                    .isEqualTo(403);
            assertThat(call("GET", path, otherJob).statusCode())
                    .as("another job's credential on %s", path)
                    .isEqualTo(403);
        }
        assertThat(call("PUT", base + "/features?work=x&provider=CPU", otherJob).statusCode())
                .isEqualTo(403);
        assertThat(call("PUT", base + "/features?work=x&provider=CPU", memberToken)
                        .statusCode())
                .isEqualTo(403);
        assertThat(cachedRows()).as("nothing stored by refused calls").isZero();
        // a job credential still reaches nothing else
        assertThat(call("GET", "/api/evaluations/" + e.id(), otherJob).statusCode())
                .isEqualTo(403);

        Files.createFile(marks.resolve("go"));
        assertThat(Waits.upTo(Duration.ofSeconds(60), "the probe")
                        .until(() -> jobs.find(probe).orElseThrow().state(), JobState::isFinal))
                .isEqualTo(JobState.SUCCEEDED);
        JobState features = Waits.upTo(Duration.ofSeconds(180), "the features job")
                .until(() -> jobs.find(featuresJob).orElseThrow().state(), JobState::isFinal);
        String log = log(featuresJob, 200_000);
        assertThat(features).as("features job log:%n%s", log).isEqualTo(JobState.SUCCEEDED);
        assertThat(log)
                .contains("ONNX Runtime on CPU")
                .contains("\"provider\" : \"CPU\"")
                .contains("tiles_per_second");
        String status = Waits.upTo(Duration.ofSeconds(120), "the evaluation")
                .until(
                        () -> evaluations.find(e.id()).orElseThrow().status(),
                        s -> s.equals("DONE") || s.equals("FAILED"));
        assertThat(status).as(evaluations.find(e.id()).orElseThrow().error()).isEqualTo("DONE");
        assertThat(evaluations.featuresWhere(e.id())).contains("node feat-node (CPU)");
        assertThat(evaluations.comparison(e.id()).rows()).hasSize(1);

        // the node's features are the server's extraction of the same tiles (same model, same preprocessing)
        List<Long> ids = new ArrayList<>();
        List<byte[]> pixels = new ArrayList<>();
        for (Archive a : catalog.archives(real)) {
            for (TileInfo t : tiles.tiles(a.id())) {
                RgbTile rgb = tiles.read(a.id(), t.index());
                ids.add(t.id());
                pixels.add(rgb.rgb());
            }
        }
        Map<Long, float[]> cached = store.features(extractor.id(), Extractors.FULL, ids);
        assertThat(cached).isNotEmpty();
        try (OnnxFeatureExtractor x = new OnnxFeatureExtractor(model, extractor.preprocessing())) {
            Features local = x.extract(pixels, 64, 64, 4);
            for (int i = 0; i < ids.size(); i++) {
                float[] v = cached.get(ids.get(i));
                if (v == null) {
                    continue; // a tile the protocol did not choose
                }
                for (int k = 0; k < v.length; k++) {
                    assertThat((double) v[k]).isCloseTo(local.get(i, k), org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
        // the finished attempt's credential is dead; the page says where the features were computed
        assertThat(call("GET", base + "/work", otherJob).statusCode()).isEqualTo(401);
        mvc.perform(get("/evaluations/" + e.id()).with(user("sup").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string(org.hamcrest.Matchers.containsString("node feat-node (CPU)")));
    }

    long cachedRows() {
        return extractors.cachedFeatures(extractor.id());
    }

    String log(long job, int max) {
        return AgentProcesses.log(context, job, max);
    }
}
