package org.stainbench.evaluation;

import java.util.List;
import java.util.Map;

/**
 * An evaluation's comparison table as plain values (for other modules, e.g. a report's snapshot): the metrics
 * present and, per compared thing in table order, mean / std / n / 95 % interval and the per-seed values of each
 * metric, with the best (lowest mean) row per metric marked. {@link Evaluations#csv(ComparisonTable)} and
 * {@link Evaluations#latex(ComparisonTable)} export it exactly as the evaluation's own exports.
 */
public record ComparisonTable(long evaluationId, String evaluationName, String origin, String extractorSha256,
                              List<Metric> metrics, List<Line> lines) {

    public ComparisonTable {
        metrics = List.copyOf(metrics);
        lines = List.copyOf(lines);
    }

    public boolean imported() {
        return Evaluation.IMPORTED.equals(origin);
    }

    /** One compared thing. {@code cells} maps a metric to its summary (absent: no value). */
    public record Line(String group, String label, Long checkpointId, String runUuid, Integer epoch, Map<Metric, Cell> cells) {

        public Cell get(Metric m) {
            return cells.get(m);
        }
    }

    /** A summary over seeds; {@code seeds} are the per-seed values in seed order. */
    public record Cell(int n, double mean, Double std, Double ciLow, Double ciHigh, boolean best, List<Long> seedIds,
                       List<Double> seeds) {

        /** "mean ± std" with the table's decimals. */
        public String text() {
            return Evaluations.number(mean, mean) + (std == null ? "" : " ± " + Evaluations.number(std, mean));
        }
    }
}
