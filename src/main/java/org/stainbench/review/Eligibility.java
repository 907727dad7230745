package org.stainbench.review;

import java.util.Locale;
import org.stainbench.catalog.TileInfo;
import org.stainbench.tiles.TileMeasures;

/**
 * The one rule every tile of a review session passes, whatever its kind: the generated tile, its H&amp;E source and
 * the real IHC control alike. {@code informativeOnly}: the catalog's informative flag ({@link TileMeasures}: Laplacian
 * variance ≥ 100, saturated fraction ≥ 0.10, white fraction ≤ 0.60); {@code minTissue} / {@code minCenter}: tissue
 * fraction of the whole tile and of its central 512 crop, at least (the galleries' thresholds).
 */
record Eligibility(boolean informativeOnly, double minTissue, double minCenter) {

    /** The form's default: informative tiles with the galleries' tissue thresholds (60 % on the tile and its centre). */
    static final Eligibility DEFAULT = new Eligibility(true, 0.6, 0.6);

    /** What {@link Reviews.NewSession}'s short constructor uses: the informative filter real controls always had. */
    static final Eligibility INFORMATIVE = new Eligibility(true, 0, 0);
    /** No filter: every ingested tile of either kind. */
    static final Eligibility NONE = new Eligibility(false, 0, 0);

    Eligibility {
        if (!(minTissue >= 0 && minTissue <= 1)) {
            throw new IllegalArgumentException(
                    "The minimum tissue fraction (minTissue) is a fraction between 0 and 1.");
        }
        if (!(minCenter >= 0 && minCenter <= 1)) {
            throw new IllegalArgumentException(
                    "The minimum tissue fraction of the central crop (minCenter) is a fraction" + " between 0 and 1.");
        }
    }

    boolean passes(TileInfo t) {
        return t != null
                && (!informativeOnly || t.informative())
                && t.tissueFraction() >= minTissue
                && t.tissueCenterFraction() >= minCenter;
    }

    /** The rule in words, for the session page and the methods text. */
    public String text() {
        StringBuilder b = new StringBuilder();
        if (informativeOnly) {
            b.append(String.format(
                    Locale.ROOT,
                    "informative tiles only (Laplacian variance ≥ %.0f, saturated fraction ≥ %.2f,"
                            + " white fraction ≤ %.2f), ",
                    TileMeasures.MIN_LAPLACIAN_VARIANCE,
                    TileMeasures.MIN_SATURATED_FRACTION,
                    TileMeasures.MAX_WHITE_FRACTION));
        } else {
            b.append("informative or not, ");
        }
        b.append(String.format(
                Locale.ROOT,
                "tissue ≥ %.0f %% of the tile and ≥ %.0f %% of its central %d px crop",
                100 * minTissue,
                100 * minCenter,
                TileMeasures.CENTER_CROP));
        return b.toString();
    }
}
