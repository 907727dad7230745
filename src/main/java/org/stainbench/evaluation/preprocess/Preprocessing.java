package org.stainbench.evaluation.preprocess;

import java.util.Arrays;
import java.util.Objects;
import org.stainbench.evaluation.metrics.ImageChecks;

/**
 * The declared input pipeline of a feature extractor, part of every evaluation's recorded protocol:
 * an 8-bit RGB tile (checked by {@link ImageChecks}) is resized per channel on its 0..255 values with
 * {@code filter} to {@code height x width}, then each value becomes
 * {@code ((v * scale + offset) - mean[c]) / std[c]}, laid out channel-first (NCHW, float32).
 * Examples: torch-fidelity's Inception takes {@code (v - 128) / 128} (scale 1/128, offset -1); torchvision
 * encoders take {@code (v / 255 - mean) / std} (scale 1/255, offset 0, ImageNet or the encoder's mean/std).
 */
public record Preprocessing(
        int height, int width, ResizeFilter filter, double scale, double offset, double[] mean, double[] std) {

    public Preprocessing {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + height + " x " + width);
        }
        if (filter == null) {
            throw new IllegalArgumentException("a resize filter must be declared (NONE if tiles already fit)");
        }
        if (!Double.isFinite(scale) || scale == 0 || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("value scaling must be finite and non-zero");
        }
        mean = mean == null ? new double[] {0, 0, 0} : mean.clone();
        std = std == null ? new double[] {1, 1, 1} : std.clone();
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("channel mean and std need 3 values each");
        }
        for (double s : std) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("channel std must be positive, got " + Arrays.toString(std));
            }
        }
    }

    /** torch-fidelity / torchmetrics-compatible FID Inception input: 299 x 299, TF1 bilinear, (v - 128) / 128. */
    public static Preprocessing torchFidelityInception() {
        return new Preprocessing(299, 299, ResizeFilter.TF1_BILINEAR, 1.0 / 128, -1.0, null, null);
    }

    /** Values scaled to [0, 1] and normalised per channel, as torchvision's ToTensor + Normalize. */
    public static Preprocessing torchvision(int size, ResizeFilter filter, double[] mean, double[] std) {
        return new Preprocessing(size, size, filter, 1.0 / 255, 0.0, mean, std);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** Values per tile in the output (3 x height x width). */
    public int valuesPerTile() {
        return 3 * height * width;
    }

    /**
     * Writes one interleaved RGB tile ({@code h x w x 3} bytes, 0..255) into {@code dst} at index {@code at} as
     * 3 planes of height x width.
     */
    public void toChannelsFirst(String what, byte[] hwc, int h, int w, float[] dst, int at) {
        ImageChecks.requireRgb8(what, hwc, h, w, 3);
        int plane = height * width;
        double[] channel = new double[h * w];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < h * w; i++) {
                channel[i] = hwc[i * 3 + c] & 0xFF;
            }
            double[] resized = Resize.plane(channel, h, w, height, width, filter);
            int base = at + c * plane;
            double m = mean[c];
            double s = std[c];
            for (int i = 0; i < plane; i++) {
                dst[base + i] = (float) ((resized[i] * scale + offset - m) / s);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p
                && p.height == height
                && p.width == width
                && p.filter == filter
                && p.scale == scale
                && p.offset == offset
                && Arrays.equals(p.mean, mean)
                && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(height, width, filter, scale, offset, Arrays.hashCode(mean), Arrays.hashCode(std));
    }

    /** A one-line description for protocols and logs. */
    public String describe() {
        return height + "x" + width + ", resize " + filter.description() + ", value*" + scale + (offset >= 0 ? "+" : "")
                + offset + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
