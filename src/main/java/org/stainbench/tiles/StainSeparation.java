package org.stainbench.tiles;

/**
 * Colour deconvolution (Ruifrok &amp; Johnston 2001) with scikit-image's conventions:
 * {@code skimage.color.rgb2hed} and {@code combine_stains}. Stain vectors are the rows of
 * {@link #RGB_FROM_HED} (hematoxylin, eosin, DAB), as in {@code skimage.color.rgb_from_hed}.
 * <pre>
 *   rgb2hed:  stains = max(0, (log(max(rgb/255, 1e-6)) / log(1e-6)) · inv(RGB_FROM_HED))
 *   combine:  rgb    = clip(exp(-(stains · -log(1e-6)) · RGB_FROM_HED), 0, 1)
 * </pre>
 */
public final class StainSeparation {

    /** scikit-image's {@code rgb_from_hed}: rows are the H, E and DAB optical-density vectors. */
    public static final double[][] RGB_FROM_HED = {
        {0.65, 0.70, 0.29},
        {0.07, 0.99, 0.11},
        {0.27, 0.57, 0.78},
    };

    /** scikit-image's {@code hed_from_rgb = linalg.inv(rgb_from_hed)}. */
    public static final double[][] HED_FROM_RGB = invert(RGB_FROM_HED);

    private static final double LOG_ADJUST = Math.log(1e-6);

    /** OD[v] = log(max(v/255, 1e-6)) / log(1e-6) for every 8-bit value. */
    private static final double[] OD = new double[256];

    static {
        for (int v = 0; v < 256; v++) {
            OD[v] = Math.log(Math.max(v / 255.0, 1e-6)) / LOG_ADJUST;
        }
    }

    private StainSeparation() {}

    /** H, E and DAB amounts of every pixel, interleaved (3 values per pixel), as {@code rgb2hed}. */
    public static double[] rgbToHed(RgbTile tile) {
        byte[] rgb = tile.rgb();
        int n = tile.pixels();
        double[] out = new double[n * 3];
        double[][] m = HED_FROM_RGB;
        for (int p = 0, o = 0; p < n; p++, o += 3) {
            double r = OD[rgb[o] & 0xff];
            double g = OD[rgb[o + 1] & 0xff];
            double b = OD[rgb[o + 2] & 0xff];
            for (int s = 0; s < 3; s++) {
                double v = r * m[0][s] + g * m[1][s] + b * m[2][s];
                out[o + s] = v > 0 ? v : 0;
            }
        }
        return out;
    }

    /**
     * Recomposes an RGB tile from stain amounts (3 per pixel) with the given stain vectors, as
     * {@code skimage.color.combine_stains}, rounding to 8 bits.
     */
    public static RgbTile combine(double[] stains, int width, int height, double[][] rgbFromStains) {
        int n = width * height;
        byte[] rgb = new byte[n * 3];
        double k = -LOG_ADJUST;
        for (int p = 0, o = 0; p < n; p++, o += 3) {
            double s0 = stains[o] * k;
            double s1 = stains[o + 1] * k;
            double s2 = stains[o + 2] * k;
            for (int c = 0; c < 3; c++) {
                double logRgb = -(s0 * rgbFromStains[0][c] + s1 * rgbFromStains[1][c] + s2 * rgbFromStains[2][c]);
                double v = Math.exp(logRgb);
                v = v < 0 ? 0 : (v > 1 ? 1 : v);
                rgb[o + c] = (byte) Math.round(v * 255);
            }
        }
        return new RgbTile(width, height, rgb);
    }

    static double[][] invert(double[][] a) {
        double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
                - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
        double[][] inv = new double[3][3];
        inv[0][0] = (a[1][1] * a[2][2] - a[1][2] * a[2][1]) / det;
        inv[0][1] = (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det;
        inv[0][2] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det;
        inv[1][0] = (a[1][2] * a[2][0] - a[1][0] * a[2][2]) / det;
        inv[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det;
        inv[1][2] = (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det;
        inv[2][0] = (a[1][0] * a[2][1] - a[1][1] * a[2][0]) / det;
        inv[2][1] = (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det;
        inv[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det;
        return inv;
    }
}
