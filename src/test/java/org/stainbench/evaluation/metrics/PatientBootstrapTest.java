package org.stainbench.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stainbench.support.Python;
import org.stainbench.tiles.Npy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The patient bootstrap, its paired difference and the stratified tile draw against
 * {@code src/test/python/bootstrap_reference.py}, which re-implements the documented streams with numpy/scipy
 * (FID by pytorch-fid's formula with scipy.linalg.sqrtm, intervals by np.percentile).
 */
class PatientBootstrapTest {

    static final Path DIR = Python.fixtures("bootstrap_reference.py");
    static final JsonNode REF = reference();

    static JsonNode reference() {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(DIR.resolve("expected.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Features npy(String name) {
        try (InputStream in = Files.newInputStream(DIR.resolve(name + ".npy"))) {
            Npy.Matrix m = Npy.readMatrix(in);
            return Features.of(name, m.rows(), m.cols(), m.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PatientBootstrap.Side side(String features, String patients) {
        Features f = npy(features);
        Features p = npy(patients);
        int[] labels = new int[p.samples()];
        int max = 0;
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) p.get(i, 0);
            max = Math.max(max, labels[i]);
        }
        return new PatientBootstrap.Side(f, labels, max + 1);
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    static void assertRelative(double actual, double expected, double rel) {
        assertThat(actual).isCloseTo(expected, within(rel * Math.max(1e-12, Math.abs(expected))));
    }

    final PatientBootstrap.Side real = side("real", "real_patients");
    final PatientBootstrap.Side genA = side("gen_a", "gen_patients");
    final PatientBootstrap.Side genB = side("gen_b", "gen_patients");
    final PatientBootstrap.Plan plan = PatientBootstrap.plan(
            REF.get("seed").asLong(), REF.get("resamples").asInt(), real.patients(), genA.patients());

    @Test
    void theResamplingStreamIsTheDocumentedOne() {
        assertThat(plan.real()[0]).containsExactly(ints(REF.get("plan_real_first")));
        assertThat(plan.generated()[0]).containsExactly(ints(REF.get("plan_gen_first")));
        int last = plan.resamples() - 1;
        assertThat(plan.real()[last]).containsExactly(ints(REF.get("plan_real_last")));
        assertThat(plan.generated()[last]).containsExactly(ints(REF.get("plan_gen_last")));
    }

    @Test
    void fidPerResampleAndItsIntervalEqualNumpy() {
        double[][] v = PatientBootstrap.values(real, List.of(genA, genB), plan, PatientBootstrap::fid, 2);
        double[] a = Fixtures.doubles(REF.get("fid_a"));
        double[] b = Fixtures.doubles(REF.get("fid_b"));
        for (int i = 0; i < a.length; i++) {
            assertRelative(v[0][i], a[i], 1e-9);
            assertRelative(v[1][i], b[i], 1e-9);
        }
        PatientBootstrap.Interval ia = PatientBootstrap.percentile(v[0], PatientBootstrap.LEVEL);
        assertRelative(ia.low(), REF.get("fid_a_interval").get(0).asDouble(), 1e-9);
        assertRelative(ia.high(), REF.get("fid_a_interval").get(1).asDouble(), 1e-9);
        assertThat(ia.resamples()).isEqualTo(60);
        // the paired difference: the same resamples for both generated sets
        PatientBootstrap.Interval d = PatientBootstrap.difference(v[0], v[1], PatientBootstrap.LEVEL);
        assertRelative(d.low(), REF.get("diff_interval").get(0).asDouble(), 1e-8);
        assertRelative(d.high(), REF.get("diff_interval").get(1).asDouble(), 1e-8);
        // results do not depend on threads
        double[][] one = PatientBootstrap.values(real, List.of(genA, genB), plan, PatientBootstrap::fid, 1);
        assertThat(one[0]).containsExactly(v[0]);
    }

    @Test
    void kidAndStainDistanceIntervalsEqualNumpy() {
        double[] kid = PatientBootstrap.values(real, List.of(genA), plan, PatientBootstrap.kidMean(5, 20, 3), 2)[0];
        double[] kidRef = Fixtures.doubles(REF.get("kid_a"));
        for (int i = 0; i < kid.length; i++) {
            assertThat(kid[i]).isCloseTo(kidRef[i], within(1e-12 + 1e-9 * Math.abs(kidRef[i])));
        }
        double[] w1 = PatientBootstrap.values(
                real, List.of(genA), plan, PatientBootstrap.scalar(StainDistances::wasserstein1), 2)[0];
        PatientBootstrap.Interval i = PatientBootstrap.percentile(w1, 0.95);
        assertRelative(i.low(), REF.get("w1_a_interval").get(0).asDouble(), 1e-12);
        assertRelative(i.high(), REF.get("w1_a_interval").get(1).asDouble(), 1e-12);
    }

    @Test
    void percentileIsNumpysLinearMethod() {
        JsonNode c = REF.get("percentile_cases");
        PatientBootstrap.Interval i = PatientBootstrap.percentile(Fixtures.doubles(c.get("values")), 0.95);
        assertRelative(i.low(), c.get("interval").get(0).asDouble(), 1e-12);
        assertRelative(i.high(), c.get("interval").get(1).asDouble(), 1e-12);
        assertThat(new PatientBootstrap.Interval(-0.1, 0.2, 10, 0.95).containsZero())
                .isTrue();
        assertThat(new PatientBootstrap.Interval(0.1, 0.2, 10, 0.95).containsZero())
                .isFalse();
    }

    @Test
    void stratifiedDrawIsTheDocumentedStream() {
        JsonNode s = REF.get("stratified");
        int[] per = ints(s.get("per_patient"));
        int k = s.get("k").asInt();
        assertThat(StratifiedDraw.allocate(per, k)).containsExactly(ints(s.get("allocation")));
        for (String seed : List.of("3", "4")) {
            int[][] got = StratifiedDraw.draw(Long.parseLong(seed), per, k);
            for (int p = 0; p < per.length; p++) {
                assertThat(got[p]).containsExactly(ints(s.get("seed" + seed).get(p)));
            }
        }
        assertThat(StratifiedDraw.draw(3, per, k)[0]).isNotEqualTo(StratifiedDraw.draw(4, per, k)[0]);
    }
}
