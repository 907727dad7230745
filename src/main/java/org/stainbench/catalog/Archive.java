package org.stainbench.catalog;

import java.time.Duration;
import java.time.Instant;

/** One registered archive of a dataset and the state of its ingest. */
public record Archive(
        long id,
        long datasetId,
        String fileName,
        String stainCode,
        String patient,
        Integer replicate,
        String sha256,
        long sizeBytes,
        String source,
        String sourcePath,
        ArchiveStatus status,
        String error,
        Long jobId,
        String layout,
        int tilesTotal,
        int tilesDone,
        Integer tileWidth,
        Integer tileHeight,
        String splitSide,
        String createdBy,
        Instant createdAt,
        Instant startedAt,
        Instant ingestedAt) {

    /** Tiles per second so far while ingesting (or over the whole ingest once done). */
    public double rate(Instant now) {
        if (startedAt == null || tilesDone == 0) {
            return 0;
        }
        Instant end = ingestedAt != null ? ingestedAt : now;
        double s = Math.max(0.001, Duration.between(startedAt, end).toMillis() / 1000.0);
        return tilesDone / s;
    }

    /** Estimated time left, or null when unknown. */
    public Duration remaining(Instant now) {
        double rate = rate(now);
        if (rate <= 0 || tilesTotal <= tilesDone) {
            return null;
        }
        return Duration.ofSeconds((long) Math.ceil((tilesTotal - tilesDone) / rate));
    }

    public int percent() {
        return tilesTotal == 0 ? 0 : (int) (100L * tilesDone / tilesTotal);
    }

    public String shortSha() {
        return sha256.substring(0, 12);
    }
}
