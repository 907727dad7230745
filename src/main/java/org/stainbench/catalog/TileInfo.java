package org.stainbench.catalog;

/** One indexed tile: where it is and its measures. */
public record TileInfo(
        long id,
        long archiveId,
        long datasetId,
        int index,
        Double label,
        double laplacianVariance,
        double saturatedFraction,
        double whiteFraction,
        boolean informative,
        double tissueFraction,
        double tissueCenterFraction,
        long thumbOffset,
        int thumbLength) {}
