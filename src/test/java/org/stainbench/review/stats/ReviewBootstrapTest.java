package org.stainbench.review.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.stainbench.support.Python;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agreement coefficients, their item bootstrap intervals and the two-way cluster bootstrap of pooled accuracy
 * against {@code src/test/python/review_bootstrap_reference.py}, which re-implements the documented streams
 * (SplitMix64 draws, resample layout, undefined resamples left out, np.percentile) and the coefficients with numpy
 * at test time.
 */
class ReviewBootstrapTest {

    /** Same formula, different summation order (numpy matrix products versus loops). */
    static final double POINT = 1e-12;
    /** Percentile of values that each differ by rounding only. */
    static final double INTERVAL = 1e-12;

    static final Path DIR = Python.fixtures("review_bootstrap_reference.py");
    static final JsonNode REF = reference();

    static JsonNode reference() {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(DIR.resolve("expected.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    final long seed = REF.get("seed").asLong();
    final int resamples = REF.get("resamples").asInt();

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    static void assertInterval(BootstrapInterval got, JsonNode expected, int resamples) {
        assertThat(got.resamples()).isEqualTo(resamples);
        assertThat(got.defined()).isEqualTo(expected.get("defined").asInt());
        assertThat(got.low()).isCloseTo(expected.get("low").asDouble(), within(INTERVAL));
        assertThat(got.high()).isCloseTo(expected.get("high").asDouble(), within(INTERVAL));
    }

    @Test
    void theItemResamplingStreamIsTheDocumentedOne() {
        JsonNode k = REF.get("kappa");
        int[][] plan = ItemBootstrap.plan(seed, resamples, k.get("a").size());
        assertThat(plan[0]).containsExactly(ints(k.get("plan_first")));
        assertThat(plan[resamples - 1]).containsExactly(ints(k.get("plan_last")));
    }

    @Test
    void cohenAndWeightedKappaAndTheirIntervalsEqualNumpy() {
        JsonNode k = REF.get("kappa");
        int[] a = ints(k.get("a"));
        int[] b = ints(k.get("b"));
        int[] cats = ints(k.get("categories"));
        for (Agreement.Weights w : Agreement.Weights.values()) {
            JsonNode e = k.get(w.name());
            assertThat(Agreement.weightedKappa(a, b, cats, w))
                    .as(w.name())
                    .isCloseTo(e.get("point").asDouble(), within(POINT));
            assertInterval(
                    ItemBootstrap.weightedKappa(a, b, cats, w, seed, resamples, 0.95), e.get("interval"), resamples);
        }
        assertThat(Agreement.cohenKappa(a, b))
                .isCloseTo(k.get("NONE").get("point").asDouble(), within(POINT));
    }

    @Test
    void undefinedResamplesAreLeftOutAndCounted() {
        JsonNode s = REF.get("sparse");
        int[] a = ints(s.get("a"));
        int[] b = ints(s.get("b"));
        assertThat(Agreement.cohenKappa(a, b)).isCloseTo(s.get("point").asDouble(), within(POINT));
        BootstrapInterval i =
                ItemBootstrap.weightedKappa(a, b, new int[] {0, 1}, Agreement.Weights.NONE, seed, resamples, 0.95);
        assertThat(i.defined()).isLessThan(resamples);
        assertInterval(i, s.get("interval"), resamples);
    }

    @Test
    void fleissKappaAndItsIntervalEqualNumpy() {
        JsonNode f = REF.get("fleiss");
        int[][] counts = new int[f.get("counts").size()][];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = ints(f.get("counts").get(i));
        }
        assertThat(Agreement.fleissKappa(counts)).isCloseTo(f.get("point").asDouble(), within(POINT));
        assertInterval(ItemBootstrap.fleissKappa(counts, seed, resamples, 0.95), f.get("interval"), resamples);
    }

    @Test
    void krippendorffAlphaWithMissingAnswersAndItsIntervalEqualNumpy() {
        JsonNode al = REF.get("alpha");
        JsonNode rows = al.get("data");
        Integer[][] data = new Integer[rows.size()][];
        for (int r = 0; r < data.length; r++) {
            data[r] = new Integer[rows.get(r).size()];
            for (int u = 0; u < data[r].length; u++) {
                data[r][u] =
                        rows.get(r).get(u).isNull() ? null : rows.get(r).get(u).asInt();
            }
        }
        for (Krippendorff.Level level : Krippendorff.Level.values()) {
            JsonNode e = al.get(level.name());
            assertThat(Krippendorff.alpha(data, level))
                    .as(level.name())
                    .isCloseTo(e.get("point").asDouble(), within(POINT));
            assertInterval(ItemBootstrap.alpha(data, level, seed, resamples, 0.95), e.get("interval"), resamples);
        }
    }

    @Test
    void twoWayClusterBootstrapOfPooledAccuracyEqualsNumpy() {
        JsonNode c = REF.get("cluster");
        JsonNode rows = c.get("correct");
        Boolean[][] correct = new Boolean[rows.size()][];
        for (int r = 0; r < correct.length; r++) {
            correct[r] = new Boolean[rows.get(r).size()];
            for (int i = 0; i < correct[r].length; i++) {
                correct[r][i] =
                        rows.get(r).get(i).isNull() ? null : rows.get(r).get(i).asBoolean();
            }
        }
        ClusterBootstrap.Plan plan = ClusterBootstrap.plan(seed, resamples, correct.length, correct[0].length);
        assertThat(plan.raters()[0]).containsExactly(ints(c.get("plan_first_raters")));
        assertThat(plan.items()[0]).containsExactly(ints(c.get("plan_first_items")));
        assertThat(plan.raters()[resamples - 1]).containsExactly(ints(c.get("plan_last_raters")));
        assertThat(plan.items()[resamples - 1]).containsExactly(ints(c.get("plan_last_items")));
        ClusterBootstrap.Result res = ClusterBootstrap.accuracy(correct, seed, resamples, 0.95);
        assertThat(res.correct()).isEqualTo(c.get("correct_count").asLong());
        assertThat(res.answered()).isEqualTo(c.get("answered").asLong());
        assertThat(res.estimate()).isCloseTo(c.get("point").asDouble(), within(POINT));
        assertInterval(res.interval(), c.get("interval"), resamples);
        // clustering widens the interval over the naive Wilson interval of the pooled count
        Proportions.Interval w = Proportions.wilson(res.correct(), res.answered());
        assertThat(res.interval().high() - res.interval().low()).isGreaterThan(w.high() - w.low());
        // same seed, same interval; another seed, another one
        assertThat(ClusterBootstrap.accuracy(correct, seed, resamples, 0.95)).isEqualTo(res);
        assertThat(ClusterBootstrap.accuracy(correct, seed + 1, resamples, 0.95).interval())
                .isNotEqualTo(res.interval());
    }

    @Test
    void medianAndQuartilesAreNumpys() {
        JsonNode q = REF.get("quantiles");
        double[] v = new double[q.get("values").size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = q.get("values").get(i).asDouble();
        }
        Quantiles.Summary s = Quantiles.summary(v);
        assertThat(s.median()).isCloseTo(q.get("median").asDouble(), within(POINT));
        assertThat(s.q1()).isCloseTo(q.get("q1").asDouble(), within(POINT));
        assertThat(s.q3()).isCloseTo(q.get("q3").asDouble(), within(POINT));
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> ItemBootstrap.plan(1, 1, 5)).hasMessageContaining("resamples");
        assertThatThrownBy(() -> ClusterBootstrap.accuracy(new Boolean[][] {{null}}, 1, 10, 0.95))
                .hasMessageContaining("no answers");
        assertThatThrownBy(() -> Quantiles.percentileInterval(new double[] {1, 2}, 1.5))
                .hasMessageContaining("level");
        assertThat(Quantiles.percentileInterval(new double[] {Double.NaN, 1}, 0.95)
                        .isDefined())
                .isFalse();
    }
}
