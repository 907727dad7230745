package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stainbench.support.Python;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SeedGroupsTest {

    /** Sums of a handful of doubles: agreement to the last few ulps. */
    private static final double TOL = 1e-12;

    private static final double[][] LOSS = {
        {0.90, 0.61, 0.42, 0.35},
        {0.95, 0.58, 0.47, 0.33},
        {0.88, 0.66, 0.40, Double.NaN}, // NaN: this seed has no step 3
    };

    static Tracking.Run run(String uuid, Map<String, String> params, double[] loss) {
        List<Tracking.Metric> latest = new ArrayList<>();
        for (int s = loss.length - 1; s >= 0; s--) {
            if (!Double.isNaN(loss[s])) {
                latest.add(new Tracking.Metric("loss", loss[s], 100 + s, s));
                break;
            }
        }
        var info = new Tracking.RunInfo(1, uuid, 0, uuid, "ann", "FINISHED", 0L, 1L, "active", "x");
        return new Tracking.Run(info, params, Map.of(), latest);
    }

    static List<Tracking.Metric> history(double[] loss) {
        List<Tracking.Metric> h = new ArrayList<>();
        for (int s = 0; s < loss.length; s++) {
            if (!Double.isNaN(loss[s])) {
                h.add(new Tracking.Metric("loss", loss[s], 100 + s, s));
            }
        }
        return h;
    }

    @Test
    void runsThatDifferOnlyBySeedFormOneGroup() {
        var a = run("a", Map.of("lr", "1e-4", "rank", "4", "seed", "0"), LOSS[0]);
        var b = run("b", Map.of("lr", "1e-4", "rank", "4", "seed", "1"), LOSS[1]);
        var c = run("c", Map.of("lr", "1e-4", "rank", "8", "seed", "0"), LOSS[2]);
        var groups = SeedGroups.group(List.of(a, b, c));
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).extracting(r -> r.info().uuid()).containsExactly("a", "b");
        assertThat(SeedGroups.differingParams(List.of(a, b, c))).containsOnlyKeys("rank", "seed");
    }

    @Test
    void curvesMatchNumpyMeanAndSampleStd() throws Exception {
        JsonNode ref = JsonMapper.builder().build().readTree(Python.run("seed_group_reference.py"));
        var curve = SeedGroups.curve(List.of(history(LOSS[0]), history(LOSS[1]), history(LOSS[2])));
        assertThat(curve).hasSize(4);
        for (int s = 0; s < 4; s++) {
            var p = curve.get(s).summary();
            assertThat(curve.get(s).step()).isEqualTo(s);
            assertThat(p.mean())
                    .as("mean at step %d", s)
                    .isCloseTo(ref.get("mean").get(s).asDouble(), within(TOL));
            assertThat(p.std())
                    .as("std at step %d", s)
                    .isCloseTo(ref.get("std").get(s).asDouble(), within(TOL));
            assertThat(p.n()).isEqualTo(ref.get("n").get(s).asInt());
        }
        var runs = List.of(run("a", Map.of(), LOSS[0]), run("b", Map.of(), LOSS[1]), run("c", Map.of(), LOSS[2]));
        var finals = SeedGroups.finals(runs).get("loss");
        assertThat(finals.mean()).isCloseTo(ref.get("final_mean").asDouble(), within(TOL));
        assertThat(finals.std()).isCloseTo(ref.get("final_std").asDouble(), within(TOL));
        assertThat(finals.n()).isEqualTo(3);
    }

    @Test
    void aSingleRunHasZeroSpread() {
        var s = SeedGroups.Summary.of(new double[] {0.5});
        assertThat(s.std()).isZero();
        assertThat(s.n()).isEqualTo(1);
        assertThat(SeedGroups.Summary.of(new double[] {Double.NaN}).n()).isZero();
    }
}
