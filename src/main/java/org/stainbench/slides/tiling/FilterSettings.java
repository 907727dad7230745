package org.stainbench.slides.tiling;

import org.stainbench.tiles.TileMeasures;

/**
 * Editable thresholds of the lab's informativeness filter (defaults: {@link TileMeasures}'s 100 / 0.10 /
 * 0.60) plus the optional colour-cast filter. The measures themselves are {@link TileMeasures}'s.
 *
 * @param minLaplacianVariance keep when the Laplacian variance is at least this
 * @param minSaturatedFraction keep when at least this fraction of pixels has HSV saturation above 30
 * @param maxWhiteFraction     keep when at most this fraction of pixels is near-white
 * @param colourCast           also drop tiles whose colour-cast fraction is above {@code maxColourCast}
 * @param maxColourCast        see {@link ColourCast}
 */
public record FilterSettings(
        double minLaplacianVariance,
        double minSaturatedFraction,
        double maxWhiteFraction,
        boolean colourCast,
        double maxColourCast) {

    public static final FilterSettings LAB = new FilterSettings(
            TileMeasures.MIN_LAPLACIAN_VARIANCE,
            TileMeasures.MIN_SATURATED_FRACTION,
            TileMeasures.MAX_WHITE_FRACTION,
            false,
            ColourCast.MAX_FRACTION);

    public FilterSettings {
        if (!(minLaplacianVariance >= 0)
                || !(minSaturatedFraction >= 0 && minSaturatedFraction <= 1)
                || !(maxWhiteFraction >= 0 && maxWhiteFraction <= 1)
                || !(maxColourCast >= 0 && maxColourCast <= 1)) {
            throw new IllegalArgumentException(
                    "Filter thresholds out of range: Laplacian variance ≥ 0, fractions between 0 and 1.");
        }
    }

    /** Whether a tile with these measures is kept ({@code castFraction} is ignored unless the cast filter is on). */
    public boolean keeps(TileMeasures m, double castFraction) {
        return m.laplacianVariance() >= minLaplacianVariance
                && m.saturatedFraction() >= minSaturatedFraction
                && m.whiteFraction() <= maxWhiteFraction
                && (!colourCast || castFraction <= maxColourCast);
    }
}
