package org.stainbench.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.stainbench.support.Python;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Average ranks, Spearman's rho and Kendall's tau-b equal {@code scipy.stats.rankdata}, {@code spearmanr} and
 * {@code kendalltau} (src/test/python/agreement_reference.py, run here), ties and constant sides included; the
 * bootstrap over checkpoints and raters follows its documented stream.
 */
class RankCorrelationTest {

    /** Same formula, different summation order. */
    static final double LIBRARY = 1e-12;

    static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    @Test
    void ranksRhoAndTauBEqualScipy() {
        JsonNode ref = JsonMapper.builder().build().readTree(Python.run("agreement_reference.py"));
        assertThat(ref.get("cases").size()).isGreaterThanOrEqualTo(14);
        int undefined = 0;
        for (JsonNode c : ref.get("cases")) {
            double[] x = doubles(c.get("x"));
            double[] y = doubles(c.get("y"));
            assertThat(RankCorrelation.ranks(x)).containsExactly(doubles(c.get("ranks_x")), within(0.0));
            double rho = RankCorrelation.spearman(x, y);
            double tau = RankCorrelation.kendallTauB(x, y);
            if (c.get("rho").isNull()) {
                undefined++;
                assertThat(rho).isNaN();
                assertThat(tau).isNaN();
                continue;
            }
            assertThat(rho).as("rho of %s", c).isCloseTo(c.get("rho").asDouble(), within(LIBRARY));
            assertThat(tau).as("tau of %s", c).isCloseTo(c.get("tau").asDouble(), within(LIBRARY));
        }
        assertThat(undefined).as("the constant case").isEqualTo(1);
        assertThatThrownBy(() -> RankCorrelation.spearman(new double[] {1}, new double[] {1}))
                .hasMessageContaining("2 pairs");
        assertThatThrownBy(() -> RankCorrelation.kendallTauB(new double[] {1, 2}, new double[] {1}))
                .hasMessageContaining("differ in length");
    }

    @Test
    void bootstrapOverCheckpointsAndRatersFollowsItsStream() {
        // 5 checkpoints, 3 raters; the metric orders them as the outcome does (higher outcome, higher metric)
        double[] metric = {1, 2, 3, 4, 5};
        double[][] sum = {{1, 0, 1}, {1, 1, 2}, {2, 2, 2}, {3, 2, 4}, {4, 4, 3}};
        int[][] count = {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}};
        RankCorrelation.Answers a = new RankCorrelation.Answers(sum, count, -1);
        RankCorrelation.Result r = RankCorrelation.bootstrap(metric, a, 500, 0.95, 16);
        assertThat(r.n()).isEqualTo(5);
        double[] pooled = {2 / 6.0, 4 / 6.0, 6 / 6.0, 9 / 6.0, 11 / 6.0};
        assertThat(r.rho())
                .isCloseTo(RankCorrelation.spearman(metric, pooled), within(0.0))
                .isCloseTo(1.0, within(1e-12));
        assertThat(r.tau()).isCloseTo(1.0, within(1e-12));
        assertThat(r.rhoInterval().low()).isLessThanOrEqualTo(r.rhoInterval().high());
        assertThat(r.rhoInterval().high()).isLessThanOrEqualTo(1.0 + 1e-12);
        assertThat(r.rhoInterval().defined()).isLessThanOrEqualTo(500).isGreaterThan(250);

        // the documented stream, re-implemented: n checkpoint draws, then R rater draws, per resample
        java.util.SplittableRandom rng = new java.util.SplittableRandom(16);
        java.util.List<Double> rhos = new java.util.ArrayList<>();
        for (int b = 0; b < 500; b++) {
            int[] c = new int[5];
            for (int i = 0; i < 5; i++) {
                c[i] = rng.nextInt(5);
            }
            int[] rs = new int[3];
            for (int i = 0; i < 3; i++) {
                rs[i] = rng.nextInt(3);
            }
            double[] m = new double[5];
            double[] o = new double[5];
            for (int i = 0; i < 5; i++) {
                m[i] = metric[c[i]];
                double s = 0;
                int k = 0;
                for (int q : rs) {
                    s += sum[c[i]][q];
                    k += count[c[i]][q];
                }
                o[i] = s / k;
            }
            double x = RankCorrelation.spearman(m, o);
            if (!Double.isNaN(x)) {
                rhos.add(x);
            }
        }
        double[] sorted =
                rhos.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        assertThat(r.rhoInterval().defined()).isEqualTo(sorted.length);
        assertThat(r.rhoInterval().low()).isEqualTo(RankCorrelation.quantile(sorted, 0.025));
        assertThat(r.rhoInterval().high()).isEqualTo(RankCorrelation.quantile(sorted, 0.975));
        // same seed, same interval
        assertThat(RankCorrelation.bootstrap(metric, a, 500, 0.95, 16)).isEqualTo(r);

        // a reference row (the real control tiles): the outcome is the distance of each checkpoint's mean to theirs
        double[][] sum2 = {{0, 0}, {2, 2}, {3, 3}, {6, 6}};
        int[][] count2 = {{1, 1}, {1, 1}, {1, 1}, {2, 2}};
        RankCorrelation.Answers gap = new RankCorrelation.Answers(sum2, count2, 3);
        assertThat(gap.checkpoints()).isEqualTo(3);
        assertThat(gap.outcome(0, new int[] {0, 1})).isEqualTo(3.0);
        assertThat(gap.outcome(2, new int[] {0, 1})).isEqualTo(0.0);
    }

    /**
     * The bootstrap equals agreement_reference.py's numpy/scipy re-implementation of the documented stream (its port of
     * SplittableRandom, scipy's spearmanr / kendalltau per resample, numpy's percentile): a plain mean outcome, and a
     * marker-score distance to a reference row with ties and raters who skipped checkpoints (undefined resamples).
     */
    @Test
    void bootstrapEqualsTheNumpyReferenceOfItsStream(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        double[][] metrics = {{1, 2, 3, 4, 5}, {0.31, 0.12, 0.31, 0.55, 0.08, 0.2}};
        double[][][] sums = {
            {{1, 0, 1}, {1, 1, 2}, {2, 2, 2}, {3, 2, 4}, {4, 4, 3}},
            {{2, 3, 0, 1}, {6, 0, 3, 2}, {1, 1, 1, 0}, {4, 5, 2, 2}, {0, 2, 3, 3}, {3, 3, 0, 1}, {4, 6, 4, 2}}
        };
        int[][][] counts = {
            {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}},
            {{2, 2, 0, 1}, {3, 0, 2, 1}, {1, 1, 1, 0}, {2, 2, 1, 1}, {0, 1, 2, 2}, {2, 2, 0, 1}, {2, 3, 2, 1}}
        };
        int[] references = {-1, 6};
        long[] seeds = {16, -3};
        for (int k = 0; k < 2; k++) {
            java.util.Map<String, Object> spec = new java.util.LinkedHashMap<>();
            spec.put("metric", metrics[k]);
            spec.put("sum", sums[k]);
            spec.put("count", counts[k]);
            spec.put("reference", references[k]);
            spec.put("resamples", 400);
            spec.put("level", 0.95);
            spec.put("seed", seeds[k]);
            java.nio.file.Path in = tmp.resolve("spec" + k + ".json");
            java.nio.file.Files.writeString(in, json.writeValueAsString(spec));
            JsonNode ref = json.readTree(Python.run("agreement_reference.py", "bootstrap", in));
            RankCorrelation.Result r = RankCorrelation.bootstrap(
                    metrics[k], new RankCorrelation.Answers(sums[k], counts[k], references[k]), 400, 0.95, seeds[k]);
            assertThat(r.rho()).isCloseTo(ref.get("rho").asDouble(), within(LIBRARY));
            assertThat(r.tau()).isCloseTo(ref.get("tau").asDouble(), within(LIBRARY));
            for (String side : new String[] {"rho", "tau"}) {
                RankCorrelation.Interval i = side.equals("rho") ? r.rhoInterval() : r.tauInterval();
                JsonNode e = ref.get(side + "_interval");
                assertThat(i.defined())
                        .as(side + " defined resamples, case " + k)
                        .isEqualTo(e.get(2).asInt());
                assertThat(i.low())
                        .as(side + " low, case " + k)
                        .isCloseTo(e.get(0).asDouble(), within(LIBRARY));
                assertThat(i.high())
                        .as(side + " high, case " + k)
                        .isCloseTo(e.get(1).asDouble(), within(LIBRARY));
            }
            if (k == 1) {
                assertThat(r.rhoInterval().defined())
                        .as("some resamples undefined")
                        .isLessThan(400);
            }
        }
    }
}
