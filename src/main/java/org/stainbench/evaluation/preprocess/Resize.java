package org.stainbench.evaluation.preprocess;

/**
 * Resizes one channel plane (row-major, float64) with a {@link ResizeFilter}. Separable: rows first, then
 * columns, as PIL. Pure code.
 */
public final class Resize {

    private Resize() {}

    /** Resizes an {@code h x w} plane to {@code oh x ow}. */
    public static double[] plane(double[] src, int h, int w, int oh, int ow, ResizeFilter filter) {
        if (src.length != h * w) {
            throw new IllegalArgumentException("plane has " + src.length + " values, not " + h + " x " + w);
        }
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("output size must be positive, got " + oh + " x " + ow);
        }
        if (filter == ResizeFilter.NONE) {
            if (oh != h || ow != w) {
                throw new IllegalArgumentException("tile is " + h + " x " + w + " but the extractor needs " + oh + " x "
                        + ow + " and no resize filter was declared");
            }
            return src.clone();
        }
        Weights horizontal = weights(w, ow, filter);
        Weights vertical = weights(h, oh, filter);
        double[] tmp = new double[h * ow];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0.0;
                int start = horizontal.start[x];
                int base = x * horizontal.size;
                for (int k = 0; k < horizontal.count[x]; k++) {
                    s += src[y * w + start + k] * horizontal.w[base + k];
                }
                tmp[y * ow + x] = s;
            }
        }
        double[] out = new double[oh * ow];
        for (int y = 0; y < oh; y++) {
            int start = vertical.start[y];
            int base = y * vertical.size;
            for (int x = 0; x < ow; x++) {
                double s = 0.0;
                for (int k = 0; k < vertical.count[y]; k++) {
                    s += tmp[(start + k) * ow + x] * vertical.w[base + k];
                }
                out[y * ow + x] = s;
            }
        }
        return out;
    }

    /** For each output index: first input index, number of taps and their weights. */
    record Weights(int[] start, int[] count, double[] w, int size) {}

    static Weights weights(int in, int out, ResizeFilter filter) {
        if (filter == ResizeFilter.TF1_BILINEAR) {
            double scale = (double) in / out;
            int[] start = new int[out];
            int[] count = new int[out];
            double[] w = new double[out * 2];
            for (int i = 0; i < out; i++) {
                double src = i * scale;
                int i0 = (int) Math.floor(src);
                int i1 = Math.min(i0 + 1, in - 1);
                double frac = src - i0;
                start[i] = i0;
                if (i1 == i0) {
                    count[i] = 1;
                    w[2 * i] = 1.0;
                } else {
                    count[i] = 2;
                    w[2 * i] = 1.0 - frac;
                    w[2 * i + 1] = frac;
                }
            }
            return new Weights(start, count, w, 2);
        }
        // PIL / torch antialias: precompute_coeffs
        double support0 = filter == ResizeFilter.PIL_BICUBIC ? 2.0 : 1.0;
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double support = support0 * filterScale;
        int size = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[out];
        int[] count = new int[out];
        double[] w = new double[out * size];
        double ss = 1.0 / filterScale;
        for (int i = 0; i < out; i++) {
            double center = (i + 0.5) * scale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), in) - xmin;
            double total = 0.0;
            for (int k = 0; k < xmax; k++) {
                double v = kernel(filter, (k + xmin - center + 0.5) * ss);
                w[i * size + k] = v;
                total += v;
            }
            if (total != 0.0) {
                for (int k = 0; k < xmax; k++) {
                    w[i * size + k] /= total;
                }
            }
            start[i] = xmin;
            count[i] = xmax;
        }
        return new Weights(start, count, w, size);
    }

    private static double kernel(ResizeFilter filter, double x) {
        x = Math.abs(x);
        if (filter == ResizeFilter.PIL_BICUBIC) {
            final double a = -0.5;
            if (x < 1.0) {
                return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
            }
            if (x < 2.0) {
                return (((x - 5) * x + 8) * x - 4) * a;
            }
            return 0.0;
        }
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
