package org.stainbench.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.accounts.TokenScope;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;

/**
 * Issue 15 item 17 end to end: names with control or bidi characters are refused with a message naming the field, in
 * the web forms and through the MLflow API (experiments and runs), and nothing is created.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class NamesEverywhereTest {

    static final String API = "/api/2.0/mlflow";
    static String token;

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void token() {
        if (token == null) {
            accounts.register("nm-ann", "Ann", Role.MEMBER, "Tulip-Quarry-4471");
            token = accounts.newToken("nm-ann-laptop", "nm-ann", TokenScope.API);
        }
    }

    long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    @Test
    void theWebFormsRefuseControlAndBidiCharactersInNames() throws Exception {
        long datasets = count("select count(*) from dataset");
        mvc.perform(post("/datasets")
                        .with(user("nm-ann").roles("MEMBER", "SUPERVISOR"))
                        .with(csrf())
                        .param("name", "scans\u202Egpj.exe")
                        .param("stain", "HE")
                        .param("tileSize", "256"))
                .andExpect(content().string(containsString("The dataset name contains")))
                .andExpect(content().string(containsString("U+202E")));
        assertThat(count("select count(*) from dataset")).isEqualTo(datasets);
        assertThatThrownBy(() -> catalog.createDataset("bell\u0007", Stain.HE, null, null, 256, null, "nm-ann"))
                .hasMessageContaining("control character");

        long reports = count("select count(*) from report");
        mvc.perform(post("/reports")
                        .with(user("nm-ann").roles("MEMBER", "SUPERVISOR"))
                        .with(csrf())
                        .param("title", "Quarterly \u2066report\u2069"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", containsString("The report title contains")));
        assertThat(count("select count(*) from report")).isEqualTo(reports);

        assertThatThrownBy(() -> accounts.newToken("laptop\u202E", "nm-ann", TokenScope.API))
                .hasMessageContaining("The token name contains");
    }

    @Test
    void theMlflowApiRefusesThemForExperimentsAndRuns() throws Exception {
        long experiments = count("select count(*) from experiment");
        mvc.perform(post(API + "/experiments/create")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"nm-exp\\u202Ecod\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"))
                .andExpect(jsonPath("$.message", containsString("The experiment name contains")));
        assertThat(count("select count(*) from experiment")).isEqualTo(experiments);

        String created = mvc.perform(post(API + "/experiments/create")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"nm-exp Färbung λ\"}"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String exp = created.replaceAll("(?s).*\"experiment_id\"\\s*:\\s*\"?(\\d+)\"?.*", "$1");

        long runs = count("select count(*) from tracked_run");
        for (String body : new String[] {
            "{\"experiment_id\": \"" + exp + "\", \"run_name\": \"r\\u0000n\"}",
            "{\"experiment_id\": \"" + exp + "\", \"tags\": [{\"key\": \"mlflow.runName\", \"value\": \"x\\u200Fy\"}]}"
        }) {
            mvc.perform(post(API + "/runs/create")
                            .header("Authorization", "Bearer " + token)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(body))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"))
                    .andExpect(jsonPath("$.message", containsString("The run name contains")));
        }
        assertThat(count("select count(*) from tracked_run")).isEqualTo(runs);

        String run = mvc.perform(post(API + "/runs/create")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"experiment_id\": \"" + exp + "\", \"run_name\": \"ok run\"}"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String uuid = run.replaceAll("(?s).*\"run_id\"\\s*:\\s*\"([0-9a-f]+)\".*", "$1");
        mvc.perform(post(API + "/runs/update")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"run_id\": \"" + uuid + "\", \"run_name\": \"evil\\u202Eexe\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", containsString("U+202E")));
        mvc.perform(post(API + "/runs/set-tag")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"run_id\": \"" + uuid + "\", \"key\": \"mlflow.runName\", \"value\": \"a\\nb\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message", containsString("control character")));
        assertThat(jdbc.sql("select run_name from tracked_run where run_uuid = ?")
                        .param(uuid)
                        .query(String.class)
                        .single())
                .isEqualTo("ok run");
    }
}
