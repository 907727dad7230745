package org.stainbench.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard's arithmetic on explicit inputs: best per stain, previous best, best so far; GPU-hours per day. */
class DashboardFiguresTest {

    /** Sums of a few double products: exact to rounding. */
    static final double EPS = 1e-9;

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    static Standings.Result r(long ev, long subject, int minutes, String target, String ck, double mean) {
        return r(ev, subject, minutes, target, "fp-a", ck, mean);
    }

    static Standings.Result r(
            long ev, long subject, int minutes, String target, String fingerprint, String ck, double mean) {
        return new Standings.Result(
                ev,
                subject,
                "ev" + ev,
                T0.plusSeconds(60L * minutes),
                target,
                fingerprint,
                ck,
                null,
                ck,
                null,
                null,
                mean,
                1.0,
                3,
                false);
    }

    @Test
    void resultsOfDifferentProtocolFingerprintsAreNeverRankedTogether() {
        // evaluation 2 of the same stain used another protocol (e.g. 36 instead of 12 tiles per side): its much lower
        // FID is neither the best of protocol A nor a "move" against A's previous best
        List<Standings.Standing> s = Standings.of(List.of(
                r(1, 11, 0, "CK7", "fp-a", "a1", 200.0),
                r(2, 21, 10, "CK7", "fp-b", "b1", 50.0),
                r(3, 31, 20, "CK7", "fp-a", "a2", 190.0)));
        assertThat(s).extracting(Standings.Standing::fingerprint).containsExactly("fp-a", "fp-b");
        Standings.Standing a = s.get(0);
        assertThat(a.best().label()).isEqualTo("a2");
        assertThat(a.previous().label()).isEqualTo("a1");
        assertThat(a.evaluations()).isEqualTo(2);
        assertThat(a.overTime()).extracting(Standings.Step::value).containsExactly(200.0, 190.0);
        Standings.Standing b = s.get(1);
        assertThat(b.best().label()).isEqualTo("b1");
        assertThat(b.previous()).isNull();
        assertThat(b.overTime()).hasSize(1);
        assertThat(a.group()).isNotEqualTo(b.group());
    }

    @Test
    void bestPerStainPreviousBestAndTheBestSoFarSeries() {
        List<Standings.Result> in = List.of(
                // given out of order: evaluation 3 finished last
                r(3, 31, 30, "CK7", "lora20", 150.0),
                r(3, 32, 30, "CK7", "mist_pr", 190.0),
                r(1, 11, 0, "CK7", "noFlow", 220.0),
                r(1, 12, 0, "CK7", "mist_er", 200.0),
                r(2, 21, 10, "CK7", "mist_pr", 182.0),
                r(2, 22, 10, "CK7", "worse", 230.0),
                r(4, 41, 5, "CK20", "only", 90.0));
        List<Standings.Standing> s = Standings.of(in);
        assertThat(s).extracting(Standings.Standing::target).containsExactly("CK7", "CK20");

        Standings.Standing ck7 = s.get(0);
        assertThat(ck7.best().label()).isEqualTo("lora20");
        assertThat(ck7.best().evaluationId()).isEqualTo(3);
        // previous best: the best among evaluations 1 and 2 (finished before evaluation 3), not evaluation 3's
        // runner-up
        assertThat(ck7.previous().label()).isEqualTo("mist_pr");
        assertThat(ck7.previous().evaluationId()).isEqualTo(2);
        assertThat(ck7.delta()).isCloseTo(150.0 - 182.0, within(EPS));
        assertThat(ck7.percent()).isCloseTo(100 * (150.0 - 182.0) / 182.0, within(EPS));
        assertThat(ck7.evaluations()).isEqualTo(3);
        // one step per evaluation, in finish order, with the best so far
        assertThat(ck7.overTime()).extracting(Standings.Step::value).containsExactly(200.0, 182.0, 150.0);
        assertThat(ck7.overTime()).extracting(Standings.Step::improved).containsExactly(true, true, true);
        assertThat(ck7.overTime()).extracting(p -> p.holder().evaluationId()).containsExactly(1L, 2L, 3L);

        Standings.Standing ck20 = s.get(1);
        assertThat(ck20.previous()).isNull();
        assertThat(ck20.delta()).isNull();
        assertThat(ck20.overTime()).hasSize(1);
    }

    @Test
    void aLaterWorseEvaluationKeepsTheBestAndItsStep() {
        List<Standings.Standing> s =
                Standings.of(List.of(r(1, 1, 0, "CK7", "a", 100.0), r(2, 2, 10, "CK7", "b", 120.0)));
        Standings.Standing ck7 = s.get(0);
        assertThat(ck7.best().label()).isEqualTo("a");
        assertThat(ck7.previous()).isNull();
        assertThat(ck7.overTime()).extracting(Standings.Step::value).containsExactly(100.0, 100.0);
        assertThat(ck7.overTime()).extracting(Standings.Step::improved).containsExactly(true, false);
        assertThat(ck7.overTime().get(1).holder().label()).isEqualTo("a");
    }

    @Test
    void gpuHoursAreGpusTimesTheTimeHeldClippedToEachUtcDay() {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        List<GpuHours.Span> spans = List.of(
                // 2 GPUs from 22:00 on the 25th to 02:30 on the 26th: 2 h + 2.5 h, times 2
                new GpuHours.Span(
                        1,
                        "lora",
                        "gpu-a",
                        2,
                        Instant.parse("2026-11-25T22:00:00Z"),
                        Instant.parse("2026-11-26T02:30:00Z")),
                // still running since 09:15 today on 1 GPU: 2.75 h until now
                new GpuHours.Span(2, "gen", "gpu-b", 1, Instant.parse("2026-11-27T09:15:00Z"), null),
                // began 8 days ago, ended 6 days ago at 06:00: only the 21st's first 6 hours are in the window
                // (21st–27th)
                new GpuHours.Span(
                        3,
                        "old",
                        "gpu-a",
                        4,
                        Instant.parse("2026-11-19T00:00:00Z"),
                        Instant.parse("2026-11-21T06:00:00Z")),
                // entirely before the window
                new GpuHours.Span(
                        4,
                        "older",
                        "gpu-c",
                        8,
                        Instant.parse("2026-11-10T00:00:00Z"),
                        Instant.parse("2026-11-11T00:00:00Z")));
        GpuHours.Usage u = GpuHours.perDay(spans, now, 7);
        assertThat(u.days())
                .containsExactly(
                        LocalDate.parse("2026-11-21"),
                        LocalDate.parse("2026-11-22"),
                        LocalDate.parse("2026-11-23"),
                        LocalDate.parse("2026-11-24"),
                        LocalDate.parse("2026-11-25"),
                        LocalDate.parse("2026-11-26"),
                        LocalDate.parse("2026-11-27"));
        assertThat(u.byHolder().keySet()).containsExactly("gpu-a", "gpu-b");
        double[] a = u.byHolder().get("gpu-a");
        assertThat(a[0]).isCloseTo(4 * 6.0, within(EPS));
        assertThat(a[4]).isCloseTo(2 * 2.0, within(EPS));
        assertThat(a[5]).isCloseTo(2 * 2.5, within(EPS));
        assertThat(a[6]).isZero();
        assertThat(u.byHolder().get("gpu-b")[6]).isCloseTo(2.75, within(EPS));
        assertThat(u.byJob()).containsOnlyKeys(1L, 2L, 3L);
        assertThat(u.byJob().get(1L)).isCloseTo(9.0, within(EPS));
        assertThat(u.total()).isCloseTo(24 + 9 + 2.75, within(EPS));
    }

    @Test
    void runLabelsComeFromEpochCheckpointNames() {
        assertThat(Dashboard.runLabel("colour-map-demo-epoch3", "0123456789abcdef"))
                .isEqualTo("colour-map-demo");
        assertThat(Dashboard.runLabel("lora20", "0123456789abcdef")).isEqualTo("run 01234567");
    }
}
