package org.stainbench.catalog;

import java.time.Instant;

/**
 * A dataset of tile archives. The split fields are null until a split was made; {@code deletedAt}/{@code deletedBy}
 * are null unless the dataset was (soft) deleted. {@code kind} says whether it holds real tiles or a generated set;
 * a generated set names its checkpoint and source dataset (ids owned by the checkpoints module and the catalog).
 */
public record Dataset(
        long id,
        String name,
        Stain stain,
        String marker,
        String cohort,
        int tileSize,
        String description,
        String createdBy,
        Instant createdAt,
        Long splitSeed,
        Integer splitTrainPercent,
        String splitBy,
        Instant splitAt,
        Instant deletedAt,
        String deletedBy,
        DatasetKind kind,
        Long generatedCheckpointId,
        Long generatedSourceDatasetId) {

    public boolean real() {
        return kind == DatasetKind.REAL;
    }

    public boolean generated() {
        return kind == DatasetKind.GENERATED;
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    public String href() {
        return "/datasets/" + id;
    }

    /** "H&E" or "IHC (CK7)". */
    public String stainText() {
        return stain == Stain.IHC && marker != null && !marker.isBlank() ? "IHC (" + marker + ")" : stain.label();
    }

    public boolean hasSplit() {
        return splitSeed != null;
    }
}
