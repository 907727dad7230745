package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.evaluation.metrics.SeedSummary;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.tiles.SyntheticTiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 16, generation seeds: sets of one checkpoint on one source with sampling seeds 1, 2, 3 are registered (a
 * repeated seed is refused), evaluated together, and grouped as replicates: mean ± sample std over generation seeds of
 * each set's mean over evaluation seeds, with n per level, on the page, in the CSV and LaTeX exports and in the API's
 * detail.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class GenerationSeedsTest {

    @Autowired
    Evaluations evaluations;

    @Autowired
    Extractors extractors;

    @Autowired
    EvaluationStore store;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Test
    void setsWithDifferentSamplingSeedsAreReplicatesOfTheirCheckpoint(@TempDir Path tmp) throws Exception {
        long real = GeneratedFixtures.dataset(
                catalog,
                "Seeds CK7",
                Stain.IHC,
                tmp.resolve("ck7"),
                List.of("ihc_31_1.npz", "ihc_32_1.npz"),
                8,
                64,
                170);
        long he = GeneratedFixtures.dataset(
                catalog,
                "Seeds H&E",
                Stain.HE,
                tmp.resolve("he"),
                List.of("he_41_1.npz", "he_42_1.npz", "he_43_1.npz"),
                6,
                64,
                180);
        Checkpoint m = checkpoints.register(
                new Checkpoints.NewCheckpoint(
                        "seeded-ck", null, "none", null, null, null, null, null, null, null, null),
                null,
                null,
                null,
                "mo");
        List<GeneratedSet> sets = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            Path folder = catalog.allowedRoots().get(0).resolve("seeded-" + seed);
            for (String sfx : List.of("41_1", "42_1", "43_1")) {
                GeneratedFixtures.archive(
                        folder,
                        "ihc_" + sfx + ".npz",
                        SyntheticTiles.Stain.CK7,
                        6,
                        64,
                        1000 * seed + sfx.hashCode() % 100);
            }
            sets.add(checkpoints.registerGenerated(m.id(), he, folder.toString(), seed, "mo"));
        }
        assertThat(sets).extracting(GeneratedSet::samplingSeed).containsExactly(1L, 2L, 3L);
        assertThat(catalog.dataset(sets.get(1).datasetId()).orElseThrow().name())
                .isEqualTo("seeded-ck on Seeds H&E, sampling seed 2");
        int datasets = catalog.datasets().size();
        Path again = catalog.allowedRoots().get(0).resolve("seeded-2");
        assertThatThrownBy(() -> checkpoints.registerGenerated(m.id(), he, again.toString(), 2L, "mo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already been applied to 'Seeds H&E' with sampling seed 2");
        assertThat(checkpoints.sets(m.id())).hasSize(3);
        assertThat(catalog.datasets()).hasSize(datasets);
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, m.id());

        Path model = tmp.resolve("random8.onnx");
        try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
            Files.copy(in, model);
        }
        Extractor extractor;
        try (InputStream in = Files.newInputStream(model)) {
            extractor = extractors.register(
                    new Extractors.NewExtractor(
                            "random8-seeds",
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
        Evaluation e = evaluations.create(
                "generation seeds",
                real,
                sets.stream().map(GeneratedSet::id).toList(),
                extractor.id(),
                EvaluationsTest.small(0, 1),
                "test");
        GeneratedFixtures.await("evaluation generation seeds", () -> List.of("DONE", "FAILED")
                .contains(evaluations.find(e.id()).orElseThrow().status()));
        Evaluation done = evaluations.find(e.id()).orElseThrow();
        assertThat(done.status()).as(done.error()).isEqualTo("DONE");

        List<Evaluations.Replicate> replicates = evaluations.replicates(e.id());
        assertThat(replicates).hasSize(1);
        Evaluations.Replicate r = replicates.get(0);
        assertThat(r.checkpointId()).isEqualTo(m.id());
        assertThat(r.generationSeeds()).containsExactly(1L, 2L, 3L);
        assertThat(r.nText()).isEqualTo("n = 3 generation seeds × 2 evaluation seeds");

        // the reference: the stored per-set means (over evaluation seeds), then mean and sample std over the 3 sets
        Map<Long, Map<Metric, SeedSummary>> stored = store.summaries(e.id());
        List<Subject> subjects = store.subjects(e.id());
        assertThat(subjects).hasSize(3);
        assertThat(subjects)
                .extracting(Subject::label)
                .containsExactly(
                        "seeded-ck on Seeds H&E (sampling seed 1)",
                        "seeded-ck on Seeds H&E (sampling seed 2)",
                        "seeded-ck on Seeds H&E (sampling seed 3)");
        for (Metric metric : List.of(Metric.FID, Metric.KID_MEAN)) {
            double[] means = subjects.stream()
                    .mapToDouble(s -> stored.get(s.id()).get(metric).mean())
                    .toArray();
            assertThat(subjects)
                    .allSatisfy(
                            s -> assertThat(stored.get(s.id()).get(metric).n()).isEqualTo(2));
            double mean = (means[0] + means[1] + means[2]) / 3;
            double ss = 0;
            for (double x : means) {
                ss += (x - mean) * (x - mean);
            }
            double std = Math.sqrt(ss / 2);
            SeedSummary g = r.get(metric);
            assertThat(g.n()).isEqualTo(3);
            assertThat(g.mean()).isCloseTo(mean, within(1e-12 * Math.max(1, Math.abs(mean))));
            assertThat(g.std()).isCloseTo(std, within(1e-12 * Math.max(1, std)));
            assertThat(std).isGreaterThan(0);
        }

        String page = mvc.perform(get("/evaluations/" + e.id()).with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(page)
                .contains("id=\"replicates\"")
                .contains("n = 3 generation seeds × 2 evaluation seeds")
                .contains(r.text(Metric.FID));
        // the exports carry the replicate row: CSV (same columns, n = generation seeds, per-level n in its own columns)
        String csv = mvc.perform(get("/evaluations/" + e.id() + "/export.csv")
                        .with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(csv).isEqualTo(evaluations.csv(e.id()));
        List<String> lines = csv.lines().filter(l -> !l.startsWith("#")).toList();
        List<String> head = List.of(lines.get(0).split(",", -1));
        assertThat(head).endsWith("row_type", "generation_seeds", "evaluation_seeds_per_set");
        assertThat(lines).hasSize(1 + 3 + 1);
        assertThat(lines.subList(1, 4)).allSatisfy(l -> assertThat(l).endsWith(",set,,"));
        List<String> rep = List.of(lines.get(4).split(",", -1));
        assertThat(rep).hasSize(head.size());
        assertThat(rep.get(head.indexOf("group"))).isEqualTo("replicates over generation seeds");
        assertThat(rep.get(head.indexOf("subject"))).isEqualTo("seeded-ck on Seeds H&E");
        assertThat(rep.get(head.indexOf("checkpoint_id"))).isEqualTo(Long.toString(m.id()));
        assertThat(rep.get(head.indexOf("row_type"))).isEqualTo("replicate");
        assertThat(rep.get(head.indexOf("generation_seeds"))).isEqualTo("1 2 3");
        assertThat(rep.get(head.indexOf("evaluation_seeds_per_set"))).isEqualTo("2");
        for (Metric metric : List.of(Metric.FID, Metric.KID_MEAN)) {
            SeedSummary g = r.get(metric);
            assertThat(Double.parseDouble(rep.get(head.indexOf(metric.key() + "_mean"))))
                    .isEqualTo(g.mean());
            assertThat(Double.parseDouble(rep.get(head.indexOf(metric.key() + "_std"))))
                    .isEqualTo(g.std());
            assertThat(rep.get(head.indexOf(metric.key() + "_n"))).isEqualTo("3");
            assertThat(Double.parseDouble(rep.get(head.indexOf(metric.key() + "_ci95_low"))))
                    .isEqualTo(g.ciLow());
        }
        // LaTeX: a replicate block after the sets' rows with n per level, never bold
        String tex = mvc.perform(get("/evaluations/" + e.id() + "/export.tex")
                        .with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        String fidCell = Evaluations.number(
                        r.get(Metric.FID).mean(), r.get(Metric.FID).mean()) + " \\pm "
                + Evaluations.number(r.get(Metric.FID).std(), r.get(Metric.FID).mean());
        String texRow = tex.lines()
                .filter(l -> l.startsWith("seeded-ck on Seeds H\\&E ($n_g = 3$"))
                .findFirst()
                .orElseThrow();
        assertThat(texRow)
                .startsWith("seeded-ck on Seeds H\\&E ($n_g = 3$, $n_e = 2$)")
                .contains("$" + fidCell + "$")
                .doesNotContain("mathbf");
        assertThat(tex.indexOf("Replicates over generation seeds"))
                .isGreaterThan(tex.indexOf("(sampling seed 3)"))
                .isLessThan(tex.indexOf("\\bottomrule"));

        // the API detail: the replicate with per-set means in seed order and the summary over generation seeds
        accounts.createAccount("seeds-sup", Role.SUPERVISOR, "Heron-Quartz-7741");
        String token = accounts.issueApiToken("seeds reader", "seeds-sup");
        JsonNode d = JsonMapper.builder()
                .build()
                .readTree(mvc.perform(get("/api/evaluations/" + e.id()).header("Authorization", "Bearer " + token))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString());
        assertThat(d.get("replicates")).hasSize(1);
        JsonNode jr = d.get("replicates").get(0);
        assertThat(jr.get("checkpoint_id").asLong()).isEqualTo(m.id());
        assertThat(jr.get("source_dataset_id").asLong()).isEqualTo(he);
        assertThat(jr.get("generation_seeds").toString()).isEqualTo("[1,2,3]");
        assertThat(jr.get("evaluation_seeds_per_set").get("min").asInt()).isEqualTo(2);
        assertThat(jr.get("evaluation_seeds_per_set").get("max").asInt()).isEqualTo(2);
        JsonNode fid = jr.get("metrics").get("fid");
        assertThat(fid.get("n").asInt()).isEqualTo(3);
        assertThat(fid.get("mean").asDouble()).isEqualTo(r.get(Metric.FID).mean());
        assertThat(fid.get("std").asDouble()).isEqualTo(r.get(Metric.FID).std());
        assertThat(fid.get("t_interval").get("high").asDouble())
                .isEqualTo(r.get(Metric.FID).ciHigh());
        for (int k = 0; k < 3; k++) {
            assertThat(fid.get("set_means").get(k).asDouble())
                    .isEqualTo(stored.get(subjects.get(k).id()).get(Metric.FID).mean());
        }

        String ck = mvc.perform(get("/checkpoints/" + m.id()).with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(ck).contains("seed 1").contains("seed 2").contains("seed 3");
    }
}
