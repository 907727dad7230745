package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evaluations JSON API: API tokens of supervisors and up read, of members and up create; pathologists' and
 * nodes' tokens get 403. A create runs the form's checks: a refusal is a 400 problem naming the field and queues
 * nothing; an accepted one is 201 with the id and Location. The detail carries the protocol, fingerprint, per-seed
 * values and the summaries (n, mean, std, t-interval, seed-invariant, the patient-bootstrap interval).
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationApiTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Extractors extractors;

    @Autowired
    Evaluations evaluations;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    final JsonMapper json = JsonMapper.builder().build();
    long he;
    long ck7;
    long set;
    long generatedDataset;
    long extractor;
    String member;
    String supervisor;
    String pathologist;
    String node;

    @BeforeAll
    void data(@TempDir Path tmp) throws IOException {
        ck7 = GeneratedFixtures.dataset(
                catalog,
                "Api CK7",
                Stain.IHC,
                tmp.resolve("ck7"),
                List.of("ihc_931_1.npz", "ihc_932_1.npz"),
                8,
                64,
                930);
        he = GeneratedFixtures.dataset(
                catalog, "Api H&E", Stain.HE, tmp.resolve("he"), List.of("he_941_1.npz", "he_942_1.npz"), 8, 64, 940);
        Checkpoint c =
                checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "api remap", null, 1.0, 1.1, null, "test");
        checkpoints.applyBaseline(c.id(), he, "test");
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, c.id());
        set = checkpoints.sets(c.id()).get(0).id();
        generatedDataset = checkpoints.sets(c.id()).get(0).datasetId();
        try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
            extractor = extractors
                    .register(
                            new Extractors.NewExtractor(
                                    "api-random8",
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
                            "test")
                    .id();
        }
        accounts.createAccount("evapi-mem", Role.MEMBER, "Tulip-Quarry-4471");
        accounts.createAccount("evapi-sup", Role.SUPERVISOR, "Heron-Basalt-2290");
        accounts.createAccount("evapi-pat", Role.SUPERVISOR, "Maple-Cobalt-8813");
        accounts.createAccount("evapi-adm", Role.ADMIN, "Otter-Granite-5162");
        member = accounts.issueApiToken("evapi script", "evapi-mem");
        supervisor = accounts.issueApiToken("evapi reader", "evapi-sup");
        // pathologists cannot be issued tokens: one made before a demotion (as an old database may hold) is refused
        pathologist = accounts.issueApiToken("evapi pathologist", "evapi-pat");
        jdbc.sql("update app_user set role = 'PATHOLOGIST' where username = 'evapi-pat'")
                .update();
        node = accounts.issueNodeToken("evapi node", "evapi-adm");
    }

    Evaluations.Comparison c0(long id) {
        return evaluations.comparison(id);
    }

    Map<String, Object> valid() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", "api eval");
        b.put("realDatasetId", ck7);
        b.put("setIds", List.of(set));
        b.put("extractorId", extractor);
        b.put("tilesPerSide", 12);
        b.put("archives", 2);
        b.put("cropSize", 32);
        b.put("cropsPerTile", 2);
        b.put("seeds", List.of(0, 1));
        b.put("kidSubsets", 4);
        b.put("kidSubsetSize", 6);
        b.put("batchSize", 5);
        b.put("bootstrapResamples", 20);
        return b;
    }

    ResultActions create(Map<String, Object> body, String token) throws Exception {
        var r = post("/api/evaluations").contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body));
        return mvc.perform(token == null ? r : r.header("Authorization", "Bearer " + token));
    }

    /**
     * The features-job endpoints (issue 21) are for a features job's own credential only: no token is 401, a browser
     * session 401 (the API takes machine tokens), a member's or supervisor's API token and a NODE token 403 — on a job
     * that does not exist (another job's credential: FeaturesOnNodeIT); nothing is stored.
     */
    @Test
    void featureJobEndpointsRefuseEveryoneButTheJobsCredential() throws Exception {
        long before = jobs();
        for (String path : List.of(
                "/api/evaluations/feature-jobs/1/work",
                "/api/evaluations/feature-jobs/1/model",
                "/api/evaluations/feature-jobs/1/tiles")) {
            mvc.perform(get(path)).andExpect(status().isUnauthorized());
            mvc.perform(get(path)
                            .with(org.springframework.security.test.web.servlet.request
                                    .SecurityMockMvcRequestPostProcessors.user("evapi-mem")
                                    .roles("MEMBER")))
                    .andExpect(r -> assertThat(r.getResponse().getStatus()).isIn(401, 403));
            for (String token : List.of(member, supervisor, node)) {
                mvc.perform(get(path).header("Authorization", "Bearer " + token))
                        .andExpect(status().isForbidden());
            }
        }
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put(
                                "/api/evaluations/feature-jobs/1/features?work=x&provider=CPU")
                        .content(new byte[64])
                        .header("Authorization", "Bearer " + member))
                .andExpect(status().isForbidden());
        assertThat(jobs()).isEqualTo(before);
    }

    long jobs() {
        return jdbc.sql("select count(*) from job").query(Long.class).single();
    }

    @Test
    void refusalsNameTheFieldAndQueueNothing() throws Exception {
        long evs = evaluations.count();
        long queued = jobs();
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("name", new Object[] {"name", " "});
        cases.put("real H&E", new Object[] {"realDatasetId", he});
        cases.put("no real", new Object[] {"realDatasetId", null});
        cases.put("unknown real", new Object[] {"realDatasetId", 987654});
        // issue 16: a generated set is not real tiles and is refused as the real target
        cases.put("generated as real", new Object[] {"realDatasetId", generatedDataset});
        cases.put("no sets", new Object[] {"setIds", List.of()});
        cases.put("unknown set", new Object[] {"setIds", List.of(987654)});
        cases.put("unknown extractor", new Object[] {"extractorId", 987654});
        cases.put("crops too big", new Object[] {"cropSize", 512});
        cases.put("crops per tile", new Object[] {"cropsPerTile", 0});
        cases.put("seeds text", new Object[] {"seeds", "x"});
        cases.put("seeds not whole", new Object[] {"seeds", List.of(0.5)});
        cases.put("too many tiles", new Object[] {"tilesPerSide", 400});
        cases.put("missing kid subsets", new Object[] {"kidSubsets", null});
        cases.put("kid subset size", new Object[] {"kidSubsetSize", 1});
        cases.put("batch", new Object[] {"batchSize", 0});
        cases.put("tile rule", new Object[] {"tileRule", "best"});
        cases.put("bootstrap too many", new Object[] {"bootstrapResamples", 999999});
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Map<String, Object> body = valid();
            body.put((String) c.getValue()[0], c.getValue()[1]);
            create(body, member)
                    .andExpect(status().isBadRequest())
                    .andExpect(header().string("Content-Type", startsWith("application/problem+json")))
                    .andExpect(jsonPath("$.field").value((String) c.getValue()[0]))
                    .andExpect(jsonPath("$.detail").isNotEmpty());
        }
        create(Map.of("preset", "weird", "name", "x"), member)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("preset"));
        // the roles that may not create, and no token at all
        create(valid(), supervisor).andExpect(status().isForbidden());
        create(valid(), pathologist).andExpect(status().isUnauthorized());
        create(valid(), node).andExpect(status().isForbidden());
        create(valid(), null).andExpect(status().isUnauthorized());
        assertThat(evaluations.count()).isEqualTo(evs);
        assertThat(jobs()).isEqualTo(queued);
    }

    @Test
    void aMemberCreatesSupervisorsReadAndTheDetailCarriesEveryValue() throws Exception {
        long queued = jobs();
        var res = create(valid(), member)
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse();
        JsonNode created = json.readTree(res.getContentAsString());
        long id = created.get("id").asLong();
        assertThat(res.getHeader("Location")).endsWith("/api/evaluations/" + id);
        // the embedded executor may already have picked it up when the answer is written
        assertThat(created.get("status").asString()).isIn("QUEUED", "RUNNING", "DONE");
        assertThat(jobs()).isEqualTo(queued + 1);
        assertThat(evaluations.find(id).orElseThrow().createdBy()).isEqualTo("evapi-mem");
        GeneratedFixtures.await("api evaluation", () -> List.of("DONE", "FAILED")
                .contains(evaluations.find(id).orElseThrow().status()));

        mvc.perform(get("/api/evaluations").header("Authorization", "Bearer " + pathologist))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/evaluations").header("Authorization", "Bearer " + node))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/evaluations/" + id).header("Authorization", "Bearer " + node))
                .andExpect(status().isForbidden());
        JsonNode page = json.readTree(mvc.perform(
                        get("/api/evaluations").param("size", "100").header("Authorization", "Bearer " + supervisor))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString());
        assertThat(page.get("total").asLong()).isEqualTo(evaluations.count());
        assertThat(page.get("items").findValuesAsString("name")).contains("api eval");
        mvc.perform(get("/api/evaluations").param("size", "0").header("Authorization", "Bearer " + supervisor))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("size"));
        mvc.perform(get("/api/evaluations/987654").header("Authorization", "Bearer " + supervisor))
                .andExpect(status().isNotFound());

        JsonNode d =
                json.readTree(mvc.perform(get("/api/evaluations/" + id).header("Authorization", "Bearer " + member))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString());
        Evaluation ev = evaluations.find(id).orElseThrow();
        assertThat(d.get("status").asString()).isEqualTo("DONE");
        assertThat(d.get("fingerprint").asString()).isEqualTo(ev.fingerprint()).hasSize(64);
        assertThat(d.get("fingerprint_text").asString()).isEqualTo(ev.fingerprintText());
        assertThat(d.get("protocol").get("tiles_per_side")).isNotNull();
        assertThat(c0(id).rows().get(0).cell(Metric.FID).bootLow())
                .as("FID has a bootstrap interval")
                .isNotNull();
        Evaluations.Comparison c = evaluations.comparison(id);
        JsonNode subject = d.get("subjects").get(0);
        assertThat(subject.get("generated_set_id").asLong()).isEqualTo(set);
        for (Metric m : c.metrics()) {
            JsonNode v = subject.get("metrics").get(m.key());
            ComparisonTable.Cell cell = c.rows().get(0).cell(m);
            assertThat(v.get("n").asInt()).isEqualTo(2);
            assertThat(v.get("mean").asDouble()).isEqualTo(cell.mean());
            assertThat(v.get("seeds")).hasSize(2);
            assertThat(v.get("seeds").get(1).get("seed").asLong()).isEqualTo(1);
            assertThat(v.get("seeds").get(1).get("value").asDouble())
                    .isEqualTo(cell.seeds().get(1));
            assertThat(v.get("seed_invariant").asBoolean()).isEqualTo(cell.seedInvariant());
            // the API's new evaluations take the form's defaults: random tiles per seed, here B = 20 resamples
            if (cell.bootLow() == null) {
                assertThat(v.get("bootstrap").isNull()).as(m.key()).isTrue();
            } else {
                assertThat(v.get("bootstrap").get("low").asDouble()).isEqualTo(cell.bootLow());
                assertThat(v.get("bootstrap").get("high").asDouble()).isEqualTo(cell.bootHigh());
                assertThat(v.get("bootstrap").get("resamples").asInt()).isEqualTo(20);
            }
            if (cell.std() != null) {
                assertThat(v.get("std").asDouble()).isEqualTo(cell.std());
                assertThat(v.get("t_interval").get("low").asDouble()).isEqualTo(cell.ciLow());
                assertThat(v.get("t_interval").get("high").asDouble()).isEqualTo(cell.ciHigh());
            }
        }
        // FID under the default protocol does not move with the seed: flagged
        assertThat(subject.get("metrics").get("fid").get("seed_invariant").asBoolean())
                .isEqualTo(c.rows().get(0).seedInvariant(Metric.FID));
    }
}
