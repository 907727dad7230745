package org.stainbench.slides;

/** A kept tile: its row in the archive and its top-left corner on the slide (level-0 pixels). */
public record SlideTile(
        long tilingId,
        int row,
        long x,
        long y,
        double laplacianVariance,
        double saturatedFraction,
        double whiteFraction,
        double tissueFraction,
        double colourCast,
        String className,
        double classFraction) {}
