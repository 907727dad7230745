package org.stainbench.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.evaluation.Agreements;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Extractor;
import org.stainbench.evaluation.Extractors;
import org.stainbench.evaluation.Metric;
import org.stainbench.evaluation.Protocol;
import org.stainbench.evaluation.metrics.RankCorrelation;
import org.stainbench.evaluation.preprocess.ResizeFilter;

/**
 * "Which metric agrees with the pathologists?" end to end: a 2AFC session over the four checkpoints of an evaluation,
 * answered so that each checkpoint fools the raters a known share of the time; the evaluation page ranks the metrics
 * by Spearman's rho / Kendall's tau-b against those shares (oriented: +1 agrees), and a Likert session over three of
 * them says it needs at least 4 checkpoints.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricAgreementTest {

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
    Agreements agreements;

    @Autowired
    Reviews reviews;

    @Autowired
    ReviewStore store;

    @Autowired
    Accounts accounts;

    long he;
    long ck7;
    List<Long> cks = new ArrayList<>();
    List<Long> sets = new ArrayList<>();
    Extractor extractor;

    @BeforeAll
    void data(@TempDir Path tmp) throws IOException {
        he = GeneratedFixtures.dataset(
                catalog,
                "Agree H&E",
                Stain.HE,
                tmp.resolve("he"),
                List.of("he_710_1.npz", "he_720_1.npz", "he_730_1.npz"),
                6,
                64,
                1700);
        ck7 = GeneratedFixtures.dataset(
                catalog,
                "Agree CK7",
                Stain.IHC,
                tmp.resolve("ck7"),
                List.of("ihc_810_1.npz", "ihc_820_1.npz"),
                8,
                64,
                1800);
        double[][] gains = {{1.0, 1.0}, {1.0, 1.3}, {0.8, 1.0}, {1.2, 0.7}};
        for (int i = 0; i < gains.length; i++) {
            Checkpoint c = checkpoints.createBaseline(
                    CheckpointKind.STAIN_REMAP, "agree remap " + i, null, gains[i][0], gains[i][1], null, "test");
            checkpoints.applyBaseline(c.id(), he, "test");
            cks.add(c.id());
        }
        for (long id : cks) {
            GeneratedFixtures.awaitGenerated(checkpoints, catalog, id);
            sets.add(checkpoints.sets(id).get(0).id());
        }
        try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
            extractor = extractors.register(
                    new Extractors.NewExtractor(
                            "agree-random8",
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
        for (String u : List.of("ag-ana", "ag-ben")) {
            accounts.createAccount(u, Role.PATHOLOGIST, "Tulip-Quarry-4471");
        }
    }

    @Test
    void theEvaluationPageRanksTheMetricsByTheirAgreementWithThePathologists() throws Exception {
        Evaluation e = evaluations.create(
                "agree eval", ck7, sets, extractor.id(), new Protocol(12, 2, 32, 2, List.of(0L, 1L), 4, 6, 5), "test");
        GeneratedFixtures.await("evaluation", () -> List.of("DONE", "FAILED")
                .contains(evaluations.find(e.id()).orElseThrow().status()));
        assertThat(evaluations.find(e.id()).orElseThrow().status()).isEqualTo("DONE");

        // 2AFC, 3 pairs per checkpoint: checkpoint j fools ag-ana on j of its pairs and ag-ben on min(j + 1, 3) - 1
        List<String> raters = List.of("ag-ana", "ag-ben");
        ReviewSession s = reviews.create(
                new Reviews.NewSession(
                        "agree afc",
                        ReviewMode.TWO_AFC,
                        "Which is real?",
                        null,
                        false,
                        ReviewSession.RANDOM,
                        he,
                        cks,
                        3,
                        ck7,
                        0,
                        0,
                        21L,
                        raters),
                "test");
        java.util.Map<Long, ReviewItem> items = new java.util.HashMap<>();
        store.items(s.id()).forEach(i -> items.put(i.id(), i));
        double[][] fooled = new double[4][2];
        int[][] seen = new int[4][2];
        for (int r = 0; r < 2; r++) {
            List<RaterSequence.Step> steps = reviews.steps(s, raters.get(r));
            for (int k = 0; k < steps.size(); k++) {
                ReviewItem i = items.get(steps.get(k).itemId());
                int j = cks.indexOf(i.checkpointId());
                boolean fool = seen[j][r]++ < (r == 0 ? j : Math.max(0, j - 1) + (j == 3 ? 1 : 0));
                boolean left = Boolean.TRUE.equals(i.realLeft()) != fool; // fooled: picks the generated side
                reviews.answer(s, raters.get(r), k, left ? "LEFT" : "RIGHT", null, null, null, null);
                fooled[j][r] += fool ? 1 : 0;
            }
        }
        // Likert over three checkpoints only: too few to rank
        ReviewSession few = reviews.create(
                new Reviews.NewSession(
                        "agree likert",
                        ReviewMode.LIKERT,
                        "Score.",
                        "Pattern",
                        false,
                        ReviewSession.RANDOM,
                        he,
                        cks.subList(0, 3),
                        2,
                        ck7,
                        0,
                        0,
                        22L,
                        raters),
                "test");
        for (int k = 0; k < reviews.steps(few, "ag-ana").size(); k++) {
            reviews.answer(few, "ag-ana", k, null, null, List.of(1 + k % 5), null, null);
        }

        List<Agreements.OutcomeAgreement> section = agreements.of(e.id());
        assertThat(section).hasSize(2);
        Agreements.OutcomeAgreement afc = section.get(0);
        assertThat(afc.outcome()).isEqualTo("share of raters fooled");
        assertThat(afc.checkpoints()).isEqualTo(4);
        assertThat(afc.raters()).isEqualTo(2);
        assertThat(afc.note()).isNull();
        Agreements.OutcomeAgreement likert = section.get(1);
        assertThat(likert.note()).isEqualTo("needs at least 4 checkpoints (3 shared with this evaluation)");
        assertThat(likert.metrics()).isEmpty();

        // each metric: rho / tau-b of its per-checkpoint means against the pooled share fooled, negated (higher is
        // better)
        Evaluations.Comparison c = evaluations.comparison(e.id());
        double[] share = new double[4];
        for (int j = 0; j < 4; j++) {
            share[j] = (fooled[j][0] + fooled[j][1]) / (seen[j][0] + seen[j][1]);
        }
        assertThat(share).containsExactly(new double[] {0, 1 / 6.0, 3 / 6.0, 1}, within(1e-12));
        List<Metric> ranked = c.metrics().stream().filter(Metric::ranked).toList();
        assertThat(afc.metrics())
                .extracting(Agreements.MetricAgreement::metric)
                .containsExactlyInAnyOrderElementsOf(ranked);
        for (Agreements.MetricAgreement m : afc.metrics()) {
            double[] metric = new double[4];
            for (int j = 0; j < 4; j++) {
                long ck = cks.get(j);
                metric[j] = c.rows().stream()
                        .filter(r -> r.subject().checkpointId() == ck)
                        .findFirst()
                        .orElseThrow()
                        .mean(m.metric());
            }
            double rho = RankCorrelation.spearman(metric, share);
            if (Double.isNaN(rho)) {
                assertThat(m.rho()).isNull();
                continue;
            }
            assertThat(m.rawRho()).isEqualTo(rho);
            assertThat(m.rho()).isCloseTo(-rho, within(0.0));
            assertThat(m.tau()).isCloseTo(-RankCorrelation.kendallTauB(metric, share), within(0.0));
            assertThat(m.rhoInterval().low())
                    .isLessThanOrEqualTo(m.rhoInterval().high());
        }
        for (int k = 1; k < afc.metrics().size(); k++) {
            Double prev = afc.metrics().get(k - 1).rho();
            Double cur = afc.metrics().get(k).rho();
            assertThat(cur == null || (prev != null && prev >= cur))
                    .as("ranked best first")
                    .isTrue();
        }
        // same seed, same intervals
        assertThat(agreements.of(e.id())).isEqualTo(section);

        String html = mvc.perform(get("/evaluations/" + e.id()).with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(html)
                .contains("Which metric agrees with the pathologists?")
                .contains("id=\"agreement\"")
                .contains("href=\"/review/sessions/" + s.id() + "\"")
                .contains("needs at least 4 checkpoints (3 shared with this evaluation)")
                .contains("data-metric=\"" + afc.metrics().get(0).metric().key() + "\"");
    }
}
