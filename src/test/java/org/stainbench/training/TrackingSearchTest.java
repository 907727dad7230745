package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
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
 * Issue 19 items 3 and 4 on H2, through the MLflow API and the run page's chart endpoint: search in SQL over the
 * latest-metric table (never the history), MLflow's aliases and {@code IN}, keys with {@code ..}, paging that always
 * ends, experiment search with several name clauses, order and paging, paged metric history, and chart data reduced
 * per pixel (exact when zoomed, only new points while live).
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class TrackingSearchTest {

    private static final String API = "/api/2.0/mlflow";

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    final JsonMapper json = JsonMapper.builder().build();
    static String token;

    @BeforeEach
    void tokens() {
        if (token == null) {
            accounts.register("tsa", "Tess", Role.MEMBER, "Harbor-Violet-6613");
            accounts.register("tss", "Sam", Role.SUPERVISOR, "Granite-Marsh-9021");
            accounts.register("tsp", "Pia", Role.PATHOLOGIST, "Lantern-Copper-3390");
            token = accounts.newToken("tsa-laptop", "tsa", TokenScope.API);
        }
    }

    private ResultActions call(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header("Authorization", "Bearer " + token));
    }

    private JsonNode post(String path, String body) throws Exception {
        return json.readTree(call(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(API + path)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString());
    }

    private ResultActions postRaw(String path, String body) throws Exception {
        return call(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(API + path)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body));
    }

    private String experiment(String name) throws Exception {
        return post("/experiments/create", "{\"name\": \"" + name + "\"}")
                .get("experiment_id")
                .asString();
    }

    private String run(String exp, String name, long start) throws Exception {
        return post(
                        "/runs/create",
                        """
                {"experiment_id": "%s", "run_name": "%s", "start_time": %d}"""
                                .formatted(exp, name, start))
                .get("run")
                .get("info")
                .get("run_id")
                .asString();
    }

    private void metric(String run, String key, double value, long step) throws Exception {
        post(
                "/runs/log-metric",
                """
                {"run_id": "%s", "key": "%s", "value": %s, "timestamp": %d, "step": %d}"""
                        .formatted(run, key, value, 1000 + step, step));
    }

    private List<String> names(String exp, String filter, String... orderBy) throws Exception {
        String order = String.join(
                ",", java.util.Arrays.stream(orderBy).map(o -> "\"" + o + "\"").toList());
        JsonNode r = post(
                "/runs/search",
                """
                {"experiment_ids": ["%s"], "filter": %s, "order_by": [%s]}"""
                        .formatted(exp, json.writeValueAsString(filter), order));
        List<String> out = new ArrayList<>();
        r.path("runs").forEach(x -> out.add(x.get("info").get("run_name").asString()));
        return out;
    }

    @Test
    void searchReadsTheLatestMetricTableAndKnowsMlflowsAliases() throws Exception {
        String exp = experiment("ts-search");
        String a = run(exp, "alpha", 1_000);
        String b = run(exp, "beta", 2_000);
        String c = run(exp, "gamma", 3_000);
        // out of order: the latest is the largest step, whatever came last (log-metric and log-batch alike)
        metric(a, "loss", 0.2, 10);
        metric(a, "loss", 0.9, 3);
        post(
                "/runs/log-batch",
                """
                {"run_id": "%s", "metrics": [{"key": "loss", "value": 0.1, "timestamp": 5, "step": 20},
                  {"key": "loss", "value": 0.7, "timestamp": 6, "step": 2}, {"key": "loss..v2", "value": 4, "timestamp": 6,
                  "step": 2}], "params": [{"key": "lr", "value": "1e-4"}]}"""
                        .formatted(b));
        metric(c, "loss", 0.5, 1);
        assertThat(names(exp, "metrics.loss < 0.3")).containsExactly("beta", "alpha");
        assertThat(names(exp, "", "metrics.loss ASC")).containsExactly("beta", "alpha", "gamma");
        // the history is not read: remove it and search, ordering and runs/get still see the latest values
        jdbc.sql("delete from run_metric where run_id in (select id from tracked_run where experiment_id = ?)")
                .param(Long.parseLong(exp))
                .update();
        assertThat(names(exp, "metrics.loss <= 0.2", "metrics.loss DESC")).containsExactly("alpha", "beta");
        assertThat(json.readTree(call(get(API + "/runs/get").param("run_id", a))
                                .andReturn()
                                .getResponse()
                                .getContentAsString())
                        .at("/run/data/metrics/0/value")
                        .asDouble())
                .isEqualTo(0.2);
        // keys with '..' (MLflow allows them; only '..' path segments are refused)
        assertThat(names(exp, "metrics.`loss..v2` = 4")).containsExactly("beta");
        assertThat(names(exp, "metrics.loss..v2 > 3")).containsExactly("beta");
        postRaw(
                        "/runs/log-metric",
                        "{\"run_id\": \"%s\", \"key\": \"a/../b\", \"value\": 1, \"timestamp\": 1}".formatted(a))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        // run_id IN (…) and NOT IN, the created and Run name aliases
        assertThat(names(exp, "attributes.run_id IN ('%s', '%s')".formatted(a, c)))
                .containsExactly("gamma", "alpha");
        assertThat(names(exp, "attributes.run_id NOT IN ('%s')".formatted(a))).containsExactly("gamma", "beta");
        assertThat(names(exp, "attributes.created > 1500", "created ASC")).containsExactly("beta", "gamma");
        assertThat(names(exp, "Created >= 3000")).containsExactly("gamma");
        assertThat(names(exp, "attributes.`Run name` = 'beta'")).containsExactly("beta");
        assertThat(names(exp, "\"Run name\" LIKE '%a'", "attributes.`Run name` DESC"))
                .containsExactly("gamma", "beta", "alpha");
        assertThat(names(exp, "params.lr = '1e-4' and run_name ILIKE 'B%'")).containsExactly("beta");
        assertThat(names(exp, "attributes.run_name LIKE '_l%h_'")).containsExactly("alpha");
        // more than 4 wildcards: matched in Java (LikePattern, within the work budget), paged in SQL all the same
        assertThat(names(exp, "run_name LIKE '%a%%l%p%h%a%' and run_name != 'x'"))
                .containsExactly("alpha");
        assertThat(names(exp, "run_name ILIKE '%%A%%%%%%_%%%%%A%%%%' and run_name LIKE '%_%_%_%_%_%'", "run_name ASC"))
                .containsExactly("alpha", "gamma");
        postRaw("/runs/search", "{\"experiment_ids\": [\"%s\"], \"filter\": \"metrics.loss IN ('1')\"}".formatted(exp))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
    }

    @Test
    void pagesAlwaysEndAndMaxResultsZeroGivesNoToken() throws Exception {
        String exp = experiment("ts-pages");
        for (int i = 0; i < 7; i++) {
            run(exp, "p" + i, 10_000 + i);
        }
        JsonNode zero = post("/runs/search", "{\"experiment_ids\": [\"%s\"], \"max_results\": 0}".formatted(exp));
        assertThat(zero.get("runs")).isEmpty();
        assertThat(zero.has("next_page_token")).isFalse();
        List<String> seen = new ArrayList<>();
        String tokenText = null;
        for (int page = 0; page < 10; page++) {
            JsonNode r = post(
                    "/runs/search",
                    "{\"experiment_ids\": [\"%s\"], \"max_results\": 3%s}"
                            .formatted(exp, tokenText == null ? "" : ", \"page_token\": \"" + tokenText + "\""));
            r.get("runs").forEach(x -> seen.add(x.get("info").get("run_name").asString()));
            tokenText = r.has("next_page_token") ? r.get("next_page_token").asString() : null;
            if (tokenText == null) {
                break;
            }
        }
        assertThat(seen).containsExactly("p6", "p5", "p4", "p3", "p2", "p1", "p0");
        postRaw("/runs/search", "{\"experiment_ids\": [\"%s\"], \"page_token\": \"bm90LWEtbnVtYmVy\"}".formatted(exp))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("page_token")));
    }

    @Test
    void experimentSearchTakesSeveralNameClausesOrderAndPagesNewestFirst() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String n : List.of("tsx-apple", "tsx-banana", "tsx-cherry", "tsx-avocado")) {
            ids.add(experiment(n));
        }
        for (int i = 0; i < ids.size(); i++) {
            jdbc.sql("update experiment set creation_time = ? where id = ?")
                    .params(5_000_000L + i, Long.parseLong(ids.get(i)))
                    .update();
        }
        JsonNode two = post(
                "/experiments/search",
                "{\"filter\": \"name LIKE 'tsx-%' AND name != 'tsx-banana' AND " + "attributes.name ILIKE '%A%'\"}");
        List<String> names = new ArrayList<>();
        two.get("experiments").forEach(e -> names.add(e.get("name").asString()));
        assertThat(names).as("newest first").containsExactly("tsx-avocado", "tsx-apple");
        names.clear();
        String tokenText = null;
        do {
            JsonNode r = post(
                    "/experiments/search",
                    "{\"filter\": \"name LIKE 'tsx-%'\", \"order_by\": [\"name DESC\"]," + " \"max_results\": 3"
                            + (tokenText == null ? "" : ", \"page_token\": \"" + tokenText + "\"") + "}");
            r.get("experiments").forEach(e -> names.add(e.get("name").asString()));
            tokenText = r.has("next_page_token") ? r.get("next_page_token").asString() : null;
        } while (tokenText != null);
        assertThat(names).containsExactly("tsx-cherry", "tsx-banana", "tsx-avocado", "tsx-apple");
        JsonNode zero = post("/experiments/search", "{\"max_results\": 0}");
        assertThat(zero.get("experiments")).isEmpty();
        assertThat(zero.has("next_page_token")).isFalse();
        postRaw("/experiments/search", "{\"order_by\": [\"metrics.loss\"]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("order_by")));
    }

    @Test
    void metricHistoryPagesAsGetMetricHistory() throws Exception {
        String exp = experiment("ts-history");
        String r = run(exp, "h", 1);
        for (int chunk = 0; chunk < 3; chunk++) {
            StringBuilder ms = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                int step = chunk * 1000 + i;
                ms.append(i == 0 ? "" : ",")
                        .append("{\"key\": \"loss\", \"value\": %d, \"timestamp\": %d, \"step\": %d}"
                                .formatted(step, step, step));
            }
            post("/runs/log-batch", "{\"run_id\": \"%s\", \"metrics\": [%s]}".formatted(r, ms));
        }
        List<Long> steps = new ArrayList<>();
        String tokenText = null;
        int pages = 0;
        do {
            var request = get(API + "/metrics/get-history")
                    .param("run_id", r)
                    .param("metric_key", "loss")
                    .param("max_results", "1200");
            if (tokenText != null) {
                request.param("page_token", tokenText);
            }
            JsonNode page = json.readTree(call(request)
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getContentAsString());
            page.get("metrics").forEach(m -> steps.add(m.get("step").asLong()));
            tokenText =
                    page.has("next_page_token") ? page.get("next_page_token").asString() : null;
            pages++;
        } while (tokenText != null);
        assertThat(pages).isEqualTo(3);
        assertThat(steps).hasSize(3000).isSorted().doesNotHaveDuplicates();
        call(get(API + "/metrics/get-history")
                        .param("run_id", r)
                        .param("metric_key", "loss")
                        .param("max_results", "-1"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", Matchers.containsString("max_results")));
    }

    @Test
    void chartDataIsReducedPerPixelExactWhenZoomedAndOnlyNewWhileLive() throws Exception {
        String exp = experiment("ts-chart");
        String r = run(exp, "c", 1);
        for (int chunk = 0; chunk < 20; chunk++) {
            StringBuilder ms = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                int step = chunk * 1000 + i;
                double v = step == 12_345 ? 50 : Math.sin(step / 300.0);
                ms.append(i == 0 ? "" : ",")
                        .append("{\"key\": \"loss\", \"value\": %s, \"timestamp\": %d, \"step\": %d}"
                                .formatted(v, step, step));
            }
            post("/runs/log-batch", "{\"run_id\": \"%s\", \"metrics\": [%s]}".formatted(r, ms));
        }
        var sue = org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user("tss")
                .roles("SUPERVISOR");
        String whole = mvc.perform(get("/runs/" + r + "/metrics.json").with(sue).param("width", "100"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        JsonNode loss = json.readTree(whole).get("loss");
        assertThat(loss.get("steps").size()).isBetween(100, 200);
        assertThat(loss.get("total").asLong()).isEqualTo(20_000);
        assertThat(loss.get("exact").asBoolean()).isFalse();
        List<Long> kept = new ArrayList<>();
        loss.get("steps").forEach(s -> kept.add(s.asLong()));
        assertThat(kept).contains(12_345L).isSorted();
        // zoomed into 150 steps: every point, exact
        JsonNode zoomed = json.readTree(mvc.perform(get("/runs/" + r + "/metrics.json")
                                .with(sue)
                                .param("width", "100")
                                .param("from", "1000")
                                .param("to", "1149"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .get("loss");
        assertThat(zoomed.get("steps").size()).isEqualTo(150);
        assertThat(zoomed.get("exact").asBoolean()).isTrue();
        assertThat(zoomed.get("steps").get(0).asLong()).isEqualTo(1000);
        // live: only the points past the last step received
        JsonNode tail = json.readTree(mvc.perform(
                                get("/runs/" + r + "/metrics.json").with(sue).param("after", "19990"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .get("loss");
        assertThat(tail.get("steps").size()).isEqualTo(9);
        assertThat(tail.get("steps").get(0).asLong()).isEqualTo(19_991);
        // the default width keeps the answer small; bad widths are refused; a pathologist may not read it
        assertThat(mvc.perform(get("/runs/" + r + "/metrics.json").with(sue))
                        .andReturn()
                        .getResponse()
                        .getContentAsString()
                        .length())
                .isLessThan(60_000);
        mvc.perform(get("/runs/" + r + "/metrics.json").with(sue).param("width", "5000"))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/runs/" + r + "/metrics.json")
                        .with(sue)
                        .param("from", "9")
                        .param("to", "1"))
                .andExpect(status().isBadRequest());
        mvc.perform(
                        get("/runs/" + r + "/metrics.json")
                                .with(org.springframework.security.test.web.servlet.request
                                        .SecurityMockMvcRequestPostProcessors.user("tsp")
                                        .roles("PATHOLOGIST")))
                .andExpect(status().isForbidden());
        // the compare view's curves come reduced too
        JsonNode curves = json.readTree(mvc.perform(get("/runs/compare/curves.json")
                        .with(sue)
                        .param("run", r)
                        .param("width", "50"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString());
        assertThat(curves.get("loss").get(0).get("points").size()).isBetween(50, 100);
    }
}
