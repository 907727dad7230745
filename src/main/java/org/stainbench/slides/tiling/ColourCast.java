package org.stainbench.slides.tiling;

import org.stainbench.tiles.RgbTile;

/**
 * The lab's green colour-cast measure for its IHC set: the fraction of pixels with {@code G > R + 20} and
 * {@code G > B + 20} (numpy: {@code ((g > r + 20) & (g > b + 20)).mean()} on int arrays). A tile is dropped
 * when the fraction is above 0.02.
 */
public final class ColourCast {

    public static final int MARGIN = 20;
    public static final double MAX_FRACTION = 0.02;

    private ColourCast() {}

    public static double fraction(RgbTile tile) {
        byte[] p = tile.rgb();
        long n = 0;
        for (int o = 0; o < p.length; o += 3) {
            int r = p[o] & 0xff;
            int g = p[o + 1] & 0xff;
            int b = p[o + 2] & 0xff;
            if (g > r + MARGIN && g > b + MARGIN) {
                n++;
            }
        }
        return n / (double) tile.pixels();
    }
}
