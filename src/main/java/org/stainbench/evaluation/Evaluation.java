package org.stainbench.evaluation;

import java.time.Instant;
import java.util.Map;

/** One evaluation: computed here by a job, or imported from the lab's results sheet. */
public record Evaluation(long id, String name, String origin, String status, Long realDatasetId, Long extractorId,
                         String extractorSha256, String protocol, Long jobId, String error, String createdBy,
                         Instant createdAt, Instant finishedAt) {

    static final String COMPUTED = "COMPUTED";
    static final String IMPORTED = "IMPORTED";

    public boolean imported() {
        return IMPORTED.equals(origin);
    }

    public Map<String, String> protocolLines() {
        return Protocol.lines(protocol);
    }

    public String href() {
        return "/evaluations/" + id;
    }
}
