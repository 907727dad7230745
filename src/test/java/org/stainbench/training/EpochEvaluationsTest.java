package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Extractor;
import org.stainbench.evaluation.Extractors;
import org.stainbench.evaluation.Metric;
import org.stainbench.evaluation.Protocol;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.support.Waits;
import org.stainbench.tiles.ColourMap;
import org.stainbench.tiles.SyntheticTiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * "Evaluate epochs …" of a run: generation is queued only for epochs without a set, the evaluation starts by itself
 * once every set is ready, the run's metric-vs-epoch data are the evaluation's stored values, bad requests change
 * nothing, and a launch is claimed once however many finishing jobs try.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class EpochEvaluationsTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    TrackingStore store;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Extractors extractors;

    @Autowired
    Evaluations evaluations;

    @Autowired
    EpochEvaluations requests;

    @Autowired
    JdbcClient jdbc;

    final RequestPostProcessor member = user("ed").roles("MEMBER", "SUPERVISOR");

    @Autowired
    Runs runs;

    final ObjectMapper json = new ObjectMapper();
    static long he;
    static long ck7;
    static long extractor;
    static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void datasets() throws Exception {
        if (he != 0) {
            return;
        }
        he = catalog.createDataset("epoch-he", Stain.HE, null, null, 256, null, "ed");
        ck7 = catalog.createDataset("epoch-ck7", Stain.IHC, "CK7", null, 256, null, "ed");
        upload(he, "he_11_1.npz", SyntheticTiles.Stain.HE, 9101);
        upload(he, "he_12_1.npz", SyntheticTiles.Stain.HE, 9102);
        upload(ck7, "ihc_21_1.npz", SyntheticTiles.Stain.CK7, 9103);
        upload(ck7, "ihc_22_1.npz", SyntheticTiles.Stain.CK7, 9104);
        await("archives ingested", () -> ready(he) && ready(ck7));
        try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
            Extractor e = extractors.register(
                    new Extractors.NewExtractor(
                            "epoch-random8",
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
                    "ed");
            extractor = e.id();
        }
    }

    private boolean ready(long dataset) {
        return !catalog.archives(dataset).isEmpty()
                && catalog.archives(dataset).stream().allMatch(a -> a.status() == ArchiveStatus.READY);
    }

    private void upload(long dataset, String name, SyntheticTiles.Stain stain, long seed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyntheticTiles.writeLabArchive(out, stain, 6, 256, seed, 0.0, 0.0, true);
        catalog.registerUpload(dataset, name, new ByteArrayInputStream(out.toByteArray()), "ed");
    }

    private static void await(String what, BooleanSupplier condition) {
        Waits.upTo(Duration.ofSeconds(180), what).until(condition::getAsBoolean);
    }

    /** A run with colour-map checkpoints for the given epochs (slightly different maps), like the CPU job leaves. */
    private Tracking.RunInfo run(String name, int... epochs) {
        long exp = store.experimentByName("epochs")
                .map(Tracking.Experiment::id)
                .orElseGet(() -> store.createExperiment("epochs", null, Map.of()));
        Tracking.RunInfo run =
                store.createRun(exp, "ed", null, name, Map.of("stainbench.dataset_id", String.valueOf(he)));
        store.logBatch(run.uuid(), List.of(), Map.of("target_dataset", "epoch-ck7"), Map.of());
        for (int e : epochs) {
            // maps differ between runs too: identical maps would generate byte-identical archives, which the
            // catalog refuses as duplicates
            checkpoints.registerColourMapEpoch(
                    run.uuid(), name, e, scaled(1 + 0.1 * e + 0.01 * RUNS.incrementAndGet()), he, "ed");
        }
        return run;
    }

    private static ColourMap scaled(double gain) {
        ColourMap id = ColourMap.identity();
        double[] a = id.a().clone();
        for (int i = 0; i < a.length; i++) {
            a[i] *= gain;
        }
        return new ColourMap(a, id.b().clone());
    }

    private MockHttpServletRequestBuilder form(String uuid, String... epochs) {
        return form(uuid, Map.of(), epochs);
    }

    /** The form as the page sends it, with some fields replaced. */
    private MockHttpServletRequestBuilder form(String uuid, Map<String, String> replaced, String... epochs) {
        Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of(
                "sourceDatasetId",
                String.valueOf(he),
                "realDatasetId",
                String.valueOf(ck7),
                "extractorId",
                String.valueOf(extractor),
                "tilesPerSide",
                "6",
                "archives",
                "2",
                "cropSize",
                "64",
                "cropsPerTile",
                "2",
                "seeds",
                "0,1",
                "kidSubsets",
                "3"));
        fields.put("kidSubsetSize", "3");
        fields.putAll(replaced);
        MockHttpServletRequestBuilder b =
                post("/runs/" + uuid + "/evaluate-epochs").with(csrf()).with(member);
        fields.forEach(b::param);
        for (String e : epochs) {
            b.param("epochs", e);
        }
        return b;
    }

    private long lastDiag;

    private boolean diagnose(long id) {
        if (System.nanoTime() - lastDiag < 10_000_000_000L) {
            return false;
        }
        lastDiag = System.nanoTime();
        EpochEvaluations.Request x = requests.find(id).orElseThrow();
        System.err.println("DIAG " + x.state() + " " + x.message() + " sets "
                + x.setIds().stream()
                        .map(s -> checkpoints
                                .set(s)
                                .map(g -> g.status() + " ds " + g.datasetId() + " archives "
                                        + catalog.archives(g.datasetId()).stream()
                                                .map(a -> a.status().name())
                                                .toList())
                                .orElse("gone"))
                        .toList()
                + " jobs "
                + jdbc.sql("select id || ':' || type || ':' || state from job order by id desc limit 6")
                        .query(String.class)
                        .list());
        return false;
    }

    private long setCount() {
        return checkpoints.allSets().size();
    }

    private long requestCount() {
        return jdbc.sql("select count(*) from epoch_evaluation")
                .query(Long.class)
                .single();
    }

    @Test
    void chosenEpochsAreGeneratedThenEvaluatedAndPlottedAgainstEpoch() throws Exception {
        Tracking.RunInfo run = run("epochs-run", 1, 2, 3);
        mvc.perform(form(run.uuid(), "3", "1"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("message", org.hamcrest.Matchers.containsString("epochs 1, 3 requested")));
        EpochEvaluations.Request r = requests.ofRun(run.uuid()).get(0);
        assertThat(r.epochs()).containsExactly(1, 3);
        assertThat(r.name()).isEqualTo("epochs-run: epochs 1, 3 vs epoch-ck7");

        // generation queued for epochs 1 and 3 only
        Map<Integer, Checkpoint> byEpoch = requests.epochCheckpoints(run.uuid());
        assertThat(checkpoints.sets(byEpoch.get(1).id())).hasSize(1);
        assertThat(checkpoints.sets(byEpoch.get(2).id())).isEmpty();
        assertThat(checkpoints.sets(byEpoch.get(3).id())).hasSize(1);

        await(
                "evaluation launched and done",
                () -> requests.find(r.id()).orElseThrow().evaluationId() != null
                        && evaluations
                                .find(requests.find(r.id()).orElseThrow().evaluationId())
                                .orElseThrow()
                                .status()
                                .equals("DONE"));
        EpochEvaluations.Request launched = requests.find(r.id()).orElseThrow();
        assertThat(launched.state()).isEqualTo(EpochEvaluations.LAUNCHED);
        Evaluation ev = evaluations.find(launched.evaluationId()).orElseThrow();
        assertThat(evaluations.subjects(ev.id())).extracting(s -> s.epoch()).containsExactlyInAnyOrder(1, 3);
        assertThat(evaluations.subjects(ev.id())).allMatch(s -> run.uuid().equals(s.runUuid()));

        // the chart data are the stored values, by epoch
        String body = mvc.perform(get("/runs/" + run.uuid() + "/epochs.json").with(member))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        JsonNode chart = json.readTree(body);
        assertThat(chart.get("series")).hasSize(1);
        JsonNode points = chart.get("series").get(0).get("points");
        assertThat(points).hasSize(2);
        assertThat(points.get(0).get("epoch").asInt()).isEqualTo(1);
        assertThat(points.get(1).get("epoch").asInt()).isEqualTo(3);
        Evaluations.Comparison c = evaluations.comparison(ev.id());
        for (int i = 0; i < 2; i++) {
            int epoch = points.get(i).get("epoch").asInt();
            Evaluations.Row row = c.rows().stream()
                    .filter(x -> x.subject().epoch() == epoch)
                    .findFirst()
                    .orElseThrow();
            JsonNode fid = points.get(i).get("values").get("fid");
            assertThat(fid.get(0).asDouble()).isEqualTo(row.get(Metric.FID).mean());
            assertThat(fid.get(2).asInt()).isEqualTo(2);
        }
        assertThat(chart.get("metrics").get(0).get("key").asString()).isEqualTo("fid");

        // the run page shows the request, the evaluation link and the chart; the live part has an htmx twin
        String page = mvc.perform(get("/runs/" + run.uuid()).with(member))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("id=\"epoch-chart\"")
                .contains("href=\"/evaluations/" + ev.id() + "\"")
                .contains("id=\"evaluate-epochs\"");
        String fragment = mvc.perform(
                        get("/runs/" + run.uuid() + "/by-epoch").with(member).header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(fragment)
                .startsWith("<div")
                .contains("id=\"by-epoch\"")
                .contains("id=\"epoch-chart\"")
                .doesNotContain("id=\"nav\"")
                .doesNotContain("evaluate-epochs");
        String twin = mvc.perform(get("/runs/" + run.uuid() + "/by-epoch").with(member))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(twin).contains("<nav").contains("id=\"by-epoch\"").contains("id=\"evaluate-epochs\"");

        // the dashboard's metric-by-epoch chart shows the run until the run is deleted, and again once restored
        var supervisor = user("sue").roles("SUPERVISOR");
        assertThat(mvc.perform(get("/dashboard").with(supervisor))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .contains("href=\"/runs/" + run.uuid() + "\"");
        runs.delete(run, "ed");
        assertThat(mvc.perform(get("/dashboard").with(supervisor))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .doesNotContain("/runs/" + run.uuid());
        runs.restore(run, "ed");
        assertThat(mvc.perform(get("/dashboard").with(supervisor))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .contains("href=\"/runs/" + run.uuid() + "\"");

        // asking again for epoch 1 reuses its set: nothing generated again
        long sets = setCount();
        mvc.perform(form(run.uuid(), "1"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attributeExists("message"));
        assertThat(setCount()).isEqualTo(sets);
    }

    /**
     * New epoch evaluations take the defaults of new evaluations: the form offers random patient-stratified tiles and
     * the configured bootstrap B (checked), and a request that leaves them out is evaluated that way (every metric
     * varies with the seed, patient-bootstrap intervals); the lab's rule and the lab's preset stay explicit choices.
     */
    @Test
    void newEpochEvaluationsDrawRandomPatientStratifiedTilesWithThePatientBootstrapUnlessTheLabsRuleIsChosen()
            throws Exception {
        Tracking.RunInfo run = run("epochs-defaults", 1, 2);
        int b = evaluations.defaultBootstrapResamples();
        assertThat(b).isPositive();
        String page = mvc.perform(get("/runs/" + run.uuid()).with(member))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("name=\"tileRule\" value=\"random\" checked=\"checked\"")
                .contains("name=\"tileRule\" value=\"first\">")
                .contains("name=\"preset\" value=\"custom\" checked=\"checked\"")
                .contains("name=\"preset\" value=\"lab\" id=\"epoch-preset-lab\">")
                .containsPattern("name=\"bootstrapResamples\"[^>]*value=\"" + b + "\"");

        // the form as sent without the new fields: random tiles and B from the setting
        long id = evaluateAndWait(run, Map.of(), "1", "2");
        Protocol p = Protocol.parse(evaluations.find(id).orElseThrow().protocol());
        assertThat(p.tileRule()).isEqualTo(Protocol.TileRule.RANDOM_STRATIFIED);
        assertThat(p.bootstrapResamples()).isEqualTo(b);
        Evaluations.Comparison c = evaluations.comparison(id);
        assertThat(c.hasBootstrap()).isTrue();
        assertThat(c.rows()).hasSize(2).allSatisfy(r -> {
            assertThat(r.cell(Metric.FID).bootLow()).isNotNull();
            assertThat(r.cell(Metric.FID).bootResamples()).isEqualTo(b);
            assertThat(r.seedInvariant(Metric.FID))
                    .as("FID varies with the seed's tiles")
                    .isFalse();
        });

        // the lab's tile rule, chosen explicitly, is kept (with the bootstrap asked for)
        mvc.perform(form(run.uuid(), Map.of("tileRule", "first", "bootstrapResamples", "30"), "1"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attributeExists("message"));
        Protocol first = Protocol.parse(requests.ofRun(run.uuid()).get(0).protocol());
        assertThat(first.tileRule()).isEqualTo(Protocol.TileRule.FIRST_SPREAD);
        assertThat(first.bootstrapResamples()).isEqualTo(30);
        // the lab's preset is the lab's protocol: too many tiles for these small datasets, refused naming them
        long rows = requestCount();
        mvc.perform(form(run.uuid(), Map.of("preset", "lab"), "1"))
                .andExpect(flash().attribute(
                                "error", org.hamcrest.Matchers.containsString("the protocol takes 2100 tiles")));
        mvc.perform(form(run.uuid(), Map.of("bootstrapResamples", "many"), "1"))
                .andExpect(flash().attribute(
                                "error", org.hamcrest.Matchers.startsWith("Bootstrap resamples: give a whole number")));
        mvc.perform(form(run.uuid(), Map.of("tileRule", "sometimes"), "1"))
                .andExpect(flash().attribute("error", org.hamcrest.Matchers.startsWith("Tile rule: choose")));
        assertThat(requestCount()).isEqualTo(rows);
    }

    /**
     * A partial re-evaluation of one epoch under the same protocol joins the earlier evaluation on the run's chart:
     * one line with every epoch, the re-evaluated epoch from the newer evaluation. Another protocol is its own line.
     */
    @Test
    void aPartialReEvaluationKeepsTheEarlierEpochsOnTheRunsChart() throws Exception {
        Tracking.RunInfo run = run("epochs-partial", 1, 2, 3);
        long first = evaluateAndWait(run, Map.of(), "1", "2", "3");
        long second = evaluateAndWait(run, Map.of(), "2");
        assertThat(evaluations.find(second).orElseThrow().fingerprint())
                .isEqualTo(evaluations.find(first).orElseThrow().fingerprint());

        JsonNode chart = json.readTree(
                mvc.perform(get("/runs/" + run.uuid() + "/epochs.json").with(member))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString());
        assertThat(chart.get("series")).hasSize(1);
        JsonNode line = chart.get("series").get(0);
        assertThat(line.get("evaluations")).extracting(JsonNode::asLong).containsExactly(first, second);
        assertThat(line.get("evaluation").asLong()).isEqualTo(second);
        JsonNode points = line.get("points");
        assertThat(points).extracting(p -> p.get("epoch").asInt()).containsExactly(1, 2, 3);
        assertThat(points).extracting(p -> p.get("evaluation").asLong()).containsExactly(first, second, first);
        for (JsonNode p : points) {
            assertThat(p.get("values").get("fid")).isNotNull();
            assertThat(p.get("evaluationHref").asString())
                    .isEqualTo("/evaluations/" + p.get("evaluation").asLong());
        }

        // a different protocol (other seeds) is never joined with it
        long other = evaluateAndWait(run, Map.of("seeds", "0,2"), "3");
        chart = json.readTree(
                mvc.perform(get("/runs/" + run.uuid() + "/epochs.json").with(member))
                        .andReturn()
                        .getResponse()
                        .getContentAsString());
        assertThat(chart.get("series")).hasSize(2);
        assertThat(chart.get("series").get(0).get("points")).hasSize(3);
        assertThat(chart.get("series").get(1).get("evaluations"))
                .extracting(JsonNode::asLong)
                .containsExactly(other);
        assertThat(chart.get("series").get(1).get("points")).hasSize(1);
    }

    /** Requests evaluation of the epochs through the run page's form and waits until it is done; its id. */
    private long evaluateAndWait(Tracking.RunInfo run, Map<String, String> replaced, String... epochs)
            throws Exception {
        int before = requests.ofRun(run.uuid()).size();
        mvc.perform(form(run.uuid(), replaced, epochs))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attributeExists("message"));
        EpochEvaluations.Request r = requests.ofRun(run.uuid()).stream()
                .filter(x -> x.epochs()
                        .equals(java.util.Arrays.stream(epochs)
                                .map(Integer::valueOf)
                                .sorted()
                                .toList()))
                .findFirst()
                .orElseThrow(); // newest first
        assertThat(requests.ofRun(run.uuid())).hasSize(before + 1);
        await("evaluation of epochs " + String.join(",", epochs) + " done", () -> {
            Long ev = requests.find(r.id()).orElseThrow().evaluationId();
            return ev != null && evaluations.find(ev).orElseThrow().status().equals("DONE");
        });
        return requests.find(r.id()).orElseThrow().evaluationId();
    }

    @Test
    void badRequestsSayWhyAndChangeNothing() throws Exception {
        Tracking.RunInfo run = run("epochs-bad", 1, 2);
        Tracking.RunInfo mixed = run("epochs-mixed", 1);
        checkpoints.registerEpoch(mixed.uuid(), "epochs-mixed", 2, "pixcell-1024", "none", null, "ed");
        long sets = setCount();
        long rows = requestCount();

        mvc.perform(form(run.uuid()))
                .andExpect(flash().attribute("error", "Choose at least one epoch to evaluate."))
                .andExpect(flash().attributeExists("epochForm"));
        mvc.perform(form(run.uuid(), "1", "7"))
                .andExpect(flash().attribute(
                                "error",
                                "Epoch 7 has no checkpoint in run 'epochs-bad' (epochs with checkpoints: 1, 2)."));
        mvc.perform(form(run.uuid(), Map.of("cropSize", "512"), "1"))
                .andExpect(flash().attribute("error", "Crops of 512 do not fit the 256 px tiles of 'epoch-ck7'."));
        mvc.perform(form(run.uuid(), Map.of("tilesPerSide", "40"), "1"))
                .andExpect(
                        flash().attribute("error", org.hamcrest.Matchers.startsWith("Too few tiles in 'epoch-ck7'")));
        mvc.perform(form(run.uuid(), Map.of("sourceDatasetId", String.valueOf(ck7)), "1"))
                .andExpect(flash().attribute("error", org.hamcrest.Matchers.startsWith("Generate on an H&E dataset")));
        mvc.perform(form(run.uuid(), Map.of("seeds", "x"), "1"))
                .andExpect(flash().attribute("error", org.hamcrest.Matchers.containsString("is not a seed")));
        // a generated set is not a real target (refused by the catalog's rule before anything is generated)
        long generated = catalog.createGeneratedDataset(
                "epochs-generated-" + RUNS.incrementAndGet(), Stain.IHC, "CK7", null, 256, null, 424242L, he, "ed");
        mvc.perform(form(run.uuid(), Map.of("realDatasetId", String.valueOf(generated)), "1"))
                .andExpect(flash().attribute(
                                "error",
                                org.hamcrest.Matchers.endsWith(
                                        "is a generated set from 'epoch-he', not real tiles: the real IHC target"
                                                + " must be a dataset of real tiles.")));
        String runPage = mvc.perform(get("/runs/" + run.uuid()).with(member))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        java.util.regex.Matcher real = java.util.regex.Pattern.compile(
                        "<select name=\"realDatasetId\"[^>]*>(.*?)</select>", java.util.regex.Pattern.DOTALL)
                .matcher(runPage);
        assertThat(real.find()).isTrue();
        assertThat(real.group(1)).contains("value=\"" + ck7 + "\"").doesNotContain("value=\"" + generated + "\"");
        // epoch 1 could be generated, epoch 2 cannot (a model checkpoint without a set): neither is queued
        mvc.perform(form(mixed.uuid(), "1", "2"))
                .andExpect(flash().attribute(
                                "error",
                                org.hamcrest.Matchers.startsWith(
                                        "Epoch 2 ('epochs-mixed-epoch2') is a model checkpoint")));

        assertThat(setCount()).isEqualTo(sets);
        assertThat(requestCount()).isEqualTo(rows);

        // supervisors read, they do not launch
        mvc.perform(post("/runs/" + run.uuid() + "/evaluate-epochs")
                        .with(csrf())
                        .with(user("sue").roles("SUPERVISOR"))
                        .param("epochs", "1"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/runs/nope/epochs.json").with(member)).andExpect(status().isNotFound());
        String page = mvc.perform(get("/runs/" + run.uuid()).with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page).doesNotContain("evaluate-epochs").contains("No epoch of this run has been evaluated yet.");
    }

    @Test
    void aReadyRequestIsLaunchedOnceHoweverManyJobsFinishTogether() throws Exception {
        Tracking.RunInfo run = run("epochs-race", 1);
        mvc.perform(form(run.uuid(), "1")).andExpect(status().is3xxRedirection());
        EpochEvaluations.Request r = requests.ofRun(run.uuid()).get(0);
        await(
                "launched: " + r.id(),
                () -> requests.find(r.id()).orElseThrow().evaluationId() != null || diagnose(r.id()));
        long first = requests.find(r.id()).orElseThrow().evaluationId();
        long before = evaluations.count();
        // as if the launch had not been recorded: eight finishing jobs advance it at once
        jdbc.sql("update epoch_evaluation set state = 'WAITING', evaluation_id = null where id = ?")
                .param(r.id())
                .update();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> {
                    requests.advance();
                    return null;
                });
            }
            for (var f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(evaluations.count()).isEqualTo(before + 1);
        EpochEvaluations.Request again = requests.find(r.id()).orElseThrow();
        assertThat(again.state()).isEqualTo(EpochEvaluations.LAUNCHED);
        assertThat(again.evaluationId()).isNotEqualTo(first);
    }
}
