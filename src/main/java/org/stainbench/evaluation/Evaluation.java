package org.stainbench.evaluation;

import java.time.Instant;
import java.util.Map;

/**
 * One evaluation: computed here by a job, or imported from the lab's results sheet. {@code fingerprint}: the SHA-256 of
 * {@code fingerprintText}, the canonical text of its protocol ({@link ProtocolFingerprint}); only evaluations with the
 * same fingerprint are compared with each other (null only briefly, for a row made before fingerprints until the
 * startup backfill).
 */
public record Evaluation(
        long id,
        String name,
        String origin,
        String status,
        Long realDatasetId,
        Long extractorId,
        String extractorSha256,
        String protocol,
        Long jobId,
        String error,
        String createdBy,
        Instant createdAt,
        Instant finishedAt,
        String fingerprint,
        String fingerprintText) {

    static final String COMPUTED = "COMPUTED";
    static final String IMPORTED = "IMPORTED";

    public boolean imported() {
        return IMPORTED.equals(origin);
    }

    public Map<String, String> protocolLines() {
        return Protocol.lines(protocol);
    }

    /** The fingerprint's first 8 hex digits, as pages label it. */
    public String shortFingerprint() {
        return ProtocolFingerprint.shortOf(fingerprint);
    }

    /** The protocol in words: tiles, crops, KID, seeds, extractor. */
    public String protocolSummary() {
        return ProtocolFingerprint.summary(fingerprintText);
    }

    public String href() {
        return "/evaluations/" + id;
    }
}
