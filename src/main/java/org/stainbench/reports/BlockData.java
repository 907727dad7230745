package org.stainbench.reports;

import java.util.List;
import org.stainbench.evaluation.ComparisonTable;
import org.stainbench.review.ReviewHeadlines;

/**
 * What a block shows, resolved from live data (a draft) or read from its snapshot (frozen): the same record either
 * way, so a frozen report renders through the same templates. {@code problem} says why live data is missing.
 */
record BlockData(ComparisonTable table, GallerySnap gallery, ReviewHeadlines.Headline review, String problem) {

    static BlockData none() {
        return new BlockData(null, null, null, null);
    }

    static BlockData problem(String why) {
        return new BlockData(null, null, null, why);
    }

    /** A gallery as shown: column titles and rows of cells aligned with them. */
    record GallerySnap(
            String mode,
            String sourceName,
            Long seed,
            String permalink,
            List<String> columns,
            List<GalleryRow> rows,
            List<String> notes) {}

    record GalleryRow(String label, List<GalleryCell> cells) {}

    /**
     * @param tileId the catalog tile (its live thumbnail)
     * @param sha256 the kept JPEG of a frozen report (null while live)
     */
    record GalleryCell(long tileId, String title, String sha256) {}
}
