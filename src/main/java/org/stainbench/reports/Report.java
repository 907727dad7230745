package org.stainbench.reports;

import java.time.Instant;

/** A report; {@code status} is DRAFT (live blocks) or FROZEN (blocks render their snapshot). */
record Report(
        long id,
        String title,
        String status,
        Long copiedFrom,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        String frozenBy,
        Instant frozenAt) {

    static final String DRAFT = "DRAFT";
    static final String FROZEN = "FROZEN";

    public boolean frozen() {
        return FROZEN.equals(status);
    }

    public String href() {
        return "/reports/" + id;
    }
}
