package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.catalog.ArchiveStatus;
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
import org.stainbench.evaluation.metrics.CropPositions;
import org.stainbench.evaluation.metrics.Features;
import org.stainbench.evaluation.metrics.Fid;
import org.stainbench.evaluation.metrics.Kid;
import org.stainbench.evaluation.metrics.PatientBootstrap;
import org.stainbench.evaluation.metrics.SeedSummary;
import org.stainbench.evaluation.metrics.StainDistances;
import org.stainbench.evaluation.metrics.StratifiedDraw;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.shell.Sha256;
import org.stainbench.tiles.NpzWriter;
import org.stainbench.tiles.QualityMeasures;
import org.stainbench.tiles.RgbTile;

/**
 * Evaluations end to end on small synthetic data with a tiny random-weight ONNX extractor (random8.onnx, written by
 * src/test/python/evaluation_fixtures.py): stored values equal the metric code on the cached features, runs are
 * reproducible, seeds change crops and KID subsets, bad inputs leave no value, the lab's sheet imports.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationsTest {

    /** Features are stored as float32, so values recomputed from the cache match exactly; the sheet's numbers are doubles. */
    static final double SHEET_REL = 1e-9;

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
    MockMvc mvc;

    long real;
    long he;
    GeneratedSet remap;
    Extractor extractor;
    Path model;

    static Protocol small(long... seeds) {
        List<Long> s = new ArrayList<>();
        for (long x : seeds) {
            s.add(x);
        }
        return new Protocol(12, 2, 32, 2, s, 4, 6, 5);
    }

    @BeforeAll
    void data(@TempDir Path tmp) throws IOException {
        real = GeneratedFixtures.dataset(
                catalog, "Eval CK7", Stain.IHC, tmp.resolve("ck7"), List.of("ihc_31_1.npz", "ihc_32_1.npz"), 8, 64, 70);
        he = GeneratedFixtures.dataset(
                catalog,
                "Eval H&E",
                Stain.HE,
                tmp.resolve("he"),
                List.of("he_41_1.npz", "he_42_1.npz", "he_43_1.npz"),
                6,
                64,
                80);
        Checkpoint c =
                checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "eval remap", null, 1.0, 1.0, null, "test");
        checkpoints.applyBaseline(c.id(), he, "test");
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, c.id());
        remap = checkpoints.sets(c.id()).get(0);
        model = tmp.resolve("random8.onnx");
        try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
            Files.copy(in, model);
        }
        try (InputStream in = Files.newInputStream(model)) {
            extractor = extractors.register(
                    new Extractors.NewExtractor(
                            "random8",
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
    }

    Evaluation runToEnd(String name, long realId, Protocol p) {
        Evaluation e = evaluations.create(name, realId, List.of(remap.id()), extractor.id(), p, "test");
        GeneratedFixtures.await("evaluation " + name, () -> {
            String s = evaluations.find(e.id()).orElseThrow().status();
            return s.equals("DONE") || s.equals("FAILED");
        });
        return evaluations.find(e.id()).orElseThrow();
    }

    static Map<String, Double> byMetricAndSeed(List<EvaluationStore.SeedValue> values) {
        return values.stream()
                .collect(Collectors.toMap(v -> v.metric() + "/" + v.seed(), EvaluationStore.SeedValue::value));
    }

    @Test
    void storedValuesAreTheMetricsOfTheCachedFeaturesAndARerunIsIdentical() throws IOException {
        Evaluation a = runToEnd("twice A", real, small(0, 1));
        assertThat(a.status()).as(a.error()).isEqualTo("DONE");
        assertThat(a.extractorSha256()).isEqualTo(Sha256.of(model));
        long cached = store.countFeatures(extractor.id());
        List<EvaluationStore.SeedValue> va = store.values(a.id());
        // one value per metric per seed, the seed on each
        assertThat(va).hasSize(Metric.values().length * 2);
        assertThat(va.stream().map(EvaluationStore.SeedValue::seed).distinct()).containsExactlyInAnyOrder(0L, 1L);

        // recompute from the cache and the tiles with the metric code directly
        Protocol p = small(0, 1);
        EvaluationJob job = null;
        List<TileInfo> realTiles = selected(real, p);
        List<TileInfo> fakeTiles = selected(remap.datasetId(), p);
        assertThat(realTiles).hasSize(12);
        Features fr = full(realTiles);
        Features ff = full(fakeTiles);
        Map<String, Double> got = byMetricAndSeed(va);
        assertThat(got.get("FID/0")).isEqualTo(Fid.compute(fr, ff).value());
        assertThat(got.get("FID/1")).isEqualTo(got.get("FID/0"));
        assertThat(got.get("KID_MEAN/1"))
                .isEqualTo(Kid.compute(fr, ff, new Kid.Params(4, 6, 1)).mean());
        assertThat(got.get("CROP_FID/1"))
                .isEqualTo(Fid.compute(crops(realTiles, p, 1), crops(fakeTiles, p, 1))
                        .value());
        double[][] stainReal = stain(realTiles);
        double[][] stainFake = stain(fakeTiles);
        assertThat(got.get("W1_DAB_FRACTION/0")).isEqualTo(StainDistances.wasserstein1(stainReal[0], stainFake[0]));
        assertThat(got.get("KS_MEAN_DAB/1")).isEqualTo(StainDistances.ksStatistic(stainReal[1], stainFake[1]));
        // the cached full-tile features are the extractor's output on the tile
        try (OnnxFeatureExtractor x = new OnnxFeatureExtractor(model, extractor.preprocessing())) {
            RgbTile t =
                    tiles.read(realTiles.get(3).archiveId(), realTiles.get(3).index());
            Features one = x.extract(List.of(t.rgb()), 64, 64, 1);
            for (int k = 0; k < 8; k++) {
                assertThat(fr.get(3, k)).isEqualTo((double) (float) one.get(0, k));
            }
        }
        // the seed changes crop positions and KID subsets; FID and the stain distances do not depend on it
        assertThat(got.get("CROP_FID/0")).isNotEqualTo(got.get("CROP_FID/1"));
        assertThat(got.get("KID_MEAN/0")).isNotEqualTo(got.get("KID_MEAN/1"));
        assertThat(CropPositions.draw(0, 12, 64, 64, 32, 2)).isNotEqualTo(CropPositions.draw(1, 12, 64, 64, 32, 2));
        // aggregate over seeds
        SeedSummary s = store.summaries(a.id()).values().iterator().next().get(Metric.CROP_FID);
        SeedSummary expected = SeedSummary.of(got.get("CROP_FID/0"), got.get("CROP_FID/1"));
        assertThat(s.n()).isEqualTo(2);
        assertThat(s.mean()).isCloseTo(expected.mean(), within(1e-12));
        assertThat(s.std()).isCloseTo(expected.std(), within(1e-12));

        // the same evaluation again: identical numbers, and no feature computed again
        Evaluation b = runToEnd("twice B", real, small(0, 1));
        assertThat(b.status()).isEqualTo("DONE");
        assertThat(byMetricAndSeed(store.values(b.id()))).isEqualTo(got);
        assertThat(store.countFeatures(extractor.id())).isEqualTo(cached);

        // another seed: new crops computed, the full-tile features reused
        long fullBefore = store.countFeatures(extractor.id(), "full");
        Evaluation c = runToEnd("seed 7", real, small(7));
        assertThat(c.status()).isEqualTo("DONE");
        assertThat(store.countFeatures(extractor.id(), "full")).isEqualTo(fullBefore);
        assertThat(store.countFeatures(extractor.id())).isGreaterThan(cached);
        assertThat(byMetricAndSeed(store.values(c.id())).get("CROP_FID/7")).isNotEqualTo(got.get("CROP_FID/0"));
        assertThat(store.values(c.id())).allMatch(v -> v.seed() == 7);
    }

    /**
     * The random tile rule: each seed's tiles are the patient-stratified draw of StratifiedDraw (re-derived here from the
     * catalog: patients 31/32 real, 41/42/43 generated), so FID and the stain distances vary with the seed, and every
     * per-seed value is the metric code on that seed's cached features. The protocol text and the fingerprint name the
     * rule and its stream; the lab's rule (the other tests) is unchanged.
     */
    @Test
    void randomPatientStratifiedTilesPerSeedMakeEveryMetricVaryWithTheSeed() {
        Protocol p = small(0, 1, 2).with(Protocol.TileRule.RANDOM_STRATIFIED, 0);
        Evaluation a = runToEnd("random tiles", real, p);
        assertThat(a.status()).as(a.error()).isEqualTo("DONE");
        assertThat(a.protocol())
                .contains("tile_selection=random patient-stratified tiles per seed")
                .contains("tile_stream=StratifiedDraw");
        assertThat(store.findEvaluation(a.id()).orElseThrow().fingerprintText())
                .contains("tile_selection=random patient-stratified tiles per seed")
                .contains("tile_stream=");
        Map<String, Double> got = byMetricAndSeed(store.values(a.id()));
        for (long seed : List.of(0L, 1L, 2L)) {
            List<TileInfo> r = drawn(real, 12, seed);
            List<TileInfo> f = drawn(remap.datasetId(), 12, seed);
            assertThat(r).hasSize(12);
            assertThat(got.get("FID/" + seed))
                    .isEqualTo(Fid.compute(full(r), full(f)).value());
            assertThat(got.get("KID_MEAN/" + seed))
                    .isEqualTo(Kid.compute(full(r), full(f), new Kid.Params(4, 6, seed))
                            .mean());
            assertThat(got.get("CROP_FID/" + seed))
                    .isEqualTo(Fid.compute(crops(r, p, seed), crops(f, p, seed)).value());
            double[][] sr = stain(r);
            double[][] sf = stain(f);
            assertThat(got.get("W1_DAB_FRACTION/" + seed)).isEqualTo(StainDistances.wasserstein1(sr[0], sf[0]));
        }
        // stratified: 6 tiles of each of the 2 real patients, 4 of each of the 3 generated ones
        assertThat(drawn(real, 12, 0).stream()
                        .collect(Collectors.groupingBy(TileInfo::archiveId, Collectors.counting()))
                        .values())
                .containsOnly(6L);
        assertThat(drawn(real, 12, 0)).isNotEqualTo(drawn(real, 12, 1));
        for (Metric m : List.of(Metric.FID, Metric.KID_MEAN, Metric.W1_MEAN_DAB, Metric.CROP_FID)) {
            assertThat(java.util.stream.Stream.of(0L, 1L, 2L)
                            .map(seed -> got.get(m + "/" + seed))
                            .distinct()
                            .count())
                    .as(m + " varies with the seed")
                    .isGreaterThan(1);
        }
        assertThat(evaluations.comparison(a.id()).rows().get(0).seedInvariant(Metric.FID))
                .isFalse();
        // the same protocol again gives the same numbers (deterministic given the seeds)
        Evaluation b = runToEnd("random tiles again", real, p);
        assertThat(byMetricAndSeed(store.values(b.id()))).isEqualTo(got);
        assertThat(store.findEvaluation(b.id()).orElseThrow().fingerprint())
                .isEqualTo(store.findEvaluation(a.id()).orElseThrow().fingerprint());
    }

    /**
     * New evaluations from the form default to random patient-stratified tiles and B = 200 (the setting); the lab preset
     * keeps the lab's rule; a bad tile rule or B is refused naming the field, and nothing is queued.
     */
    @Test
    void theFormDefaultsToRandomTilesAndTheConfiguredBootstrapTheLabPresetKeepsItsRule() throws Exception {
        long before = evaluations.count();
        var form = org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/evaluations")
                .with(user("mo").roles("MEMBER"))
                .with(csrf())
                .param("name", "form default")
                .param("realDataset", Long.toString(real))
                .param("extractor", Long.toString(extractor.id()))
                .param("sets", Long.toString(remap.id()))
                .param("tilesPerSide", "12")
                .param("archives", "2")
                .param("cropSize", "32")
                .param("cropsPerTile", "2")
                .param("seeds", "0-1")
                .param("kidSubsets", "4")
                .param("kidSubsetSize", "6")
                .param("batchSize", "5");
        String url = mvc.perform(form)
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        Evaluation e =
                evaluations.find(Long.parseLong(url.replaceAll(".*/", ""))).orElseThrow();
        assertThat(e.protocol())
                .contains("tile_selection=random patient-stratified tiles per seed")
                .contains("bootstrap_resamples=200");
        assertThat(Protocol.parse(e.protocol()).random()).isTrue();
        GeneratedFixtures.await("form default", () -> List.of("DONE", "FAILED")
                .contains(evaluations.find(e.id()).orElseThrow().status()));
        assertThat(evaluations.find(e.id()).orElseThrow().status()).isEqualTo("DONE");
        assertThat(store.bootstraps(e.id())
                        .values()
                        .iterator()
                        .next()
                        .get(Metric.FID)
                        .resamples())
                .isEqualTo(200);
        // the lab's preset: its rule, unchanged (the dataset here is too small for it, so only the protocol is checked)
        assertThat(evaluations.forNew(Protocol.lab(), "first", null).text())
                .contains("tile_selection=first tiles of each archive, archives spread evenly");
        assertThat(ProtocolFingerprint.computed(evaluations.forNew(Protocol.lab(), "first", "200"), "r", "g", "x", "p"))
                .isEqualTo(ProtocolFingerprint.computed(Protocol.lab(), "r", "g", "x", "p"));
        // refusals name the field and queue nothing
        long now = evaluations.count();
        mvc.perform(form.param("tileRule", "sometimes"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", Matchers.containsString("Tile rule")));
        var badB = org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/evaluations")
                .with(user("mo").roles("MEMBER"))
                .with(csrf())
                .param("name", "bad B")
                .param("preset", "lab")
                .param("realDataset", Long.toString(real))
                .param("extractor", Long.toString(extractor.id()))
                .param("sets", Long.toString(remap.id()))
                .param("bootstrapResamples", "100000");
        mvc.perform(badB)
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", Matchers.containsString("Bootstrap resamples")));
        assertThat(evaluations.count()).isEqualTo(now).isEqualTo(before + 1);
    }

    /** A seed's tiles under the random rule, re-derived from StratifiedDraw and the catalog (one patient per archive here). */
    List<TileInfo> drawn(long datasetId, int k, long seed) {
        var archives = catalog.archives(datasetId).stream()
                .sorted(java.util.Comparator.comparing(a -> a.patient()))
                .toList();
        int[] per = archives.stream().mapToInt(x -> x.tilesTotal()).toArray();
        int[][] d = StratifiedDraw.draw(seed, per, k);
        List<TileInfo> out = new ArrayList<>();
        for (int i = 0; i < archives.size(); i++) {
            List<TileInfo> t = tiles.tiles(archives.get(i).id());
            for (int row : d[i]) {
                out.add(t.get(row));
            }
        }
        return out;
    }

    /**
     * The patient bootstrap: stored per compared set and metric with B values, equal to PatientBootstrap on the first
     * seed's cached features with the patients of the catalog; two compared sets get the paired difference over the same
     * resamples, shown on the page and in the CSV, and a row within the noise of the best is marked.
     */
    @Test
    void patientBootstrapIntervalsAndPairedDifferencesAreStoredAndShown() throws Exception {
        Checkpoint c2 =
                checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "eval remap 2", null, 1.05, 0.95, null, "test");
        checkpoints.applyBaseline(c2.id(), he, "test");
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, c2.id());
        GeneratedSet second = checkpoints.sets(c2.id()).get(0);
        Protocol p = small(0, 1).with(Protocol.TileRule.FIRST_SPREAD, 40);
        Evaluation e =
                evaluations.create("bootstrap", real, List.of(remap.id(), second.id()), extractor.id(), p, "test");
        GeneratedFixtures.await("evaluation bootstrap", () -> List.of("DONE", "FAILED")
                .contains(evaluations.find(e.id()).orElseThrow().status()));
        Evaluation done = evaluations.find(e.id()).orElseThrow();
        assertThat(done.status()).as(done.error()).isEqualTo("DONE");
        assertThat(done.protocol()).contains("bootstrap_resamples=40");

        Map<Long, Map<Metric, EvaluationStore.Bootstrap>> boots = store.bootstraps(e.id());
        List<Subject> subjects = store.subjects(e.id());
        assertThat(boots).hasSize(2);
        // every ranked metric has one; KID std (a dispersion) has none
        assertThat(boots.get(subjects.get(0).id()).keySet())
                .containsExactlyInAnyOrder(
                        Metric.FID,
                        Metric.KID_MEAN,
                        Metric.CROP_FID,
                        Metric.W1_DAB_FRACTION,
                        Metric.KS_DAB_FRACTION,
                        Metric.W1_MEAN_DAB,
                        Metric.KS_MEAN_DAB);

        // recompute: patients 31/32 (real), the 2 of 41/42/43 whose archives the lab's rule takes (generated, shared by
        // both sets), first seed 0
        List<TileInfo> realTiles = selected(real, p);
        PatientBootstrap.Side rs = bootSide(full(realTiles), realTiles);
        PatientBootstrap.Plan plan = PatientBootstrap.plan(0, 40, 2, 2);
        double[][] fid = new double[2][];
        for (int k = 0; k < 2; k++) {
            GeneratedSet g = k == 0 ? remap : second;
            List<TileInfo> gt = selected(g.datasetId(), p);
            fid[k] = PatientBootstrap.values(rs, List.of(bootSide(full(gt), gt)), plan, PatientBootstrap::fid, 1)[0];
            EvaluationStore.Bootstrap stored = boots.get(subjects.get(k).id()).get(Metric.FID);
            assertThat(stored.values()).containsExactly(fid[k]);
            var i = PatientBootstrap.percentile(fid[k], 0.95);
            assertThat(stored.low()).isEqualTo(i.low());
            assertThat(stored.high()).isEqualTo(i.high());
            assertThat(stored.resamples()).isEqualTo(40);
            assertThat(stored.low()).isLessThan(stored.high());
        }
        // the paired difference: same resamples
        Evaluations.Comparison cmp = evaluations.comparison(e.id());
        Evaluations.Difference d = cmp.differences(Metric.FID).get(0);
        var di = PatientBootstrap.difference(fid[0], fid[1], 0.95);
        assertThat(d.aId()).isEqualTo(subjects.get(0).id());
        assertThat(d.low()).isEqualTo(di.low());
        assertThat(d.high()).isEqualTo(di.high());
        assertThat(d.difference())
                .isEqualTo(
                        cmp.rows().get(0).mean(Metric.FID) - cmp.rows().get(1).mean(Metric.FID));
        assertThat(cmp.differences().stream().map(Evaluations.Difference::metric))
                .doesNotContain(Metric.KID_STD);
        // the table: a non-best row whose difference to the best contains 0 is marked, and only then
        for (Metric m : cmp.differenceMetrics()) {
            Evaluations.Difference x = cmp.differences(m).get(0);
            for (Evaluations.Row r : cmp.rows()) {
                boolean expected = !r.cell(m).best() && x.withinNoise();
                assertThat(r.cell(m).withinNoiseOfBest())
                        .as(m + " " + r.subject().label())
                        .isEqualTo(expected);
            }
        }
        // page and CSV
        String page = mvc.perform(get("/evaluations/" + e.id()).with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("id=\"paired-differences\"")
                .contains("class=\"boot-interval muted\"")
                .contains("95 % patient bootstrap [");
        // issue 18: the protocol in words (raw keys only in the title), metric headers with their glossary hint
        assertThat(page)
                .contains("<th title=\"tile_selection\">Tile selection</th>")
                .doesNotContain("<th>tile_selection</th>")
                .contains("each 0..255 value ×")
                .contains("title=\"Fréchet Inception Distance")
                .contains("href=\"/help/metrics\"");
        String csv = evaluations.csv(e.id());
        assertThat(csv.lines().skip(1).findFirst().orElseThrow())
                .contains("fid_boot95_low,fid_boot95_high,fid_boot_resamples");
        assertThat(csv)
                .contains(Double.toString(
                        boots.get(subjects.get(0).id()).get(Metric.FID).low()));
    }

    /** One patient per archive (the fixture names are stain_patient_replicate). */
    PatientBootstrap.Side bootSide(Features f, List<TileInfo> list) {
        List<Long> archives = list.stream()
                .map(TileInfo::archiveId)
                .distinct()
                .sorted(java.util.Comparator.comparing(
                        id -> catalog.archive(id).orElseThrow().patient()))
                .toList();
        int[] labels =
                list.stream().mapToInt(t -> archives.indexOf(t.archiveId())).toArray();
        return new PatientBootstrap.Side(f, labels, archives.size());
    }

    List<TileInfo> selected(long datasetId, Protocol p) {
        var archives = catalog.archives(datasetId).stream()
                .sorted(java.util.Comparator.comparing(a -> a.fileName()))
                .toList();
        List<TileInfo> out = new ArrayList<>();
        for (int[] a : Protocol.plan(archives.size(), p.archives(), p.tilesPerSide())) {
            out.addAll(tiles.tiles(archives.get(a[0]).id()).subList(0, a[1]));
        }
        return out;
    }

    Features full(List<TileInfo> list) {
        Map<Long, float[]> m = store.features(
                extractor.id(), "full", list.stream().map(TileInfo::id).toList());
        double[][] rows = new double[list.size()][];
        for (int i = 0; i < list.size(); i++) {
            float[] v = m.get(list.get(i).id());
            rows[i] = new double[v.length];
            for (int k = 0; k < v.length; k++) {
                rows[i][k] = v[k];
            }
        }
        return Features.ofRows("test", rows);
    }

    Features crops(List<TileInfo> list, Protocol p, long seed) {
        CropPositions.Crop[] crops = CropPositions.draw(seed, list.size(), 64, 64, p.cropSize(), p.cropsPerTile());
        double[][] rows = new double[crops.length][];
        for (int j = 0; j < crops.length; j++) {
            long tile = list.get(crops[j].tile()).id();
            float[] v = store.features(extractor.id(), EvaluationJob.cropKey(crops[j]), List.of(tile))
                    .get(tile);
            rows[j] = new double[v.length];
            for (int k = 0; k < v.length; k++) {
                rows[j][k] = v[k];
            }
        }
        return Features.ofRows("test", rows);
    }

    double[][] stain(List<TileInfo> list) {
        double[][] out = new double[2][list.size()];
        for (int i = 0; i < list.size(); i++) {
            QualityMeasures q = QualityMeasures.of(
                    tiles.read(list.get(i).archiveId(), list.get(i).index()));
            out[0][i] = q.dabPositiveFraction();
            out[1][i] = q.meanDab();
        }
        return out;
    }

    @Test
    void tooFewTilesForTheKidSubsetSizeIsRefusedBeforeAnythingIsStored() {
        long before = evaluations.count();
        assertThatThrownBy(() -> new Protocol(12, 2, 32, 2, List.of(0L), 4, 20, 5))
                .hasMessageContaining("Too few tiles for KID")
                .hasMessageContaining("20");
        assertThatThrownBy(() -> evaluations.create(
                        "too many",
                        real,
                        List.of(remap.id()),
                        extractor.id(),
                        new Protocol(40, 2, 32, 2, List.of(0L), 4, 20, 5),
                        "test"))
                .hasMessageContaining("Too few tiles in 'Eval CK7'");
        assertThatThrownBy(() -> evaluations.create(
                        "crops too big",
                        real,
                        List.of(remap.id()),
                        extractor.id(),
                        new Protocol(12, 2, 128, 2, List.of(0L), 4, 6, 5),
                        "test"))
                .hasMessageContaining("do not fit");
        assertThat(evaluations.count()).isEqualTo(before);
    }

    /**
     * A 0..1 image stored as 8 bits used to be ingested and failed only at evaluation (the job's per-tile check, which
     * InputChecksTest covers and which stays for archives ingested before). Now the ingest refuses it with the reason,
     * so no tile of it is indexed and an evaluation against it is refused before anything is queued.
     */
    @Test
    void tilesGivenAsZeroToOneValuesAreRefusedAtIngestAndCannotBeEvaluated(@TempDir Path tmp) throws IOException {
        long floats = catalog.createDataset("Eval floats 0..1", Stain.IHC, "CK7", "test", 64, null, "test");
        Path f = tmp.resolve("ihc_51_1.npz");
        try (OutputStream out = Files.newOutputStream(f)) {
            NpzWriter.writePlain(
                    out,
                    "arr_0",
                    12,
                    64,
                    64,
                    i -> {
                        SplittableRandom r = new SplittableRandom(i);
                        byte[] px = new byte[64 * 64 * 3];
                        for (int k = 0; k < px.length; k++) {
                            px[k] = (byte) r.nextInt(2); // a 0..1 image stored as if it were 0..255
                        }
                        return new RgbTile(64, 64, px);
                    },
                    false);
        }
        try (InputStream in = Files.newInputStream(f)) {
            catalog.registerUpload(floats, "ihc_51_1.npz", in, "test");
        }
        GeneratedFixtures.await(
                "ingest", () -> catalog.archives(floats).stream().allMatch(a -> a.status() == ArchiveStatus.FAILED));
        assertThat(catalog.archives(floats).get(0).error())
                .contains("holds only the values 0 and 1")
                .contains("0..255 are expected");
        long before = evaluations.count();
        assertThatThrownBy(() ->
                        evaluations.create("floats", floats, List.of(remap.id()), extractor.id(), small(0), "test"))
                .hasMessage("'Eval floats 0..1' has no ingested archives.");
        assertThat(evaluations.count()).isEqualTo(before);
    }

    static byte[] npy(float[][] rows) {
        int n = rows.length;
        int d = rows[0].length;
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
        StringBuilder h = new StringBuilder(dict);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        out.write(h.length() & 0xFF);
        out.write(h.length() >> 8);
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.allocate(n * d * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : rows) {
            for (float v : r) {
                b.putFloat(v);
            }
        }
        out.writeBytes(b.array());
        return out.toByteArray();
    }

    @Test
    void uploadedFeaturesAreStoredUnlessTheyHoldNaN() throws Exception {
        Extractor other = extractors.register(
                new Extractors.NewExtractor("random8 for uploads", 16, 16, ResizeFilter.NONE, 1.0, 0.0, null, null, 8),
                null,
                null,
                model.toString().startsWith(catalog.allowedRoots().get(0).toString())
                        ? model.toString()
                        : copyToAllowed().toString(),
                "test");
        assertThat(other.source()).isEqualTo("PATH");
        List<TileInfo> two = tiles.tiles(catalog.archives(real).get(0).id()).subList(0, 2);
        String ids = two.get(0).id() + "\n" + two.get(1).id();
        float[][] good = {{1, 2, 3, 4, 5, 6, 7, 8}, {8, 7, 6, 5, 4, 3, 2, 1}};
        float[][] bad = {{1, 2, 3, 4, 5, 6, 7, 8}, {8, 7, Float.NaN, 5, 4, 3, 2, 1}};
        mvc.perform(multipart("/evaluations/extractors/" + other.id() + "/features")
                        .file(new MockMultipartFile("features", "f.npy", "application/octet-stream", npy(bad)))
                        .param("tileIds", ids)
                        .with(user("mo").roles("MEMBER"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", Matchers.containsString("finite")));
        assertThat(store.countFeatures(other.id())).isZero();
        assertThatThrownBy(() -> extractors.uploadFeatures(
                        other.id(),
                        new ByteArrayInputStream(npy(good)),
                        "" + two.get(0).id(),
                        "t"))
                .hasMessageContaining("2 rows but 1 tile ids");
        assertThat(extractors.uploadFeatures(other.id(), new ByteArrayInputStream(npy(good)), ids, "test"))
                .isEqualTo(2);
        assertThat(store.features(other.id(), "full", List.of(two.get(1).id()))
                        .get(two.get(1).id()))
                .containsExactly(good[1]);
    }

    Path copyToAllowed() throws IOException {
        Path dir = catalog.allowedRoots().get(0).resolve("models");
        Files.createDirectories(dir);
        Path f = dir.resolve("random8.onnx");
        Files.copy(model, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return f;
    }

    @Test
    void anExtractorWhoseOutputIsNotTheDeclaredSizeIsRefusedAndNothingKept() throws Exception {
        int before = extractors.all().size();
        mvc.perform(multipart("/evaluations/extractors")
                        .file(new MockMultipartFile(
                                "model", "random8.onnx", "application/octet-stream", Files.readAllBytes(model)))
                        .param("name", "wrong dim")
                        .param("inputHeight", "16")
                        .param("inputWidth", "16")
                        .param("filter", "TF1_BILINEAR")
                        .param("scale", "0.0078125")
                        .param("offset", "-1")
                        .param("outputDim", "2048")
                        .with(user("mo").roles("MEMBER"))
                        .with(csrf()))
                .andExpect(flash().attribute(
                                "error", Matchers.containsString("gives 8 features per tile, not the declared 2048")));
        mvc.perform(multipart("/evaluations/extractors")
                        .file(new MockMultipartFile(
                                "model", "junk.onnx", "application/octet-stream", "not a model".getBytes()))
                        .param("name", "junk")
                        .param("inputHeight", "16")
                        .param("inputWidth", "16")
                        .param("filter", "NONE")
                        .param("scale", "1")
                        .param("offset", "0")
                        .param("outputDim", "8")
                        .with(user("mo").roles("MEMBER"))
                        .with(csrf()))
                .andExpect(flash().attribute(
                                "error", Matchers.containsString("cannot be used as an ONNX feature extractor")));
        assertThat(extractors.all()).hasSize(before);
        try (var files = Files.list(Path.of(extractor.path()).getParent())) {
            assertThat(files.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }
        String page = mvc.perform(
                        get("/evaluations/extractors").with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(page)
                .contains("random8")
                .contains(extractor.shortSha())
                .contains("id=\"fid-unknown\"")
                // issue 18: what a user can do, nothing about code
                .contains("register the standard export")
                .doesNotContain("StandardExtractors")
                .doesNotContain("constant");
    }

    @Test
    void theLabSheetImportsAsALabelledEvaluationWithSummariesFromItsSeedRows() throws Exception {
        Path sheet = Path.of("..", "shared", "data", "lab", "quantitative_results.xlsx");
        // two of the sheet's model folders are epochs of one tracked LoRA run here
        checkpoints.register(
                new Checkpoints.NewCheckpoint(
                        "mist_pr", null, "mist_pr", 16, 32.0, null, "run-lora-7", 20, null, null, null),
                null,
                null,
                null,
                "mo");
        checkpoints.register(
                new Checkpoints.NewCheckpoint(
                        "mist_er", null, "mist_er", 16, 32.0, null, "run-lora-7", 10, null, null, null),
                null,
                null,
                null,
                "mo");
        String location = mvc.perform(multipart("/evaluations/import")
                        .file(new MockMultipartFile(
                                "sheet",
                                "quantitative_results.xlsx",
                                "application/octet-stream",
                                Files.readAllBytes(sheet)))
                        .with(user("mo").roles("MEMBER"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        Evaluation e = evaluations.find(id).orElseThrow();
        assertThat(e.imported()).isTrue();
        assertThat(e.protocol())
                .contains("IMPORTED")
                .contains("kid_subsets=50")
                .contains("kid_subset_size=100")
                .contains("crop_size=256");
        Evaluations.Comparison c = evaluations.comparison(id);
        assertThat(c.rows())
                .extracting(r -> r.subject().label())
                .containsExactlyInAnyOrder(
                        "CUSTOM_NPZ_CK7_lora_20", "CUSTOM_NPZ_CK7_lora_20_noFlow", "mist_er", "mist_pr");
        assertThat(c.metrics()).containsExactly(Metric.FID, Metric.KID_MEAN, Metric.KID_STD, Metric.CROP_FID);
        Evaluations.Row lora = c.rows().stream()
                .filter(r -> r.subject().label().equals("CUSTOM_NPZ_CK7_lora_20"))
                .findFirst()
                .orElseThrow();
        // the sheet's own summary rows (summary_mean / summary_std, std with n - 1) for CropFID
        assertThat(lora.get(Metric.CROP_FID).n()).isEqualTo(5);
        assertThat(lora.get(Metric.CROP_FID).mean()).isCloseTo(116.5616912841797, within(116.56 * SHEET_REL));
        assertThat(lora.get(Metric.CROP_FID).std()).isCloseTo(1.1631591072691601, within(1.16 * SHEET_REL));
        assertThat(lora.seedList()).containsExactly(0L, 1L, 2L, 3L, 4L);
        // its FID summary row says 0 while every seed row says 154.07: recorded, not copied
        assertThat(lora.get(Metric.FID).mean()).isCloseTo(154.0723571777344, within(1e-6));
        assertThat(e.protocolLines().get("sheet_summary_disagreements"))
                .contains("CUSTOM_NPZ_CK7_lora_20 FID: sheet mean 0.0");
        // best CropFID: lora_20 (116.56) beats mist_pr (126.35)
        assertThat(c.isBest(lora, Metric.CROP_FID)).isTrue();
        // grouped by training run, the run's checkpoints by epoch; the metric-by-epoch chart gets that run
        assertThat(c.rows().get(0).group()).isEqualTo("run-lora-7");
        assertThat(c.epochRuns().get("run-lora-7"))
                .extracting(r -> r.subject().label())
                .containsExactly("mist_er", "mist_pr");
        Map<String, Object> chart = EvaluationController.chartData(c);
        assertThat(chart.get("runs").toString()).contains("run-lora-7").contains("epochs=[10, 20]");

        String html = mvc.perform(get(location).with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(html)
                .contains("id=\"imported-label\"")
                .contains("id=\"comparison\"")
                .contains("116.56")
                .contains("<nav")
                .contains("id=\"epoch-chart\"")
                .contains("id=\"metric-chart\"");
        String fragment = mvc.perform(get(location)
                        .header("HX-Request", "true")
                        .with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Refresh", "true"))
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(fragment).contains("id=\"eval-status\"").doesNotContain("id=\"nav\"");
        String csv = mvc.perform(get(location + "/export.csv").with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(csv.lines().filter(l -> !l.startsWith("#")).toList()).hasSize(5);
        assertThat(csv).contains("crop_fid_mean").contains("CUSTOM_NPZ_CK7_lora_20,");
        String tex = mvc.perform(get(location + "/export.tex").with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(tex)
                .contains("\\begin{tabular}{lcccc}")
                .contains("CUSTOM\\_NPZ\\_CK7\\_lora\\_20 &")
                .contains("\\mathbf{116.56 \\pm 1.16}")
                .contains("over 5 seeds")
                .contains("imported");
        String list = mvc.perform(get("/evaluations").with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(list)
                .contains("quantitative_results.xlsx")
                .contains("imported")
                .contains("<nav");
        String listFragment = mvc.perform(get("/evaluations")
                        .header("HX-Request", "true")
                        .with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(listFragment).contains("quantitative_results.xlsx").doesNotContain("id=\"nav\"");
    }

    /**
     * Issue 16, deliverable 4: under the default ("first tiles") protocol FID and the stain distances do not depend on
     * the seed, so they are one value marked seed-invariant, never "± 0.0000, n=2"; CropFID (crops drawn per seed)
     * keeps its spread. Two baselines with identical parameters give identical stain distances: a tie, both rows
     * marked best. KID std (a dispersion) is never marked best; the page notes that KID can be negative.
     */
    @Test
    void seedInvariantValuesAreOneValueTiesAreAllMarkedAndKidStdIsNeverBest() throws Exception {
        Checkpoint twin =
                checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "eval remap twin", null, 1.0, 1.0, null, "test");
        checkpoints.applyBaseline(twin.id(), he, "test");
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, twin.id());
        GeneratedSet twinSet = checkpoints.sets(twin.id()).get(0);
        Evaluation e = evaluations.create(
                "twins", real, List.of(remap.id(), twinSet.id()), extractor.id(), small(0, 1), "test");
        GeneratedFixtures.await("evaluation twins", () -> List.of("DONE", "FAILED")
                .contains(evaluations.find(e.id()).orElseThrow().status()));
        assertThat(evaluations.find(e.id()).orElseThrow().status()).isEqualTo("DONE");

        Evaluations.Comparison c = evaluations.comparison(e.id());
        assertThat(c.rows()).hasSize(2);
        for (Evaluations.Row r : c.rows()) {
            // the model: FID and the stain distances are the same for both seeds (computed once per side), CropFID is
            // not
            assertThat(r.cell(Metric.FID).seedInvariant()).isTrue();
            assertThat(r.cell(Metric.FID).shownStd()).isNull();
            assertThat(r.cell(Metric.W1_DAB_FRACTION).seedInvariant()).isTrue();
            assertThat(r.cell(Metric.CROP_FID).seedInvariant()).isFalse();
            assertThat(r.cell(Metric.CROP_FID).shownStd()).isNotNull();
            // identical generated tiles: the stain distances tie, and every tied row is best
            assertThat(c.isBest(r, Metric.W1_DAB_FRACTION)).isTrue();
            assertThat(r.cell(Metric.W1_DAB_FRACTION).best()).isTrue();
            // the dispersion column is never ranked
            assertThat(c.isBest(r, Metric.KID_STD)).isFalse();
            assertThat(r.cell(Metric.KID_STD).best()).isFalse();
            assertThat(r.cell(Metric.KID_STD).ranked()).isFalse();
        }
        assertThat(c.notes()).anyMatch(n -> n.contains("can come out negative"));
        // the plain table other modules (reports) read carries the same flags
        ComparisonTable t = evaluations.table(e.id());
        assertThat(t.lines())
                .allMatch(l -> l.get(Metric.FID).seedInvariant()
                        && !l.get(Metric.KID_STD).best()
                        && l.get(Metric.W1_DAB_FRACTION).best());
        assertThat(t.lines().get(0).get(Metric.FID).text())
                .endsWith("(seed-invariant)")
                .doesNotContain("±");
        // the charts' JSON exposes the flag
        Map<String, Object> chart = EvaluationController.chartData(c);
        assertThat(chart.get("metrics").toString()).contains("key=fid").contains("seed_invariant=[true, true]");

        // the page: one value with the mark and its explanation, no "± 0.0000", KID std not ranked, the KID note
        String html = mvc.perform(get("/evaluations/" + e.id()).with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(html)
                .contains("class=\"pill seed-invariant\"")
                .contains("title=\"Every seed gave the same value")
                .doesNotContain("± 0.0000")
                .contains("KID std (subsets) (not ranked)")
                .contains("id=\"kid-note\"")
                .contains("not better than perfect");
        long marked = html.split("class=\"best-mark\"", -1).length - 1;
        long expected =
                c.best().values().stream().mapToLong(java.util.Set::size).sum();
        assertThat(marked).isEqualTo(expected);
        // the LaTeX export marks it with a dagger instead of "\\pm 0.0000"
        assertThat(evaluations.latex(e.id())).contains("^{\\dagger}").doesNotContain("\\pm 0.0000");
    }
}
