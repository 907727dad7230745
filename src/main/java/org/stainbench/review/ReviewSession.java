package org.stainbench.review;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A review session's settings (items, raters and answers are separate rows). */
record ReviewSession(
        long id,
        String name,
        ReviewMode mode,
        String instructions,
        String criteria,
        boolean showSource,
        String selection,
        long sourceDatasetId,
        Long realDatasetId,
        int perCheckpoint,
        int realCount,
        int repeatPercent,
        long seed,
        String createdBy,
        Instant createdAt) {

    static final String RANDOM = "RANDOM";
    static final String GALLERY = "GALLERY";

    public List<String> criteriaList() {
        return criteria == null
                ? List.of()
                : Arrays.stream(criteria.split("\n"))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    public String href() {
        return "/review/sessions/" + id;
    }
}
