package org.stainbench.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Stain distances, Student t and seed summaries against scipy (values from metrics_reference.py). */
class StatisticsReferenceTest {

    /** Sums of at most ~100 terms in a different order. */
    static final double DISTANCE_ABS = 1e-12;
    /** Quantile by bisection on a continued-fraction CDF. */
    static final double T_RELATIVE = 1e-10;

    final JsonNode expected = Fixtures.expected();

    /** Expected: {@code scipy.stats.wasserstein_distance(u, v)} and {@code scipy.stats.ks_2samp(u, v).statistic}. */
    @Test
    void stainDistancesMatchScipy() {
        JsonNode e = expected.get("stain");
        double[] u = Fixtures.doubles(e.get("u"));
        double[] v = Fixtures.doubles(e.get("v"));
        assertThat(StainDistances.wasserstein1(u, v))
                .isCloseTo(e.get("wasserstein").asDouble(), within(DISTANCE_ABS));
        assertThat(StainDistances.ksStatistic(u, v)).isCloseTo(e.get("ks").asDouble(), within(DISTANCE_ABS));
        assertThat(StainDistances.wasserstein1(u, u)).isZero();
        assertThat(StainDistances.ksStatistic(u, v)).isEqualTo(StainDistances.ksStatistic(v, u));
    }

    /** Expected: {@code scipy.stats.t.ppf(0.975, df)}. */
    @Test
    void studentQuantilesMatchScipy() {
        Iterator<Map.Entry<String, JsonNode>> it =
                expected.get("t975").properties().iterator();
        int checked = 0;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            double df = Double.parseDouble(e.getKey());
            double want = e.getValue().asDouble();
            assertThat(StudentT.quantile(0.975, df)).as("df " + df).isCloseTo(want, within(T_RELATIVE * want));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
    }

    /**
     * Expected: {@code np.mean}, {@code np.std(ddof=1)} and
     * {@code scipy.stats.t.interval(0.95, n-1, loc=mean, scale=std/sqrt(n))} of five seed values.
     */
    @Test
    void seedSummaryMatchesScipy() {
        JsonNode e = expected.get("summary");
        SeedSummary s = SeedSummary.of(Fixtures.doubles(e.get("values")));
        assertThat(s.n()).isEqualTo(5);
        assertThat(s.mean()).isCloseTo(e.get("mean").asDouble(), within(1e-12));
        assertThat(s.std()).isCloseTo(e.get("std").asDouble(), within(1e-12));
        assertThat(s.ciLow()).isCloseTo(e.get("ci_low").asDouble(), within(1e-9));
        assertThat(s.ciHigh()).isCloseTo(e.get("ci_high").asDouble(), within(1e-9));
        SeedSummary one = SeedSummary.of(3.0);
        assertThat(one.std()).isNull();
        assertThat(one.ciLow()).isNull();
    }
}
