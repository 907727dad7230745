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
        assertThatThrownBy(() -> RankCorrelation.spearman(new double[] {1}, new double[] {1})).hasMessageContaining("2 pairs");
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
        assertThat(r.rho()).isCloseTo(RankCorrelation.spearman(metric, pooled), within(0.0)).isCloseTo(1.0, within(1e-12));
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
        double[] sorted = rhos.stream().mapToDouble(Double::doubleValue).sorted().toArray();
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
}
