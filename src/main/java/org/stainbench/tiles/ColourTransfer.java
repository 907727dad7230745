package org.stainbench.tiles;

/**
 * Classical colour baselines for H&amp;E → IHC, pure and deterministic.
 * <ul>
 * <li>{@link #reinhard}: Reinhard et al. (2001) colour transfer in CIE L*a*b* (D65, scikit-image's
 * {@code rgb2lab}/{@code lab2rgb} conventions): each channel of the source tile is standardised with the
 * tile's own mean and standard deviation and rescaled to the target dataset's.</li>
 * <li>{@link #stainRemap}: colour deconvolution of the H&amp;E tile ({@link StainSeparation#rgbToHed}),
 * hematoxylin kept as the IHC counterstain, eosin density mapped to DAB, recomposed with the H and DAB
 * stain vectors ({@code combine_stains} with E set to 0).</li>
 * </ul>
 */
public final class ColourTransfer {

    private static final double[][] XYZ_FROM_RGB = {
        {0.412453, 0.357580, 0.180423},
        {0.212671, 0.715160, 0.072169},
        {0.019334, 0.119193, 0.950227},
    };
    private static final double[][] RGB_FROM_XYZ = StainSeparation.invert(XYZ_FROM_RGB);
    /** D65, 2° observer, as skimage's {@code xyz_ref_white}. */
    private static final double[] WHITE = {0.95047, 1.0, 1.08883};

    private static final double[] LINEAR = new double[256];

    static {
        for (int v = 0; v < 256; v++) {
            double c = v / 255.0;
            LINEAR[v] = c > 0.04045 ? Math.pow((c + 0.055) / 1.055, 2.4) : c / 12.92;
        }
    }

    private ColourTransfer() {}

    /** Per-channel mean and population standard deviation of L*, a*, b* over many pixels. */
    public record LabStats(double[] mean, double[] std, long pixels) {

        /** Accumulates the statistics of all pixels of the given tiles. */
        public static LabStats of(Iterable<RgbTile> tiles) {
            double[] sum = new double[3];
            double[] sq = new double[3];
            long n = 0;
            for (RgbTile t : tiles) {
                double[] lab = rgbToLab(t);
                for (int i = 0; i < lab.length; i++) {
                    sum[i % 3] += lab[i];
                    sq[i % 3] += lab[i] * lab[i];
                }
                n += t.pixels();
            }
            if (n == 0) {
                throw new IllegalArgumentException("no pixels to take colour statistics from");
            }
            double[] mean = new double[3];
            double[] std = new double[3];
            for (int c = 0; c < 3; c++) {
                mean[c] = sum[c] / n;
                std[c] = Math.sqrt(Math.max(0, sq[c] / n - mean[c] * mean[c]));
            }
            return new LabStats(mean, std, n);
        }
    }

    public static RgbTile reinhard(RgbTile source, LabStats target) {
        double[] lab = rgbToLab(source);
        LabStats own = LabStats.of(java.util.List.of(source));
        for (int i = 0; i < lab.length; i++) {
            int c = i % 3;
            double scale = own.std()[c] == 0 ? 1 : target.std()[c] / own.std()[c];
            lab[i] = (lab[i] - own.mean()[c]) * scale + target.mean()[c];
        }
        return labToRgb(lab, source.width(), source.height());
    }

    public static RgbTile stainRemap(RgbTile source, double hematoxylinGain, double dabGain) {
        double[] hed = StainSeparation.rgbToHed(source);
        for (int o = 0; o < hed.length; o += 3) {
            double e = hed[o + 1];
            hed[o] *= hematoxylinGain;
            hed[o + 1] = 0;
            hed[o + 2] = e * dabGain;
        }
        return StainSeparation.combine(hed, source.width(), source.height(), StainSeparation.RGB_FROM_HED);
    }

    /** L*, a*, b* of every pixel, interleaved, as {@code skimage.color.rgb2lab}. */
    public static double[] rgbToLab(RgbTile tile) {
        byte[] rgb = tile.rgb();
        double[] out = new double[rgb.length];
        for (int o = 0; o < rgb.length; o += 3) {
            double r = LINEAR[rgb[o] & 0xff];
            double g = LINEAR[rgb[o + 1] & 0xff];
            double b = LINEAR[rgb[o + 2] & 0xff];
            double fx = f((XYZ_FROM_RGB[0][0] * r + XYZ_FROM_RGB[0][1] * g + XYZ_FROM_RGB[0][2] * b) / WHITE[0]);
            double fy = f((XYZ_FROM_RGB[1][0] * r + XYZ_FROM_RGB[1][1] * g + XYZ_FROM_RGB[1][2] * b) / WHITE[1]);
            double fz = f((XYZ_FROM_RGB[2][0] * r + XYZ_FROM_RGB[2][1] * g + XYZ_FROM_RGB[2][2] * b) / WHITE[2]);
            out[o] = 116 * fy - 16;
            out[o + 1] = 500 * (fx - fy);
            out[o + 2] = 200 * (fy - fz);
        }
        return out;
    }

    /** Back to 8-bit sRGB, as {@code skimage.color.lab2rgb} then rounding; out-of-gamut values are clipped. */
    public static RgbTile labToRgb(double[] lab, int width, int height) {
        byte[] rgb = new byte[lab.length];
        for (int o = 0; o < lab.length; o += 3) {
            double y = (lab[o] + 16) / 116;
            double x = lab[o + 1] / 500 + y;
            double z = Math.max(0, y - lab[o + 2] / 200);
            double[] xyz = {finv(x) * WHITE[0], finv(y) * WHITE[1], finv(z) * WHITE[2]};
            for (int c = 0; c < 3; c++) {
                double lin = RGB_FROM_XYZ[c][0] * xyz[0] + RGB_FROM_XYZ[c][1] * xyz[1] + RGB_FROM_XYZ[c][2] * xyz[2];
                double s = lin > 0.0031308 ? 1.055 * Math.pow(lin, 1 / 2.4) - 0.055 : lin * 12.92;
                s = s < 0 ? 0 : (s > 1 ? 1 : s);
                rgb[o + c] = (byte) Math.round(s * 255);
            }
        }
        return new RgbTile(width, height, rgb);
    }

    private static double f(double t) {
        return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16.0 / 116;
    }

    private static double finv(double t) {
        return t > 0.2068966 ? t * t * t : (t - 16.0 / 116) / 7.787;
    }
}
