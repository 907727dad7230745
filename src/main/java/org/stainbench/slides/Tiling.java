package org.stainbench.slides;

import java.time.Instant;

/** One tiling of a slide into a catalog dataset; state QUEUED, RUNNING, DONE or FAILED. */
public record Tiling(
        long id,
        long slideId,
        long datasetId,
        Long jobId,
        String state,
        int level,
        Double magnification,
        int tileSize,
        int overlap,
        double minLaplacian,
        double minSaturated,
        double maxWhite,
        boolean colourCast,
        boolean excludeOutside,
        boolean plain,
        Integer usedLevel,
        Integer maskLevel,
        int tilesTotal,
        int tilesRead,
        int tilesKept,
        String archiveName,
        Long archiveId,
        Double seconds,
        String error,
        String createdBy,
        Instant createdAt,
        Instant finishedAt) {

    public double tilesPerSecond() {
        return seconds == null || seconds <= 0 ? 0 : tilesTotal / seconds;
    }
}
