package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.UserRequestPostProcessor;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Extractors;
import org.stainbench.evaluation.Protocol;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.shell.InventoryCount;
import org.stainbench.tiles.SyntheticTiles;

/**
 * Issue 16, deliverable 1: a generated set is a different kind of data from real tiles. The catalog records the kind
 * (with checkpoint and source); every place that needs real tiles refuses a generated set on the server, with the
 * catalog's message and nothing queued; pickers do not offer one; the Datasets page and the home counts list generated
 * sets apart; an evaluation made (before the rule) against a generated set is marked and left out of the dashboard.
 * The generated set here is a real one: a stain-remap baseline applied to an H&E dataset by its job.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealAndGeneratedTest {

    static final String MARKER = "RG16";

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Evaluations evaluations;

    @Autowired
    Extractors extractors;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    List<InventoryCount> counts;

    @Autowired
    Accounts accounts;

    long real;
    long he;
    Checkpoint remap;
    GeneratedSet set;
    long generated;
    long extractor;

    static UserRequestPostProcessor member() {
        return user("rg-mem").roles("MEMBER", "SUPERVISOR");
    }

    static UserRequestPostProcessor supervisor() {
        return user("rg-sup").roles("SUPERVISOR");
    }

    @BeforeAll
    void data(@TempDir Path tmp) throws Exception {
        real = catalog.createDataset("RG real " + MARKER, Stain.IHC, MARKER, "test", 64, null, "test");
        for (int i = 0; i < 2; i++) {
            String name = "ihc_16" + i + "_1.npz";
            Path f = GeneratedFixtures.archive(tmp.resolve("real"), name, SyntheticTiles.Stain.CK7, 8, 64, 1600 + i);
            try (InputStream in = Files.newInputStream(f)) {
                catalog.registerUpload(real, name, in, "test");
            }
        }
        he = GeneratedFixtures.dataset(
                catalog,
                "RG H&E",
                Stain.HE,
                tmp.resolve("he"),
                List.of("he_161_1.npz", "he_162_1.npz", "he_163_1.npz"),
                6,
                64,
                1610);
        GeneratedFixtures.await(
                "real ingest", () -> catalog.archives(real).stream().allMatch(a -> a.status() == ArchiveStatus.READY));
        remap = checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "rg remap", null, 1.0, 1.3, null, "test");
        checkpoints.applyBaseline(remap.id(), he, "test");
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, remap.id());
        set = checkpoints.sets(remap.id()).get(0);
        generated = set.datasetId();
        Path model = tmp.resolve("random8.onnx");
        try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
            Files.copy(in, model);
        }
        try (InputStream in = Files.newInputStream(model)) {
            extractor = extractors
                    .register(
                            new Extractors.NewExtractor(
                                    "rg random8",
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
    }

    long rows(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    String page(String url) throws Exception {
        return mvc.perform(get(url).with(member()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    /** The options of the {@code <select name="...">} on a page. */
    static String select(String html, String name) {
        Matcher m = Pattern.compile("<select[^>]*name=\"" + name + "\"[^>]*>(.*?)</select>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).as("a select named " + name).isTrue();
        return m.group(1);
    }

    static String option(long id) {
        return "value=\"" + id + "\"";
    }

    String refusal() {
        return "'" + catalog.dataset(generated).orElseThrow().name()
                + "' is a generated set from 'RG H&E', not real tiles";
    }

    @Test
    void theCatalogKnowsTheKindWithCheckpointAndSource() throws Exception {
        Dataset g = catalog.dataset(generated).orElseThrow();
        assertThat(g.kind()).isEqualTo(DatasetKind.GENERATED);
        assertThat(g.generatedCheckpointId()).isEqualTo(remap.id());
        assertThat(g.generatedSourceDatasetId()).isEqualTo(he);
        assertThat(catalog.dataset(real).orElseThrow().kind()).isEqualTo(DatasetKind.REAL);
        assertThat(catalog.realDatasets())
                .extracting(Dataset::id)
                .contains(real, he)
                .doesNotContain(generated);
        assertThat(catalog.generatedDatasets())
                .extracting(Dataset::id)
                .contains(generated)
                .doesNotContain(real, he);
        assertThatThrownBy(() -> catalog.requireReal(generated, "the real IHC target"))
                .isInstanceOf(NotRealData.class)
                .hasMessage(refusal() + ": the real IHC target must be a dataset of real tiles.");
        assertThat(catalog.requireReal(real, "the real IHC target").id()).isEqualTo(real);
        // the JSON API exports the kind
        accounts.createAccount("rg-reader", Role.SUPERVISOR, "Tulip-Quarry-4471");
        String token = accounts.issueApiToken("rg-script", "rg-reader");
        mvc.perform(get("/api/datasets").header("Authorization", "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath(
                                "$[?(@.id == " + generated + ")].kind")
                        .value(Matchers.contains("GENERATED")))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath(
                                "$[?(@.id == " + generated + ")].generatedCheckpointId")
                        .value(Matchers.contains((int) remap.id())))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath(
                                "$[?(@.id == " + real + ")].kind")
                        .value(Matchers.contains("REAL")));
    }

    @Test
    void theMigrationsBackfillMarksDatasetsThatGeneratedSetsPointAtAsGenerated() throws Exception {
        // as a database from before V45 had it: every dataset REAL, no checkpoint or source recorded
        jdbc.sql(
                        "update dataset set kind = 'REAL', generated_checkpoint_id = null, generated_source_dataset_id = null where id = ?")
                .param(generated)
                .update();
        String sql = Files.readString(Path.of("migrations/V45__dataset_kind.sql"));
        Matcher m = Pattern.compile("update dataset set kind = 'GENERATED'.*?;", Pattern.DOTALL)
                .matcher(sql);
        assertThat(m.find()).isTrue();
        jdbc.sql(m.group().substring(0, m.group().length() - 1)).update();
        Dataset g = catalog.dataset(generated).orElseThrow();
        assertThat(g.kind()).isEqualTo(DatasetKind.GENERATED);
        assertThat(g.generatedCheckpointId()).isEqualTo(remap.id());
        assertThat(g.generatedSourceDatasetId()).isEqualTo(he);
        assertThat(catalog.dataset(real).orElseThrow().kind()).isEqualTo(DatasetKind.REAL);
    }

    @Test
    void aGeneratedSetAsTheRealTargetIsRefusedByFormServiceAndEpochPathWithNothingQueued() throws Exception {
        long jobs = rows("job");
        long evals = rows("evaluation");
        long subjects = rows("evaluation_subject");
        MvcResult r = mvc.perform(post("/evaluations")
                        .with(member())
                        .with(csrf())
                        .param("name", "rg against generated")
                        .param("realDataset", Long.toString(generated))
                        .param("sets", Long.toString(set.id()))
                        .param("extractor", Long.toString(extractor))
                        .param("tilesPerSide", "12")
                        .param("archives", "2")
                        .param("cropSize", "32")
                        .param("cropsPerTile", "2")
                        .param("seeds", "0")
                        .param("kidSubsets", "4")
                        .param("kidSubsetSize", "6")
                        .param("batchSize", "6"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", Matchers.startsWith(refusal())))
                .andExpect(flash().attribute(
                                "error",
                                Matchers.containsString("the real IHC target must be a dataset of real tiles")))
                .andReturn();
        assertThat(r.getResponse().getRedirectedUrl()).isEqualTo("/evaluations");
        Protocol p = new Protocol(12, 2, 32, 2, List.of(0L), 4, 6, 6);
        assertThatThrownBy(() -> evaluations.create("rg service", generated, List.of(set.id()), extractor, p, "test"))
                .isInstanceOf(NotRealData.class)
                .hasMessageStartingWith(refusal());
        // the check every other launcher of evaluations (evaluate epochs of a run) runs first
        assertThatThrownBy(() -> evaluations.check(generated, extractor, p, he))
                .isInstanceOf(NotRealData.class)
                .hasMessageStartingWith(refusal());
        assertThat(rows("job")).isEqualTo(jobs);
        assertThat(rows("evaluation")).isEqualTo(evals);
        assertThat(rows("evaluation_subject")).isEqualTo(subjects);
    }

    @Test
    void everyOtherPlaceThatNeedsRealTilesRefusesAGeneratedSetAndChangesNothing() throws Exception {
        long jobs = rows("job");
        long runs = rows("tracked_run");
        long ckpts = rows("checkpoint");
        long sessions = rows("review_session");
        // the CPU trainer's real IHC target (and its training data)
        mvc.perform(post("/training/cpu")
                        .with(member())
                        .with(csrf())
                        .param("experiment", "rg")
                        .param("sourceDatasetId", Long.toString(he))
                        .param("targetDatasetId", Long.toString(generated))
                        .param("split", "all")
                        .param("epochs", "1")
                        .param("steps", "1")
                        .param("batch", "64")
                        .param("projections", "4")
                        .param("learningRate", "0.02")
                        .param("seed", "0"))
                .andExpect(status().isOk())
                .andExpect(
                        org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                                .string(
                                        Matchers.containsString(
                                                "is a generated set from &#39;RG H&amp;E&#39;, not real tiles: the real IHC target must be a dataset of real tiles.")));
        // the baseline's colour target
        mvc.perform(post("/checkpoints/baselines")
                        .with(member())
                        .with(csrf())
                        .param("kind", "REINHARD")
                        .param("name", "rg reinhard")
                        .param("target", Long.toString(generated)))
                .andExpect(flash().attribute(
                                "error",
                                refusal() + ": the baseline's colour target must be a dataset of real tiles."));
        // what a checkpoint was trained on
        mvc.perform(post("/checkpoints")
                        .with(member())
                        .with(csrf())
                        .param("name", "rg trained on generated")
                        .param("trainedOn", Long.toString(generated))
                        .param("adapterPath", "/nowhere/adapter.safetensors"))
                .andExpect(
                        flash().attribute("error", refusal() + ": the training data must be a dataset of real tiles."));
        // review controls
        mvc.perform(post("/review/sessions")
                        .with(member())
                        .with(csrf())
                        .param("name", "rg review")
                        .param("mode", "TWO_AFC")
                        .param("source", Long.toString(he))
                        .param("ck", Long.toString(remap.id()))
                        .param("perCheckpoint", "2")
                        .param("realDataset", Long.toString(generated)))
                .andExpect(
                        flash().attribute("error", refusal() + ": the real controls must be a dataset of real tiles."));
        assertThat(rows("job")).isEqualTo(jobs);
        assertThat(rows("tracked_run")).isEqualTo(runs);
        assertThat(rows("checkpoint")).isEqualTo(ckpts);
        assertThat(rows("review_session")).isEqualTo(sessions);
    }

    @Test
    void pickersForRealDataOfferRealDatasetsOnly() throws Exception {
        String evals = select(page("/evaluations"), "realDataset");
        assertThat(evals).contains(option(real)).doesNotContain(option(generated));
        String cpu = page("/training/cpu");
        assertThat(select(cpu, "targetDatasetId")).contains(option(real)).doesNotContain(option(generated));
        assertThat(select(cpu, "sourceDatasetId")).contains(option(he));
        assertThat(select(page("/training/new"), "datasetId"))
                .contains(option(real), option(he))
                .doesNotContain(option(generated));
        String ck = page("/checkpoints");
        assertThat(select(ck, "target")).contains(option(real)).doesNotContain(option(generated));
        assertThat(select(ck, "trainedOn")).contains(option(he)).doesNotContain(option(generated));
        assertThat(select(page("/review/sessions/new"), "realDataset"))
                .contains(option(real))
                .doesNotContain(option(generated));
    }

    @Test
    void theDatasetsPageAndTheHomeCountsListGeneratedSetsApartUnderTheirCheckpoint() throws Exception {
        String html = page("/datasets");
        Matcher table = Pattern.compile("<table[^>]*id=\"datasets\"[^>]*>(.*?)</table>", Pattern.DOTALL)
                .matcher(html);
        assertThat(table.find()).isTrue();
        assertThat(table.group(1))
                .contains("href=\"/datasets/" + real + "\"")
                .doesNotContain("href=\"/datasets/" + generated + "\"");
        Matcher group = Pattern.compile("data-checkpoint=\"" + remap.id() + "\"[^>]*>(.*?)</table>", Pattern.DOTALL)
                .matcher(html);
        assertThat(group.find()).as("a group for checkpoint " + remap.id()).isTrue();
        assertThat(group.group(1))
                .contains("href=\"/checkpoints/" + remap.id() + "\"")
                .contains("rg remap")
                .contains("href=\"/datasets/" + generated + "\"");
        assertThat(page("/datasets/" + generated))
                .contains("id=\"dataset-kind\"")
                .contains("href=\"/checkpoints/" + remap.id() + "\"")
                .contains("href=\"/datasets/" + he + "\"");
        assertThat(page("/datasets/" + real)).doesNotContain("id=\"dataset-kind\"");
        assertThat(count("real datasets")).isEqualTo(catalog.realDatasets().size());
        assertThat(count("generated sets"))
                .isEqualTo(catalog.generatedDatasets().size());
        assertThat(counts).noneMatch(c -> c.label().equals("datasets"));
    }

    long count(String label) {
        return counts.stream()
                .filter(c -> c.label().equals(label))
                .findFirst()
                .orElseThrow()
                .count();
    }

    @Test
    void anEvaluationMadeAgainstAGeneratedSetIsMarkedAndLeftOutOfTheDashboard() throws Exception {
        Evaluation e = evaluations.create(
                "rg legacy",
                real,
                List.of(set.id()),
                extractor,
                new Protocol(12, 2, 32, 2, List.of(0L), 4, 6, 6),
                "test");
        GeneratedFixtures.await("evaluation", () -> List.of("DONE", "FAILED")
                .contains(evaluations.find(e.id()).orElseThrow().status()));
        assertThat(evaluations.find(e.id()).orElseThrow().status()).isEqualTo("DONE");
        String href = "/evaluations/" + e.id() + "\"";
        String dashboard = mvc.perform(get("/dashboard").with(supervisor()))
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(dashboard).contains(href);
        assertThat(page("/evaluations/" + e.id())).doesNotContain("generated-target-label");

        // as an evaluation made before the rule: its "real" target was a generated set
        jdbc.sql("update evaluation set real_dataset_id = ? where id = ?")
                .params(generated, e.id())
                .update();
        Evaluation legacy = evaluations.find(e.id()).orElseThrow();
        assertThat(evaluations.againstGeneratedSet(legacy)).isTrue();
        assertThat(evaluations.finishedAgainstRealData())
                .extracting(Evaluation::id)
                .doesNotContain(e.id());
        dashboard = mvc.perform(get("/dashboard").with(supervisor()))
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(dashboard).doesNotContain(href).doesNotContain("/evaluations/" + e.id() + "&quot;");
        assertThat(page("/evaluations/" + e.id()))
                .contains("id=\"generated-target-label\"")
                .contains("id=\"generated-target-note\"");
        Matcher row = Pattern.compile("<tr>\\s*<td><a href=\"/evaluations/" + e.id() + "\">.*?</tr>", Pattern.DOTALL)
                .matcher(page("/evaluations"));
        assertThat(row.find()).isTrue();
        assertThat(row.group()).contains("generated target");
    }
}
