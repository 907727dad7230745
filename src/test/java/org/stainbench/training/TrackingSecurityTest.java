package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 15 on the MLflow-compatible API: artifacts never run script in the application's origin (item 2), LIKE in
 * runs/search is linear and searches are bounded (item 4), who may read and write (item 7, {@link TrackingAccess}),
 * over-long values are 400 naming the field, never 500 with SQL (item 13), and artifact size limits (item 15).
 */
@SpringBootTest(
        properties = {"stainbench.tracking.max-artifact-bytes=2KB", "stainbench.tracking.max-run-artifact-bytes=5KB"})
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrackingSecurityTest {

    private static final String API = "/api/2.0/mlflow";
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Value("${stainbench.artifacts.root}")
    Path artifactsRoot;

    final JsonMapper json = JsonMapper.builder().build();
    String member;
    String supervisor;
    String pathologist;
    String admin;
    String node;

    @BeforeAll
    void tokens() {
        accounts.createAccount("trk-member", Role.MEMBER, "Tulip-Quarry-4471");
        accounts.createAccount("trk-super", Role.SUPERVISOR, "Maple-Harbor-8823");
        accounts.createAccount("trk-patho", Role.SUPERVISOR, "Cobalt-Meadow-5190");
        member = accounts.issueApiToken("trk-laptop", "trk-member");
        supervisor = accounts.issueApiToken("trk-notebook", "trk-super");
        // A token whose owner is (now) a pathologist: made before the role changed, as an old database may hold
        // one even though the admin page no longer issues them.
        pathologist = accounts.issueApiToken("trk-old", "trk-patho");
        jdbc.sql("update app_user set role = 'PATHOLOGIST' where username = 'trk-patho'")
                .update();
        admin = accounts.issueApiToken("trk-admin", "admin");
        node = accounts.issueNodeToken("trk-gpu-01", "admin");
    }

    private ResultActions as(String token, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header("Authorization", "Bearer " + token));
    }

    private ResultActions postJson(String token, String path, String body) throws Exception {
        return as(
                token, post(API + path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private JsonNode body(ResultActions r) throws Exception {
        return json.readTree(r.andReturn().getResponse().getContentAsString());
    }

    private String experiment(String name) throws Exception {
        return body(postJson(member, "/experiments/create", "{\"name\": \"" + name + "\"}")
                        .andExpect(status().isOk()))
                .get("experiment_id")
                .asString();
    }

    private String run(String experimentId, String name) throws Exception {
        return body(postJson(
                                member,
                                "/runs/create",
                                "{\"experiment_id\": \"%s\", \"run_name\": \"%s\"}".formatted(experimentId, name))
                        .andExpect(status().isOk()))
                .get("run")
                .get("info")
                .get("run_id")
                .asString();
    }

    private static RequestPostProcessor adminSession() {
        return user("admin").roles("ADMIN", "MEMBER", "SUPERVISOR");
    }

    // ---- item 2: artifacts never run script in the app's origin ----------------------------------------------

    @Test
    void uploadedHtmlAndSvgAreAttachmentsAndImagesStayInline() throws Exception {
        String exp = experiment("xss");
        String id = run(exp, "xss-run");
        String base = ARTIFACTS + exp + "/" + id + "/artifacts/";
        byte[] html = "<script>fetch('/admin/users',{method:'POST'})</script>".getBytes();
        byte[] svg = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".getBytes();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        as(member, put(base + "report.html").content(html)).andExpect(status().isOk());
        as(member, put(base + "plots/evil.svg").content(svg)).andExpect(status().isOk());
        as(member, put(base + "notes").content("no extension".getBytes())).andExpect(status().isOk());
        as(member, put(base + "gallery/tile_0.png").content(png)).andExpect(status().isOk());

        for (String file : List.of("report.html", "plots/evil.svg", "notes")) {
            // from the run page, in an admin's session
            mvc.perform(get("/runs/" + id + "/artifacts/" + file).with(adminSession()))
                    .andExpect(status().isOk())
                    .andExpect(header().string("Content-Disposition", Matchers.startsWith("attachment")))
                    .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                    .andExpect(header().string("Content-Security-Policy", Matchers.containsString("sandbox")))
                    .andExpect(
                            header().string("Content-Security-Policy", Matchers.containsString("default-src 'none'")))
                    .andExpect(header().string("Content-Type", Matchers.not(Matchers.containsString("html"))))
                    .andExpect(header().string("Content-Type", Matchers.not(Matchers.containsString("svg"))));
            // and from MLflow's download endpoint with an admin's token
            as(admin, get(base + file))
                    .andExpect(status().isOk())
                    .andExpect(header().string("Content-Disposition", Matchers.startsWith("attachment")))
                    .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                    .andExpect(header().string("Content-Security-Policy", Matchers.containsString("sandbox")));
        }
        mvc.perform(get("/runs/" + id + "/artifacts/gallery/tile_0.png").with(adminSession()))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.IMAGE_PNG))
                .andExpect(header().string("Content-Disposition", Matchers.startsWith("inline")))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("Content-Security-Policy", Matchers.containsString("sandbox")))
                .andExpect(content().bytes(png));
        // the gallery still shows the image, and only the image
        String page = mvc.perform(get("/runs/" + id).with(adminSession()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("/runs/" + id + "/artifacts/gallery/tile_0.png")
                .doesNotContain("<img src=\"/runs/" + id + "/artifacts/report.html");
        mvc.perform(get("/runs/" + id + "/artifacts/missing.png").with(adminSession()))
                .andExpect(status().isNotFound());
    }

    // ---- item 4: LIKE in linear time, bounded searches ----------------------------------------------------

    @Test
    void aHostileLikeFilterFinishesFastAndSearchesAreBounded() throws Exception {
        String exp = experiment("redos");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(run(exp, "r".repeat(200) + i));
        }
        String hostile = """
                {"experiment_ids": ["%s"], "filter": "attributes.run_id LIKE '%s!'"}"""
                .formatted(exp, "%".repeat(20));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> postJson(member, "/runs/search", hostile)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.runs.length()").value(0))
                .andReturn());
        String hostileName =
                """
                {"experiment_ids": ["%s"], "filter": "attributes.run_name ILIKE '%s'"}"""
                        .formatted(exp, "%R".repeat(150) + "x");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> postJson(member, "/runs/search", hostileName)
                .andExpect(status().isOk())
                .andReturn());
        // escapes, _ and ILIKE behave as in SQL
        assertThat(body(postJson(
                                member,
                                "/runs/search",
                                """
                {"experiment_ids": ["%s"], "filter": "attributes.run_name ILIKE 'RRR%%_'"}"""
                                        .formatted(exp)))
                        .get("runs"))
                .hasSize(5);
        assertThat(body(postJson(
                                member,
                                "/runs/search",
                                """
                {"experiment_ids": ["%s"], "filter": "attributes.run_id LIKE '%s'"}"""
                                        .formatted(exp, ids.get(2))))
                        .get("runs"))
                .hasSize(1);
        // the bounds: filter length and page size, each named
        postJson(
                        member,
                        "/runs/search",
                        """
                {"experiment_ids": ["%s"], "filter": "attributes.run_name LIKE '%s'"}"""
                                .formatted(exp, "a".repeat(500)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"))
                .andExpect(jsonPath("$.message", Matchers.containsString("stainbench.tracking.max-filter-length")));
        postJson(member, "/runs/search", "{\"experiment_ids\": [\"%s\"], \"max_results\": 50001}".formatted(exp))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("stainbench.tracking.max-search-results")));
        postJson(member, "/experiments/search", "{\"filter\": \"name LIKE '%s'\"}".formatted("%".repeat(30) + "!"))
                .andExpect(status().isOk());
    }

    // ---- item 7: who may read and write ----------------------------------------------------------------------

    @Test
    void readsNeedSupervisorWritesNeedMemberAndNodesGetNothingUnnamed() throws Exception {
        String exp = experiment("access");
        String id = run(exp, "access-run");
        as(member, put(ARTIFACTS + exp + "/" + id + "/artifacts/a.txt").content("x".getBytes()))
                .andExpect(status().isOk());

        List<java.util.function.Supplier<MockHttpServletRequestBuilder>> reads = List.of(
                () -> get(API + "/runs/get").param("run_id", id),
                () -> get(API + "/experiments/get").param("experiment_id", exp),
                () -> get(API + "/experiments/get-by-name").param("experiment_name", "access"),
                () -> get(API + "/metrics/get-history").param("run_id", id).param("metric_key", "loss"),
                () -> post(API + "/runs/search")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"experiment_ids\": [\"" + exp + "\"]}"),
                () -> post(API + "/experiments/search")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{}"),
                () -> get(ARTIFACTS + exp + "/" + id + "/artifacts/a.txt"),
                () -> get(ARTIFACTS.substring(0, ARTIFACTS.length() - 1)).param("path", exp + "/" + id + "/artifacts"));
        for (var read : reads) {
            // a pathologist holds no usable token at all: one issued before a demotion is refused at sign-in (401)
            as(pathologist, read.get()).andExpect(status().isUnauthorized());
            as(supervisor, read.get()).andExpect(status().isOk());
        }

        String metric =
                "{\"run_id\": \"%s\", \"key\": \"loss\", \"value\": 0.5, \"timestamp\": 1, \"step\": 0}".formatted(id);
        for (String[] write : List.of(
                new String[] {"/runs/log-metric", metric},
                new String[] {"/runs/set-tag", "{\"run_id\": \"%s\", \"key\": \"k\", \"value\": \"v\"}".formatted(id)},
                new String[] {"/runs/create", "{\"experiment_id\": \"%s\"}".formatted(exp)},
                new String[] {"/experiments/create", "{\"name\": \"by-supervisor\"}"})) {
            postJson(supervisor, write[0], write[1])
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.error_code").value("PERMISSION_DENIED"));
            postJson(pathologist, write[0], write[1]).andExpect(status().isUnauthorized());
        }
        as(supervisor, put(ARTIFACTS + exp + "/" + id + "/artifacts/b.txt").content("x".getBytes()))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.error_code").value("PERMISSION_DENIED"));
        postJson(member, "/runs/log-metric", metric).andExpect(status().isOk());
        postJson(member, "/runs/set-tag", "{\"run_id\": \"%s\", \"key\": \"k\", \"value\": \"v\"}".formatted(id))
                .andExpect(status().isOk());
        as(member, put(ARTIFACTS + exp + "/" + id + "/artifacts/b.txt").content("y".getBytes()))
                .andExpect(status().isOk());
        as(supervisor, get(API + "/metrics/get-history").param("run_id", id).param("metric_key", "loss"))
                .andExpect(jsonPath("$.metrics.length()").value(1));

        // a NODE token may only use a run its node holds: calls that name no run are refused
        for (String[] call : List.of(
                new String[] {"/experiments/create", "{\"name\": \"by-node\"}"},
                new String[] {"/runs/create", "{\"experiment_id\": \"%s\"}".formatted(exp)},
                new String[] {"/runs/search", "{\"experiment_ids\": [\"%s\"]}".formatted(exp)},
                new String[] {"/experiments/search", "{}"},
                new String[] {"/runs/delete", "{\"run_id\": \"%s\"}".formatted(id)},
                new String[] {
                    "/experiments/set-experiment-tag",
                    "{\"experiment_id\": \"%s\", \"key\": \"a\", \"value\": \"b\"}".formatted(exp)
                })) {
            postJson(node, call[0], call[1])
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.error_code").value("PERMISSION_DENIED"));
        }
        as(node, get(ARTIFACTS.substring(0, ARTIFACTS.length() - 1))).andExpect(status().isForbidden());
        assertThat(jdbc.sql("select count(*) from experiment where name in ('by-node', 'by-supervisor')")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("select lifecycle_stage from tracked_run where run_uuid = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("active");
    }

    // ---- item 13: over-long values are 400 naming the field, never 500 with SQL ------------------------------

    @Test
    void overLongValuesAre400NamingTheFieldAndLimit() throws Exception {
        String exp = experiment("lengths");
        String id = run(exp, "lengths-run");
        postJson(
                        member,
                        "/runs/log-parameter",
                        "{\"run_id\": \"%s\", \"key\": \"lr\", \"value\": \"%s\"}".formatted(id, "1".repeat(10_000)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"))
                .andExpect(jsonPath(
                        "$.message",
                        Matchers.allOf(Matchers.containsString("param 'lr'"), Matchers.containsString("6000"))));
        postJson(
                        member,
                        "/runs/log-batch",
                        "{\"run_id\": \"%s\", \"params\": [{\"key\": \"%s\", \"value\": \"1\"}]}"
                                .formatted(id, "k".repeat(300)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath(
                        "$.message",
                        Matchers.allOf(Matchers.containsString("param key"), Matchers.containsString("250"))));
        postJson(
                        member,
                        "/runs/create",
                        "{\"experiment_id\": \"%s\", \"run_name\": \"%s\"}".formatted(exp, "n".repeat(300)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath(
                        "$.message",
                        Matchers.allOf(Matchers.containsString("run_name"), Matchers.containsString("250"))));
        postJson(member, "/runs/update", "{\"run_id\": \"%s\", \"run_name\": \"%s\"}".formatted(id, "n".repeat(300)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("run_name")));
        postJson(
                        member,
                        "/runs/set-tag",
                        "{\"run_id\": \"%s\", \"key\": \"mlflow.runName\", \"value\": \"%s\"}"
                                .formatted(id, "n".repeat(300)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("mlflow.runName")));
        postJson(
                        member,
                        "/runs/set-tag",
                        "{\"run_id\": \"%s\", \"key\": \"note\", \"value\": \"%s\"}".formatted(id, "n".repeat(9000)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath(
                        "$.message",
                        Matchers.allOf(Matchers.containsString("tag 'note'"), Matchers.containsString("8000"))));
        postJson(member, "/experiments/create", "{\"name\": \"%s\"}".formatted("e".repeat(600)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath(
                        "$.message",
                        Matchers.allOf(Matchers.containsString("experiment name"), Matchers.containsString("500"))));
        postJson(
                        member,
                        "/experiments/set-experiment-tag",
                        "{\"experiment_id\": \"%s\", \"key\": \"a\", \"value\": \"%s\"}"
                                .formatted(exp, "v".repeat(6000)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath(
                        "$.message",
                        Matchers.allOf(Matchers.containsString("experiment tag"), Matchers.containsString("5000"))));
        as(
                        member,
                        put(ARTIFACTS + exp + "/" + id + "/artifacts/" + "f".repeat(300) + ".txt")
                                .content("x".getBytes()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("255")));
        // nothing of it was stored
        JsonNode run =
                body(as(member, get(API + "/runs/get").param("run_id", id))).get("run");
        assertThat(run.get("info").get("run_name").asString()).isEqualTo("lengths-run");
        assertThat(run.get("data").get("params")).isEmpty();
        assertThat(jdbc.sql("select count(*) from tracked_run where experiment_id = ?")
                        .param(Long.parseLong(exp))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void theTrainingFormsNameOverLongFields() throws Exception {
        var member = user("trk-member").roles("MEMBER", "SUPERVISOR");
        mvc.perform(
                        post("/training/cpu")
                                .with(member)
                                .with(org.springframework.security.test.web.servlet.request
                                        .SecurityMockMvcRequestPostProcessors.csrf())
                                .param("experiment", "e".repeat(600))
                                .param("runName", "r".repeat(300)))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(Matchers.containsString(
                                "The experiment name is 600 characters long; the limit is 500 characters.")))
                .andExpect(content()
                        .string(Matchers.containsString(
                                "The run name is 300 characters long; the limit is 250 characters.")));
        mvc.perform(
                        post("/training")
                                .with(member)
                                .with(org.springframework.security.test.web.servlet.request
                                        .SecurityMockMvcRequestPostProcessors.csrf())
                                .param("experiment", "e".repeat(600))
                                .param("baseModel", "b".repeat(7000)))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(Matchers.containsString(
                                "The base model is 7000 characters long; the limit is 6000 characters.")));
    }

    @Test
    void aDatabaseErrorIsAGeneric500WithoutSql() throws Exception {
        String exp = experiment("db-error");
        String id = run(exp, "db-error-run");
        jdbc.sql("alter table run_tag add constraint trk_no_boom check (tag_value <> 'boom')")
                .update();
        try {
            String answer = postJson(
                            member,
                            "/runs/set-tag",
                            "{\"run_id\": \"%s\", \"key\": \"k\", \"value\": \"boom\"}".formatted(id))
                    .andExpect(status().isInternalServerError())
                    .andExpect(jsonPath("$.error_code").value("INTERNAL_ERROR"))
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            assertThat(answer.toLowerCase())
                    .doesNotContain("sql", "insert", "update", "run_tag", "trk_no_boom", "constraint", "exception");
        } finally {
            jdbc.sql("alter table run_tag drop constraint trk_no_boom").update();
        }
    }

    // ---- item 15: artifact size limits --------------------------------------------------------------------

    @Test
    void artifactsOverTheirLimitsAre413AndLeaveNothingBehind() throws Exception {
        String exp = experiment("limits");
        String id = run(exp, "limits-run");
        String base = ARTIFACTS + exp + "/" + id + "/artifacts/";
        Path folder = artifactsRoot.resolve("mlflow").resolve(exp).resolve(id).resolve("artifacts");
        as(member, put(base + "big.bin").content(new byte[3000]))
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_LIMIT_EXCEEDED"))
                .andExpect(jsonPath("$.message", Matchers.containsString("stainbench.tracking.max-artifact-bytes")));
        assertThat(filesIn(folder)).isEmpty();
        // per run: 2 + 2 KB fit, 2 KB more do not; replacing a file counts its new size only
        as(member, put(base + "one.bin").content(new byte[2048])).andExpect(status().isOk());
        as(member, put(base + "two.bin").content(new byte[2048])).andExpect(status().isOk());
        as(member, put(base + "three.bin").content(new byte[2048]))
                .andExpect(status().isContentTooLarge())
                .andExpect(
                        jsonPath("$.message", Matchers.containsString("stainbench.tracking.max-run-artifact-bytes")));
        as(member, put(base + "two.bin").content(new byte[2000])).andExpect(status().isOk());
        assertThat(filesIn(folder)).containsExactlyInAnyOrder("one.bin", "two.bin");
    }

    private static List<String> filesIn(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
    }
}
