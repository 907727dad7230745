package org.stainbench.reports;

import java.util.List;

/**
 * What a block shows, as chosen in its form (stored as JSON). Fields that do not apply to the block's kind are null.
 *
 * @param markdown     TEXT: the Markdown source
 * @param evaluationId TABLE, CHART: the evaluation
 * @param metrics      TABLE: metric keys to show (empty: all); CHART: the first is the charted metric
 * @param chart        CHART: "bar" (metric per checkpoint), "epoch" (metric by epoch per run) or "both"
 * @param gallery      GALLERY: "random" or "best-worst"
 * @param sourceId     GALLERY: the H&amp;E source dataset (null: the galleries' default)
 * @param checkpoints  GALLERY: checkpoint ids, in column order (best/worst ranks the first)
 * @param seed         GALLERY: the random gallery's seed
 * @param rows         GALLERY: rows (random) or best k and worst k (best/worst)
 * @param sessionId    REVIEW: the review session
 */
record BlockSettings(
        String markdown,
        Long evaluationId,
        List<String> metrics,
        String chart,
        String gallery,
        Long sourceId,
        List<Long> checkpoints,
        Long seed,
        Integer rows,
        Long sessionId) {

    BlockSettings {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        checkpoints = checkpoints == null ? List.of() : List.copyOf(checkpoints);
    }

    static BlockSettings text(String markdown) {
        return new BlockSettings(markdown, null, null, null, null, null, null, null, null, null);
    }

    static BlockSettings table(long evaluationId, List<String> metrics) {
        return new BlockSettings(null, evaluationId, metrics, null, null, null, null, null, null, null);
    }

    static BlockSettings chart(long evaluationId, String metric, String chart) {
        return new BlockSettings(
                null,
                evaluationId,
                metric == null ? List.of() : List.of(metric),
                chart,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static BlockSettings gallery(String mode, Long sourceId, List<Long> checkpoints, Long seed, Integer rows) {
        return new BlockSettings(null, null, null, null, mode, sourceId, checkpoints, seed, rows, null);
    }

    static BlockSettings review(long sessionId) {
        return new BlockSettings(null, null, null, null, null, null, null, null, null, sessionId);
    }

    public String metric() {
        return metrics.isEmpty() ? null : metrics.get(0);
    }

    public boolean hasMetric(String key) {
        return metrics.contains(key);
    }

    public boolean hasCheckpoint(long id) {
        return checkpoints.contains(id);
    }
}
