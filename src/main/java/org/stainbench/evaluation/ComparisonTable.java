package org.stainbench.evaluation;

import java.util.List;
import java.util.Map;

/**
 * An evaluation's comparison table as plain values (for other modules, e.g. a report's snapshot): the metrics
 * present and, per compared thing in table order, mean / std / n / 95 % interval and the per-seed values of each
 * metric, with the best (lowest mean) rows per ranked metric marked (ties all marked; dispersion columns never), the
 * patient-bootstrap interval where computed, and the rows whose paired difference to the best row lies within the
 * noise (its bootstrap interval contains 0); and the replicate groups over generation seeds ({@link Replicate}, empty
 * when no checkpoint has sets with several sampling seeds).
 * {@link Evaluations#csv(ComparisonTable)} and {@link Evaluations#latex(ComparisonTable)} export it exactly as the
 * evaluation's own exports.
 */
public record ComparisonTable(
        long evaluationId,
        String evaluationName,
        String origin,
        String extractorSha256,
        List<Metric> metrics,
        List<Line> lines,
        List<Replicate> replicates) {

    public ComparisonTable {
        metrics = List.copyOf(metrics);
        lines = List.copyOf(lines);
        // a snapshot kept before replicates were part of the table reads back without them
        replicates = replicates == null ? List.of() : List.copyOf(replicates);
    }

    /** A table without replicate groups. */
    public ComparisonTable(
            long evaluationId,
            String evaluationName,
            String origin,
            String extractorSha256,
            List<Metric> metrics,
            List<Line> lines) {
        this(evaluationId, evaluationName, origin, extractorSha256, metrics, lines, List.of());
    }

    /**
     * Generated sets of one checkpoint on one source with different sampling seeds: replicates of that checkpoint.
     * {@code generationSeeds}: the sampling seeds (the sets' rows are among the table's lines); per metric the summary
     * over generation seeds of each set's mean over its evaluation seeds; {@code min/maxEvaluationSeeds}: the
     * evaluation seeds behind each set's mean.
     */
    public record Replicate(
            String label,
            Long checkpointId,
            Long sourceDatasetId,
            List<Long> generationSeeds,
            int minEvaluationSeeds,
            int maxEvaluationSeeds,
            Map<Metric, Spread> values) {

        public Replicate {
            generationSeeds = generationSeeds == null ? List.of() : List.copyOf(generationSeeds);
            values = values == null ? Map.of() : Map.copyOf(values);
        }

        public Spread get(Metric m) {
            return values.get(m);
        }

        /** Evaluation seeds per set: "2", or "2-3" when a set lacks a seed. */
        public String evaluationSeedsText() {
            return minEvaluationSeeds == maxEvaluationSeeds
                    ? Integer.toString(minEvaluationSeeds)
                    : minEvaluationSeeds + "-" + maxEvaluationSeeds;
        }

        /** "n = 3 generation seeds × 2 evaluation seeds". */
        public String nText() {
            String ev = minEvaluationSeeds == maxEvaluationSeeds
                    ? Integer.toString(minEvaluationSeeds)
                    : minEvaluationSeeds + "–" + maxEvaluationSeeds;
            return "n = " + generationSeeds.size() + " generation seeds × " + ev + " evaluation seed"
                    + (maxEvaluationSeeds == 1 ? "" : "s");
        }
    }

    /**
     * A metric over generation seeds: n (generation seeds), mean, sample std (n - 1), 95 % t-interval, and the
     * per-set means it summarises in generation-seed order.
     */
    public record Spread(int n, double mean, Double std, Double ciLow, Double ciHigh, List<Double> setMeans) {

        public Spread {
            setMeans = setMeans == null ? List.of() : List.copyOf(setMeans);
        }

        /** "mean ± std" with the table's decimals. */
        public String text() {
            return Evaluations.number(mean, mean) + (std == null ? "" : " ± " + Evaluations.number(std, mean));
        }
    }

    public boolean imported() {
        return Evaluation.IMPORTED.equals(origin);
    }

    /** One compared thing. {@code cells} maps a metric to its summary (absent: no value). */
    public record Line(
            String group, String label, Long checkpointId, String runUuid, Integer epoch, Map<Metric, Cell> cells) {

        public Cell get(Metric m) {
            return cells.get(m);
        }
    }

    /**
     * A summary over seeds; {@code seeds} are the per-seed values in seed order. {@code seedInvariant}: at least two
     * seeds, all values equal within {@link SeedInvariance#TOLERANCE} (always derived from {@code seeds} as well, so a
     * snapshot kept before the flag existed gets it too); {@code ranked}: the column is a quality metric that is
     * ranked (false for a dispersion such as KID std, which is never best).
     */
    public record Cell(
            int n,
            double mean,
            Double std,
            Double ciLow,
            Double ciHigh,
            boolean best,
            List<Long> seedIds,
            List<Double> seeds,
            boolean seedInvariant,
            boolean ranked,
            Double bootLow,
            Double bootHigh,
            Integer bootResamples,
            boolean withinNoiseOfBest) {

        public Cell {
            seedIds = seedIds == null ? List.of() : List.copyOf(seedIds);
            seeds = seeds == null ? List.of() : List.copyOf(seeds);
            seedInvariant = seedInvariant || (n >= 2 && SeedInvariance.holds(seeds));
        }

        /** A cell without a patient bootstrap. */
        public Cell(
                int n,
                double mean,
                Double std,
                Double ciLow,
                Double ciHigh,
                boolean best,
                List<Long> seedIds,
                List<Double> seeds,
                boolean seedInvariant,
                boolean ranked) {
            this(n, mean, std, ciLow, ciHigh, best, seedIds, seeds, seedInvariant, ranked, null, null, null, false);
        }

        /** "[low, high]" of the patient bootstrap with the mean's decimals ("" without one). */
        public String bootInterval() {
            return bootLow == null || bootHigh == null
                    ? ""
                    : "[" + Evaluations.number(bootLow, mean) + ", " + Evaluations.number(bootHigh, mean) + "]";
        }

        /** The 95 % patient-bootstrap interval as shown ("" without one). */
        public String bootText() {
            if (bootLow == null || bootHigh == null) {
                return "";
            }
            return "95 % patient bootstrap [" + Evaluations.number(bootLow, mean) + ", "
                    + Evaluations.number(bootHigh, mean) + "], B = " + bootResamples;
        }

        /** A cell of a ranked metric; seed-invariance from its per-seed values. */
        public Cell(
                int n,
                double mean,
                Double std,
                Double ciLow,
                Double ciHigh,
                boolean best,
                List<Long> seedIds,
                List<Double> seeds) {
            this(n, mean, std, ciLow, ciHigh, best, seedIds, seeds, false, true);
        }

        /** The spread over seeds as shown: null when there is none to show (one seed, or seed-invariant). */
        public Double shownStd() {
            return seedInvariant ? null : std;
        }

        /** What the seed-invariant mark means (its tooltip). */
        public String seedInvariantHelp() {
            return SeedInvariance.HELP + " (" + n + " seeds gave " + Evaluations.number(mean) + ")";
        }

        /** "mean ± std" with the table's decimals; "mean (seed-invariant)" when every seed gave the same value. */
        public String text() {
            if (seedInvariant) {
                return Evaluations.number(mean, mean) + " (seed-invariant)";
            }
            return Evaluations.number(mean, mean) + (std == null ? "" : " ± " + Evaluations.number(std, mean));
        }
    }
}
