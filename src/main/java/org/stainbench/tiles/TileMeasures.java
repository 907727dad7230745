package org.stainbench.tiles;

/**
 * The per-tile measures of the lab's pipeline (DESIGN.md "Tiling" and "Qualitative figures").
 *
 * <ul>
 * <li>{@code laplacianVariance}: population variance of the OpenCV 3×3 Laplacian
 * {@code [[0,1,0],[1,-4,1],[0,1,0]]} with reflect-101 border, applied to the BT.601 grey image as
 * OpenCV's {@code cvtColor(RGB2GRAY)} computes it ({@code (4899 R + 9617 G + 1868 B + 8192) >> 14}).</li>
 * <li>{@code saturatedFraction}: fraction of pixels whose HSV saturation, on OpenCV's 0–255 scale, is
 * above 30 ({@code s = (diff * round(255·4096 / v) + 2048) >> 12}, {@code s = 0} where {@code v = 0}).</li>
 * <li>{@code whiteFraction}: fraction of pixels whose mean of R, G, B is above 235.</li>
 * <li>{@code informative}: Laplacian variance ≥ 100, saturated fraction ≥ 0.10 and white fraction ≤ 0.60.</li>
 * <li>{@code tissueFraction}/{@code tissueCenterFraction}: fraction of pixels with HSV (0–1 scale)
 * {@code v < 0.92} and {@code s > 0.05}, on the whole tile and on its central 512×512 crop (the whole
 * tile when it is smaller).</li>
 * </ul>
 */
public record TileMeasures(
        double laplacianVariance,
        double saturatedFraction,
        double whiteFraction,
        boolean informative,
        double tissueFraction,
        double tissueCenterFraction) {

    public static final double MIN_LAPLACIAN_VARIANCE = 100;
    public static final double MIN_SATURATED_FRACTION = 0.10;
    public static final double MAX_WHITE_FRACTION = 0.60;
    public static final int SATURATION_THRESHOLD = 30;
    public static final int WHITE_MEAN_THRESHOLD = 235;
    public static final int CENTER_CROP = 512;

    /** OpenCV's sdiv_table for 8-bit RGB→HSV: saturate_cast&lt;int&gt;((255 &lt;&lt; 12) / v), rounding half to even. */
    private static final int[] SDIV = new int[256];
    /**
     * TISSUE[max * 256 + min]: v = max/255 &lt; 0.92 and s = (max - min)/max &gt; 0.05 in floating point, as numpy
     * computes it. The measure loop uses the integer form, which {@link #tissueRuleIsExact()} checks for all pairs.
     */
    private static final boolean[] TISSUE = new boolean[256 * 256];

    static {
        for (int v = 1; v < 256; v++) {
            SDIV[v] = (int) Math.rint((255 << 12) / (double) v);
        }
        for (int max = 0; max < 256; max++) {
            for (int min = 0; min <= max; min++) {
                double v = max / 255.0;
                double s = max == 0 ? 0 : (max - min) / (double) max;
                TISSUE[max * 256 + min] = v < 0.92 && s > 0.05;
            }
        }
    }

    /** The integer tissue rule used in the loop agrees with the floating-point definition for every (max, min). */
    static boolean tissueRuleIsExact() {
        for (int max = 0; max < 256; max++) {
            for (int min = 0; min <= max; min++) {
                if (TISSUE[max * 256 + min] != (max <= 234 && 20 * (max - min) > max)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the lab's filter keeps a tile with these values. */
    public static boolean passes(double laplacianVariance, double saturatedFraction, double whiteFraction) {
        return laplacianVariance >= MIN_LAPLACIAN_VARIANCE
                && saturatedFraction >= MIN_SATURATED_FRACTION
                && whiteFraction <= MAX_WHITE_FRACTION;
    }

    /** All measures of one tile in two passes over its pixels. */
    public static TileMeasures of(RgbTile tile) {
        int w = tile.width();
        int h = tile.height();
        byte[] rgb = tile.rgb();
        int n = w * h;
        byte[] grey = new byte[n];
        int cw = Math.min(CENTER_CROP, w);
        int ch = Math.min(CENTER_CROP, h);
        int cx0 = (w - cw) / 2;
        int cy0 = (h - ch) / 2;
        long saturated = 0;
        long white = 0;
        long tissue = 0;
        long tissueCenter = 0;
        for (int y = 0; y < h; y++) {
            boolean centerRow = y >= cy0 && y < cy0 + ch;
            int p = y * w;
            int o = p * 3;
            for (int x = 0; x < w; x++, p++, o += 3) {
                int r = rgb[o] & 0xff;
                int g = rgb[o + 1] & 0xff;
                int b = rgb[o + 2] & 0xff;
                grey[p] = (byte) ((r * 4899 + g * 9617 + b * 1868 + 8192) >> 14);
                int max = Math.max(r, Math.max(g, b));
                int min = Math.min(r, Math.min(g, b));
                int s = (((max - min) * SDIV[max]) + 2048) >> 12;
                if (s > SATURATION_THRESHOLD) {
                    saturated++;
                }
                if (r + g + b > 3 * WHITE_MEAN_THRESHOLD) {
                    white++;
                }
                // v < 0.92 and s > 0.05 in exact integers: max <= 234 and 20 (max - min) > max (see TISSUE)
                if (max <= 234 && 20 * (max - min) > max) {
                    tissue++;
                    if (centerRow && x >= cx0 && x < cx0 + cw) {
                        tissueCenter++;
                    }
                }
            }
        }
        double lap = laplacianVariance(grey, w, h);
        double sat = saturated / (double) n;
        double wf = white / (double) n;
        return new TileMeasures(
                lap, sat, wf, passes(lap, sat, wf), tissue / (double) n, tissueCenter / (double) (cw * ch));
    }

    /** Population variance of the 4-neighbour Laplacian with reflect-101 borders (OpenCV's default). */
    static double laplacianVariance(byte[] g, int w, int h) {
        long sum = 0;
        long sumSq = 0;
        for (int y = 0; y < h; y++) {
            int up = reflect101(y - 1, h) * w;
            int down = reflect101(y + 1, h) * w;
            int row = y * w;
            // borders, reflected
            for (int x : w == 1 ? new int[] {0} : new int[] {0, w - 1}) {
                int left = reflect101(x - 1, w);
                int right = reflect101(x + 1, w);
                int v = (g[up + x] & 0xff)
                        + (g[down + x] & 0xff)
                        + (g[row + left] & 0xff)
                        + (g[row + right] & 0xff)
                        - 4 * (g[row + x] & 0xff);
                sum += v;
                sumSq += (long) v * v;
            }
            // interior: no reflection needed
            long s = 0;
            long sq = 0;
            for (int x = 1; x < w - 1; x++) {
                int v = (g[up + x] & 0xff)
                        + (g[down + x] & 0xff)
                        + (g[row + x - 1] & 0xff)
                        + (g[row + x + 1] & 0xff)
                        - 4 * (g[row + x] & 0xff);
                s += v;
                sq += v * v;
            }
            sum += s;
            sumSq += sq;
        }
        long n = (long) w * h;
        // exact in integers, then one rounding to double
        java.math.BigInteger num = java.math.BigInteger.valueOf(n)
                .multiply(java.math.BigInteger.valueOf(sumSq))
                .subtract(java.math.BigInteger.valueOf(sum).multiply(java.math.BigInteger.valueOf(sum)));
        return num.doubleValue() / ((double) n * n);
    }

    private static int reflect101(int i, int n) {
        if (n == 1) {
            return 0;
        }
        if (i < 0) {
            return -i;
        }
        if (i >= n) {
            return 2 * n - 2 - i;
        }
        return i;
    }
}
