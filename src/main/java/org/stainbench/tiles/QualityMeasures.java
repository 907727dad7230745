package org.stainbench.tiles;

/**
 * Quality proxies of a generated tile (DESIGN.md "Qualitative figures") and its H-DAB stain measures.
 * <ul>
 * <li>{@code saturationStd}: population standard deviation of HSV saturation on the 0–1 scale,
 * {@code s = (max − min) / max} ({@code 0} where {@code max = 0}), as {@code skimage.color.rgb2hsv}.</li>
 * <li>{@code autocorrelation16}: mean of the Pearson correlations between the Rec.709 luma image and
 * itself shifted by 16 pixels horizontally and vertically (overlapping parts only):
 * {@code ½·(corr(L[:, :-16], L[:, 16:]) + corr(L[:-16, :], L[16:, :]))}; repetitive texture scores high.</li>
 * <li>{@code laplacianVariance709}: population variance of the 4-neighbour Laplacian of the Rec.709 luma
 * {@code L = 0.2126 R + 0.7152 G + 0.0722 B} on the 0–1 scale, with edge padding
 * ({@code np.pad(L, 1, mode='edge')}).</li>
 * <li>{@code dabPositiveFraction}: fraction of tissue pixels (HSV {@code v < 0.92} and {@code s > 0.05})
 * whose DAB amount from {@link StainSeparation#rgbToHed} exceeds the threshold (0 without tissue).</li>
 * <li>{@code meanDab}, {@code meanHematoxylin}: mean DAB and hematoxylin amounts over all pixels.</li>
 * </ul>
 */
public record QualityMeasures(
        double saturationStd,
        double autocorrelation16,
        double laplacianVariance709,
        double dabPositiveFraction,
        double meanDab,
        double meanHematoxylin) {

    /** Default DAB-positive threshold, in {@code rgb2hed} units. */
    public static final double DEFAULT_DAB_THRESHOLD = 0.15;

    public static final int AUTOCORRELATION_SHIFT = 16;

    public static QualityMeasures of(RgbTile tile) {
        return of(tile, DEFAULT_DAB_THRESHOLD);
    }

    public static QualityMeasures of(RgbTile tile, double dabThreshold) {
        int w = tile.width();
        int h = tile.height();
        int n = w * h;
        byte[] rgb = tile.rgb();
        double[] luma = new double[n];
        double satSum = 0;
        double satSq = 0;
        for (int p = 0, o = 0; p < n; p++, o += 3) {
            int r = rgb[o] & 0xff;
            int g = rgb[o + 1] & 0xff;
            int b = rgb[o + 2] & 0xff;
            luma[p] = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255.0;
            int max = Math.max(r, Math.max(g, b));
            int min = Math.min(r, Math.min(g, b));
            double s = max == 0 ? 0 : (max - min) / (double) max;
            satSum += s;
            satSq += s * s;
        }
        double satMean = satSum / n;
        double satStd = Math.sqrt(Math.max(0, satSq / n - satMean * satMean));

        double[] hed = StainSeparation.rgbToHed(tile);
        long tissue = 0;
        long positive = 0;
        double dabSum = 0;
        double hSum = 0;
        for (int p = 0, o = 0; p < n; p++, o += 3) {
            dabSum += hed[o + 2];
            hSum += hed[o];
            int r = rgb[o] & 0xff;
            int g = rgb[o + 1] & 0xff;
            int b = rgb[o + 2] & 0xff;
            int max = Math.max(r, Math.max(g, b));
            int min = Math.min(r, Math.min(g, b));
            double v = max / 255.0;
            double s = max == 0 ? 0 : (max - min) / (double) max;
            if (v < 0.92 && s > 0.05) {
                tissue++;
                if (hed[o + 2] > dabThreshold) {
                    positive++;
                }
            }
        }
        return new QualityMeasures(
                satStd,
                autocorrelation(luma, w, h, AUTOCORRELATION_SHIFT),
                laplacianVarianceEdge(luma, w, h),
                tissue == 0 ? 0 : positive / (double) tissue,
                dabSum / n,
                hSum / n);
    }

    /** ½ (horizontal + vertical) Pearson correlation at the given shift; 0 for a flat image. */
    static double autocorrelation(double[] l, int w, int h, int shift) {
        double horizontal = shift < w ? correlation(l, w, 0, 0, w - shift, h, shift, 0) : 0;
        double vertical = shift < h ? correlation(l, w, 0, 0, w, h - shift, 0, shift) : 0;
        return 0.5 * (horizontal + vertical);
    }

    /** Pearson correlation between the block at (x0,y0) of size cw×ch and the block shifted by (dx,dy). */
    private static double correlation(double[] l, int w, int x0, int y0, int cw, int ch, int dx, int dy) {
        double sa = 0;
        double sb = 0;
        long n = (long) cw * ch;
        for (int y = y0; y < y0 + ch; y++) {
            int ra = y * w;
            int rb = (y + dy) * w + dx;
            for (int x = x0; x < x0 + cw; x++) {
                sa += l[ra + x];
                sb += l[rb + x];
            }
        }
        double ma = sa / n;
        double mb = sb / n;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int y = y0; y < y0 + ch; y++) {
            int ra = y * w;
            int rb = (y + dy) * w + dx;
            for (int x = x0; x < x0 + cw; x++) {
                double a = l[ra + x] - ma;
                double b = l[rb + x] - mb;
                cov += a * b;
                va += a * a;
                vb += b * b;
            }
        }
        return va == 0 || vb == 0 ? 0 : cov / Math.sqrt(va * vb);
    }

    /** Population variance of the 4-neighbour Laplacian with edge (nearest) padding. */
    static double laplacianVarianceEdge(double[] g, int w, int h) {
        double sum = 0;
        double sumSq = 0;
        for (int y = 0; y < h; y++) {
            int up = Math.max(y - 1, 0) * w;
            int down = Math.min(y + 1, h - 1) * w;
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int left = Math.max(x - 1, 0);
                int right = Math.min(x + 1, w - 1);
                double v = g[up + x] + g[down + x] + g[row + left] + g[row + right] - 4 * g[row + x];
                sum += v;
                sumSq += v * v;
            }
        }
        double n = (double) w * h;
        double mean = sum / n;
        return Math.max(0, sumSq / n - mean * mean);
    }
}
