package org.stainbench.training;

import java.util.List;
import java.util.Map;

/** The tracking records, as the store hands them out. Times are epoch milliseconds. */
final class Tracking {

    private Tracking() {}

    record Experiment(
            long id,
            String name,
            String artifactLocation,
            String lifecycleStage,
            long creationTime,
            long lastUpdateTime,
            Map<String, String> tags) {}

    record RunInfo(
            long id,
            String uuid,
            long experimentId,
            String name,
            String userId,
            String status,
            Long startTime,
            Long endTime,
            String lifecycleStage,
            String artifactUri) {

        boolean isTerminal() {
            return status.equals("FINISHED") || status.equals("FAILED") || status.equals("KILLED");
        }
    }

    /** One logged point; {@code value} is NaN for a logged NaN. */
    record Metric(String key, double value, long timestamp, long step) {}

    record Run(RunInfo info, Map<String, String> params, Map<String, String> tags, List<Metric> latestMetrics) {

        Double latest(String key) {
            return latestMetrics.stream()
                    .filter(m -> m.key().equals(key))
                    .map(Metric::value)
                    .findFirst()
                    .orElse(null);
        }
    }

    static final List<String> STATUSES = List.of("RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED");
}
