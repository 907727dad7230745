package org.stainbench.review.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each statistic against a published worked example (source cited) and against scikit-learn / statsmodels /
 * scipy values written by src/test/python/review_stats_reference.py.
 */
class ReviewStatsTest {

    /** Published examples are printed to 3 or 4 decimals. */
    static final double PUBLISHED_3DP = 5e-4;

    static final double PUBLISHED_4DP = 5e-5;
    /** Library values: same formula, different summation order. */
    static final double LIBRARY = 1e-12;

    final JsonNode expected = load();

    static JsonNode load() {
        try (InputStream in = ReviewStatsTest.class.getResourceAsStream("/review/stats_expected.json")) {
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    /**
     * Wikipedia, "Cohen's kappa", worked example: 50 applications, both "yes" 20, A yes / B no 5, A no / B yes 10,
     * both "no" 15: p_o = 0.7, p_e = 0.5, kappa = 0.4. Then {@code sklearn.metrics.cohen_kappa_score}.
     */
    @Test
    void cohenAndWeightedKappa() {
        int[] a = new int[50];
        int[] b = new int[50];
        for (int i = 0; i < 50; i++) {
            a[i] = i < 25 ? 1 : 0;
            b[i] = i < 20 || (i >= 25 && i < 35) ? 1 : 0;
        }
        assertThat(Agreement.cohenKappa(a, b)).isCloseTo(0.4, within(1e-12));
        JsonNode k = expected.get("kappa");
        int[] x = ints(k.get("a"));
        int[] y = ints(k.get("b"));
        int[] cats = {1, 2, 3, 4, 5};
        assertThat(Agreement.cohenKappa(x, y)).isCloseTo(k.get("cohen").asDouble(), within(LIBRARY));
        assertThat(Agreement.weightedKappa(x, y, cats, Agreement.Weights.LINEAR))
                .isCloseTo(k.get("linear").asDouble(), within(LIBRARY));
        assertThat(Agreement.weightedKappa(x, y, cats, Agreement.Weights.QUADRATIC))
                .isCloseTo(k.get("quadratic").asDouble(), within(LIBRARY));
        assertThatThrownBy(() -> Agreement.cohenKappa(new int[] {1}, new int[] {1, 2}))
                .hasMessageContaining("rated");
    }

    /**
     * Fleiss (1971) as worked in Wikipedia, "Fleiss' kappa": 10 subjects, 14 raters, 5 categories,
     * P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210. Then statsmodels' {@code fleiss_kappa(counts, 'fleiss')}.
     */
    @Test
    void fleissKappa() {
        int[][] table = {
            {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
            {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7}
        };
        assertThat(Agreement.fleissKappa(table)).isCloseTo(0.210, within(PUBLISHED_3DP));
        JsonNode f = expected.get("fleiss");
        int[][] counts = new int[f.get("counts").size()][];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = ints(f.get("counts").get(i));
        }
        assertThat(Agreement.fleissKappa(counts)).isCloseTo(f.get("kappa").asDouble(), within(LIBRARY));
    }

    /**
     * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 observers x 12 units example with
     * missing values: alpha = 0.743 (nominal), 0.815 (ordinal), 0.849 (interval).
     */
    @Test
    void krippendorffAlphaWithMissingValues() {
        Integer n = null;
        Integer[][] data = {
            {1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n},
            {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3},
            {n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n},
            {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n}
        };
        assertThat(Krippendorff.alpha(data, Krippendorff.Level.NOMINAL)).isCloseTo(0.743, within(PUBLISHED_3DP));
        assertThat(Krippendorff.alpha(data, Krippendorff.Level.ORDINAL)).isCloseTo(0.815, within(PUBLISHED_3DP));
        assertThat(Krippendorff.alpha(data, Krippendorff.Level.INTERVAL)).isCloseTo(0.849, within(PUBLISHED_3DP));
    }

    /**
     * Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat Med 17:857, method 3
     * (Wilson score): 81/263 -> 0.2553-0.3662, 15/148 -> 0.0624-0.1605, 0/20 -> 0-0.1611, 1/29 -> 0.0061-0.1718.
     * Then statsmodels' {@code proportion_confint(k, n, alpha=0.05, method='wilson')}.
     */
    @Test
    void wilsonInterval() {
        double[][] published = {
            {81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}, {0, 20, 0.0, 0.1611}, {1, 29, 0.0061, 0.1718}
        };
        for (double[] p : published) {
            Proportions.Interval i = Proportions.wilson((long) p[0], (long) p[1]);
            assertThat(i.low()).isCloseTo(p[2], within(PUBLISHED_4DP));
            assertThat(i.high()).isCloseTo(p[3], within(PUBLISHED_4DP));
        }
        for (JsonNode w : expected.get("wilson")) {
            Proportions.Interval i =
                    Proportions.wilson(w.get("k").asLong(), w.get("n").asLong());
            assertThat(i.low()).isCloseTo(w.get("low").asDouble(), within(LIBRARY));
            assertThat(i.high()).isCloseTo(w.get("high").asDouble(), within(LIBRARY));
        }
    }

    /** {@code scipy.stats.binomtest(k, n, 0.5).pvalue}, two-sided; e.g. 7 of 10 gives 0.34375 exactly. */
    @Test
    void exactBinomialTestAgainstHalf() {
        assertThat(Proportions.binomialTestHalf(7, 10)).isCloseTo(0.34375, within(1e-14));
        for (JsonNode b : expected.get("binom")) {
            double want = b.get("p").asDouble();
            assertThat(Proportions.binomialTestHalf(
                            b.get("k").asLong(), b.get("n").asLong()))
                    .as(b.toString())
                    .isCloseTo(want, within(1e-10 * Math.max(want, 1e-300)));
        }
    }

    /**
     * Percentile bootstrap of a mean against {@code scipy.stats.bootstrap(..., method='percentile')} with 20,000
     * resamples: different random streams, so the ends agree to Monte Carlo error (a fifth of the bootstrap
     * standard error); same seed gives the same interval.
     */
    @Test
    void bootstrapInterval() {
        JsonNode b = expected.get("bootstrap");
        double[] x = new double[b.get("x").size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = b.get("x").get(i).asDouble();
        }
        Proportions.Interval i = Bootstrap.meanInterval(x, 20000, 0.95, 3);
        double tol = 0.2 * b.get("se").asDouble();
        assertThat(i.low()).isCloseTo(b.get("low").asDouble(), within(tol));
        assertThat(i.high()).isCloseTo(b.get("high").asDouble(), within(tol));
        assertThat(Bootstrap.meanInterval(x, 20000, 0.95, 3)).isEqualTo(i);
        assertThat(Bootstrap.meanInterval(x, 20000, 0.95, 4)).isNotEqualTo(i);
    }
}
