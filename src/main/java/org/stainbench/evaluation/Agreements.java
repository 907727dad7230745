package org.stainbench.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.stainbench.evaluation.metrics.RankCorrelation;

/**
 * "Which metric agrees with the pathologists?": where review sessions showed checkpoints this evaluation compared,
 * each automatic (ranked) metric's per-checkpoint mean against the pathologists' per-checkpoint outcome (contributed
 * by the review module through {@link PathologistOutcomes}), as Spearman's rho and Kendall's tau-b with percentile
 * bootstrap intervals over checkpoints and raters ({@link RankCorrelation#bootstrap}, seeded by
 * {@link AgreementProperties}). Values are oriented so that +1 means the metric orders the checkpoints exactly as the
 * pathologists do (metrics are lower-is-better: rho is negated for a higher-is-better outcome). Fewer than
 * {@link #MIN_CHECKPOINTS} shared checkpoints: no statistics, a note.
 */
@Service
public class Agreements {

    public static final int MIN_CHECKPOINTS = 4;
    static final double LEVEL = 0.95;

    /** One metric against one outcome; rho, tau and their intervals oriented (+1: agrees); null: undefined. */
    public record MetricAgreement(
            Metric metric,
            int n,
            Double rho,
            Double tau,
            RankCorrelation.Interval rhoInterval,
            RankCorrelation.Interval tauInterval,
            Double rawRho,
            Double rawTau,
            String note) {}

    /** One outcome of one review session with its metrics ranked by agreement (best first). */
    public record OutcomeAgreement(
            long sessionId,
            String session,
            String href,
            String mode,
            String outcome,
            boolean higherIsBetter,
            int checkpoints,
            int raters,
            String note,
            List<MetricAgreement> metrics) {}

    private final Evaluations evaluations;
    private final List<PathologistOutcomes> sources;
    private final AgreementProperties properties;

    Agreements(Evaluations evaluations, List<PathologistOutcomes> sources, AgreementProperties properties) {
        this.evaluations = evaluations;
        this.sources = sources;
        this.properties = properties;
    }

    public int resamples() {
        return properties.resamples();
    }

    public long seed() {
        return properties.seed();
    }

    /** The agreement section of an evaluation: one entry per outcome of each session sharing checkpoints with it. */
    public List<OutcomeAgreement> of(long evaluationId) {
        Evaluations.Comparison c = evaluations.comparison(evaluationId);
        // per ranked metric, per checkpoint: the mean over the rows of that checkpoint
        Map<Metric, Map<Long, double[]>> byMetric = new LinkedHashMap<>();
        Set<Long> checkpoints = new LinkedHashSet<>();
        for (Evaluations.Row r : c.rows()) {
            Long ck = r.subject().checkpointId();
            if (ck == null) {
                continue;
            }
            checkpoints.add(ck);
            for (Metric m : c.metrics()) {
                if (m.ranked() && r.mean(m) != null) {
                    double[] acc = byMetric.computeIfAbsent(m, k -> new LinkedHashMap<>())
                            .computeIfAbsent(ck, k -> new double[2]);
                    acc[0] += r.mean(m);
                    acc[1]++;
                }
            }
        }
        if (checkpoints.isEmpty()) {
            return List.of();
        }
        List<OutcomeAgreement> out = new ArrayList<>();
        for (PathologistOutcomes source : sources) {
            for (PathologistOutcomes.Outcome o : source.outcomes(checkpoints)) {
                out.add(agreement(o, checkpoints, byMetric));
            }
        }
        return out;
    }

    OutcomeAgreement agreement(
            PathologistOutcomes.Outcome o, Set<Long> evaluated, Map<Metric, Map<Long, double[]>> byMetric) {
        List<String> raters = o.answers().stream()
                .map(PathologistOutcomes.Answer::rater)
                .distinct()
                .sorted()
                .toList();
        List<Long> shared = o.answers().stream()
                .map(PathologistOutcomes.Answer::checkpointId)
                .filter(ck -> ck != null && evaluated.contains(ck))
                .distinct()
                .sorted()
                .toList();
        boolean reference = o.kind() == PathologistOutcomes.Kind.DISTANCE_TO_REAL;
        if (shared.size() < MIN_CHECKPOINTS) {
            return new OutcomeAgreement(
                    o.sessionId(),
                    o.session(),
                    o.href(),
                    o.mode(),
                    o.name(),
                    o.kind().higherIsBetter(),
                    shared.size(),
                    raters.size(),
                    "needs at least " + MIN_CHECKPOINTS + " checkpoints (" + shared.size()
                            + " shared with this evaluation)",
                    List.of());
        }
        double sign = o.kind().higherIsBetter() ? -1 : 1;
        List<MetricAgreement> rows = new ArrayList<>();
        for (Map.Entry<Metric, Map<Long, double[]>> e : byMetric.entrySet()) {
            List<Long> cks = shared.stream().filter(e.getValue()::containsKey).toList();
            if (cks.size() < MIN_CHECKPOINTS) {
                rows.add(new MetricAgreement(
                        e.getKey(),
                        cks.size(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "needs at least " + MIN_CHECKPOINTS + " checkpoints with a value"));
                continue;
            }
            double[] metric = cks.stream()
                    .mapToDouble(ck -> e.getValue().get(ck)[0] / e.getValue().get(ck)[1])
                    .toArray();
            RankCorrelation.Result r = RankCorrelation.bootstrap(
                    metric, answers(o, cks, raters, reference), properties.resamples(), LEVEL, properties.seed());
            rows.add(new MetricAgreement(
                    e.getKey(),
                    r.n(),
                    oriented(r.rho(), sign),
                    oriented(r.tau(), sign),
                    oriented(r.rhoInterval(), sign),
                    oriented(r.tauInterval(), sign),
                    defined(r.rho()),
                    defined(r.tau()),
                    Double.isNaN(r.rho()) ? "undefined: one side is constant" : null));
        }
        rows.sort(Comparator.comparing((MetricAgreement m) -> m.rho() == null ? Double.NEGATIVE_INFINITY : m.rho())
                .reversed()
                .thenComparing(m -> m.metric().ordinal()));
        return new OutcomeAgreement(
                o.sessionId(),
                o.session(),
                o.href(),
                o.mode(),
                o.name(),
                o.kind().higherIsBetter(),
                shared.size(),
                raters.size(),
                null,
                rows);
    }

    /** Sums and counts per (checkpoint row, rater); a last row for the real control tiles when {@code reference}. */
    static RankCorrelation.Answers answers(
            PathologistOutcomes.Outcome o, List<Long> cks, List<String> raters, boolean reference) {
        int rows = cks.size() + (reference ? 1 : 0);
        double[][] sum = new double[rows][raters.size()];
        int[][] count = new int[rows][raters.size()];
        Map<Long, Integer> rowOf = new LinkedHashMap<>();
        for (int i = 0; i < cks.size(); i++) {
            rowOf.put(cks.get(i), i);
        }
        for (PathologistOutcomes.Answer a : o.answers()) {
            Integer row = a.checkpointId() == null
                    ? (reference ? Integer.valueOf(cks.size()) : null)
                    : rowOf.get(a.checkpointId());
            if (row == null) {
                continue;
            }
            int r = raters.indexOf(a.rater());
            sum[row][r] += a.value();
            count[row][r]++;
        }
        return new RankCorrelation.Answers(sum, count, reference ? cks.size() : -1);
    }

    private static Double defined(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static Double oriented(double v, double sign) {
        return Double.isNaN(v) ? null : sign * v + 0.0;
    }

    private static RankCorrelation.Interval oriented(RankCorrelation.Interval i, double sign) {
        if (i == null || sign > 0) {
            return i;
        }
        return new RankCorrelation.Interval(-i.high() + 0.0, -i.low() + 0.0, i.defined(), i.resamples());
    }
}
