package org.stainbench.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.UserRequestPostProcessor;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.accounts.TokenScope;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.tiles.SyntheticTiles;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one search box over every kind: each found by name (case-insensitive), a patient id finds its archive and the
 * dataset holding it, tags find checkpoints and runs, LIKE wildcards in the query match literally, bound parameters
 * (a quote changes nothing), the htmx fragment and its full-page twin, messages for an empty query and no hits, and
 * pathologists are refused. The strings searched for ("qz…") occur in no other test's data.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Evaluations evaluations;

    @Autowired
    Accounts accounts;

    long dataset;
    Archive archive;
    Checkpoint underscore;
    Checkpoint lookalike;
    Checkpoint percent;
    Checkpoint tagged;
    String runUuid;
    Evaluation imported;

    static UserRequestPostProcessor supervisor() {
        return user("srch-sup").roles("SUPERVISOR");
    }

    static Checkpoints.NewCheckpoint checkpoint(String name, String notes, String tags) {
        return new Checkpoints.NewCheckpoint(name, null, "none", null, null, null, null, null, null, notes, tags);
    }

    @BeforeAll
    void data(@TempDir Path tmp) throws Exception {
        dataset = catalog.createDataset(
                "QzSearch CK7 set", Stain.IHC, "CK7", "qz-cohort", 64, "tiles of qzdescribed slides", "test");
        Path f = GeneratedFixtures.archive(tmp, "ihc_7731234_2.npz", SyntheticTiles.Stain.CK7, 3, 64, 5);
        try (InputStream in = Files.newInputStream(f)) {
            archive = catalog.registerUpload(dataset, "ihc_7731234_2.npz", in, "test");
        }
        GeneratedFixtures.await(
                "ingest", () -> catalog.archive(archive.id()).orElseThrow().status() == ArchiveStatus.READY);
        underscore = checkpoints.register(checkpoint("qz_under", null, null), null, null, null, "test");
        lookalike = checkpoints.register(checkpoint("qzXunder", null, null), null, null, null, "test");
        percent = checkpoints.register(checkpoint("100%qz", null, null), null, null, null, "test");
        tagged = checkpoints.register(
                checkpoint("plain name", "qznote in the notes", "qz-tagged, best"), null, null, null, "test");

        // a tracked run through the MLflow-compatible API, with a tag and a parameter
        accounts.createAccount("srch-mem", Role.MEMBER, "member-password-1");
        String token = accounts.newToken("srch", "srch-mem", TokenScope.API);
        JsonMapper json = JsonMapper.builder().build();
        String exp = json.readTree(mlflow(token, "/experiments/create", "{\"name\": \"qz-experiment\"}"))
                .get("experiment_id")
                .asString();
        runUuid = json.readTree(
                        mlflow(
                                token,
                                "/runs/create",
                                "{\"experiment_id\": \"" + exp + "\", \"run_name\": \"qzrun-lora\", "
                                        + "\"start_time\": 1700000000000, \"tags\": [{\"key\": \"cohort\", \"value\": \"qz-runtag\"}]}"))
                .get("run")
                .get("info")
                .get("run_id")
                .asString();
        mlflow(
                token,
                "/runs/log-parameter",
                "{\"run_id\": \"" + runUuid + "\", \"key\": \"lr\", \"value\": \"qz-param-1e-4\"}");

        Path sheet = Path.of("..", "shared", "data", "lab", "quantitative_results.xlsx");
        try (InputStream in = Files.newInputStream(sheet)) {
            imported = evaluations.importSheet("qz lab sheet.xlsx", in, "test");
        }
    }

    String mlflow(String token, String path, String body) throws Exception {
        return mvc.perform(post("/api/2.0/mlflow" + path)
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    String search(String q, boolean htmx) throws Exception {
        var request = get("/search").param("q", q).with(supervisor());
        if (htmx) {
            request.header("HX-Request", "true");
        }
        return mvc.perform(request)
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    /** The hits' links of one kind, in order. */
    static List<String> hrefs(String html, String kind) {
        Matcher group = Pattern.compile("data-kind=\"" + kind + "\">(.*?)</div>", Pattern.DOTALL)
                .matcher(html);
        if (!group.find()) {
            return List.of();
        }
        return Pattern.compile("<a href=\"([^\"]+)\"")
                .matcher(group.group(1))
                .results()
                .map(m -> m.group(1))
                .toList();
    }

    @Test
    void eachKindIsFoundByNameWhateverTheCase() throws Exception {
        String html = search("QZ", false);
        assertThat(hrefs(html, "datasets")).contains("/datasets/" + dataset);
        assertThat(hrefs(html, "checkpoints"))
                .contains("/checkpoints/" + underscore.id(), "/checkpoints/" + tagged.id());
        assertThat(hrefs(html, "runs")).contains("/runs/" + runUuid);
        assertThat(hrefs(html, "evaluations")).contains("/evaluations/" + imported.id());
        assertThat(search("qzsearch ck7", false)).contains("QzSearch CK7 set");
        assertThat(hrefs(search("qz-experiment", false), "runs")).containsExactly("/runs/" + runUuid);
        assertThat(hrefs(search("qzdescribed", false), "datasets")).containsExactly("/datasets/" + dataset);
        assertThat(hrefs(search("7731234_2.NPZ", false), "archives"))
                .containsExactly("/datasets/" + dataset + "/tiles?archive=" + archive.id());
    }

    @Test
    void aPatientIdFindsItsArchivesAndTheDatasetsHoldingThem() throws Exception {
        assertThat(catalog.archive(archive.id()).orElseThrow().patient()).isEqualTo("7731234");
        String html = search("7731234", false);
        assertThat(hrefs(html, "archives")).containsExactly("/datasets/" + dataset + "/tiles?archive=" + archive.id());
        assertThat(html).contains("patient 7731234");
        assertThat(hrefs(html, "datasets")).containsExactly("/datasets/" + dataset);
        assertThat(html).contains("holds a patient matching");
    }

    @Test
    void deletedDatasetsArchivesAndCheckpointsAreNotFoundUntilRestored(@TempDir Path tmp) throws Exception {
        long gone = catalog.createDataset("QzGone set", Stain.IHC, "CK7", null, 64, null, "test");
        Path f = GeneratedFixtures.archive(tmp, "ihc_8842_1.npz", SyntheticTiles.Stain.CK7, 2, 64, 6);
        Archive a;
        try (InputStream in = Files.newInputStream(f)) {
            a = catalog.registerUpload(gone, "ihc_8842_1.npz", in, "test");
        }
        GeneratedFixtures.await(
                "ingest", () -> catalog.archive(a.id()).orElseThrow().status() == ArchiveStatus.READY);
        Checkpoint c = checkpoints.register(checkpoint("qzgone-checkpoint", null, null), null, null, null, "test");
        assertThat(hrefs(search("qzgone", false), "datasets")).containsExactly("/datasets/" + gone);
        assertThat(hrefs(search("8842", false), "archives")).hasSize(1);
        assertThat(hrefs(search("qzgone", false), "checkpoints")).containsExactly("/checkpoints/" + c.id());

        catalog.deleteDataset(gone, "test");
        checkpoints.delete(c.id(), "test");
        String html = search("qzgone", false);
        assertThat(hrefs(html, "datasets")).isEmpty();
        assertThat(hrefs(html, "checkpoints")).isEmpty();
        assertThat(hrefs(search("8842", false), "archives")).isEmpty();

        catalog.restoreDataset(gone, "test");
        assertThat(hrefs(search("8842", false), "archives")).hasSize(1);
    }

    @Test
    void tagsNotesAndParametersAreSearched() throws Exception {
        assertThat(hrefs(search("qz-tagged", false), "checkpoints")).containsExactly("/checkpoints/" + tagged.id());
        assertThat(hrefs(search("qznote", false), "checkpoints")).containsExactly("/checkpoints/" + tagged.id());
        assertThat(hrefs(search("qz-runtag", false), "runs")).containsExactly("/runs/" + runUuid);
        assertThat(hrefs(search("qz-param-1e-4", false), "runs")).containsExactly("/runs/" + runUuid);
    }

    @Test
    void likeWildcardsInTheQueryMatchLiterally() throws Exception {
        // unescaped, '_' would match the X of qzXunder and '%' anything
        assertThat(hrefs(search("qz_under", false), "checkpoints")).containsExactly("/checkpoints/" + underscore.id());
        assertThat(hrefs(search("qzxunder", false), "checkpoints")).containsExactly("/checkpoints/" + lookalike.id());
        assertThat(hrefs(search("100%qz", false), "checkpoints")).containsExactly("/checkpoints/" + percent.id());
        assertThat(hrefs(search("0%q", false), "checkpoints")).containsExactly("/checkpoints/" + percent.id());
        assertThat(search("q!z", false)).contains("Nothing matches");
        // a quote is a bound parameter, not SQL
        assertThat(search("qz' or '1'='1", false)).contains("Nothing matches");
    }

    @Test
    void htmxGetsTheHitsAloneTheFullPageHasTheLayout() throws Exception {
        String fragment = search("qz_under", true);
        assertThat(fragment)
                .contains("id=\"search-live-results\"")
                .contains("/checkpoints/" + underscore.id())
                .doesNotContain("<html")
                .doesNotContain("id=\"nav\"");
        String page = search("qz_under", false);
        assertThat(page)
                .contains("<html")
                .contains("id=\"nav\"")
                .contains("id=\"search-results\"")
                .contains("/checkpoints/" + underscore.id())
                .contains("id=\"search-input\"");
    }

    @Test
    void anEmptyQueryAndNoHitsExplainThemselves() throws Exception {
        assertThat(search("   ", false)).contains("Type part of a name, a tag or a patient id");
        assertThat(search("", true)).contains("Type part of a name, a tag or a patient id");
        assertThat(mvc.perform(get("/search").with(supervisor()))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .contains("Type part of a name");
        assertThat(search("qz-nothing-like-this", false)).contains("Nothing matches &#39;qz-nothing-like-this&#39;");
    }

    @Test
    void pathologistsCannotSearch() throws Exception {
        mvc.perform(get("/search").param("q", "qz").with(user("srch-path").roles("PATHOLOGIST")))
                .andExpect(status().isForbidden());
    }
}
