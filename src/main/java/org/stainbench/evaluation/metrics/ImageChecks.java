package org.stainbench.evaluation.metrics;

/**
 * Checks that a tile handed to a feature extractor is what the protocol declares: 8-bit RGB, values 0..255,
 * interleaved height x width x 3. The lab's own mistake was feeding 0..255 tiles to code that expected floats in
 * [0, 1] (the network then saw colour-inverted images); the reverse, a 0..1 float tile where 0..255 is expected,
 * is rejected here: a tile whose values all lie in [0, 1] (and are not all 0) is refused with a message saying
 * why. Each method throws {@link IllegalArgumentException} with a clear message, and returns normally otherwise.
 */
public final class ImageChecks {

    private ImageChecks() {}

    /** A tile given as 8-bit values (Java bytes read as unsigned 0..255). */
    public static void requireRgb8(String what, byte[] hwc, int height, int width, int channels) {
        requireShape(what, hwc.length, height, width, channels);
        int max = 0;
        for (byte b : hwc) {
            max = Math.max(max, b & 0xFF);
        }
        if (max == 1) {
            throw new IllegalArgumentException(what + ": every pixel value is 0 or 1; this looks like an image in"
                    + " [0, 1] converted to 8 bits, where 0..255 is expected");
        }
    }

    /** A tile given as floating-point values that must be 8-bit RGB values 0..255. */
    public static void requireRgb8(String what, float[] hwc, int height, int width, int channels) {
        double[] d = new double[hwc.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = hwc[i];
        }
        requireRgb8(what, d, height, width, channels);
    }

    /** A tile given as floating-point values that must be 8-bit RGB values 0..255. */
    public static void requireRgb8(String what, double[] hwc, int height, int width, int channels) {
        requireShape(what, hwc.length, height, width, channels);
        double max = 0.0;
        for (int i = 0; i < hwc.length; i++) {
            double v = hwc[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(what + ": pixel value " + v + " at " + where(i, width, channels)
                        + "; pixels must be finite 8-bit values 0..255");
            }
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException(
                        what + ": pixel value " + v + " at " + where(i, width, channels) + " lies outside 0..255");
            }
            max = Math.max(max, v);
        }
        if (max > 0 && max <= 1.0) {
            throw new IllegalArgumentException(what + ": all pixel values lie in [0, 1] (max " + max + "); this"
                    + " looks like a float image scaled to 0..1 where 8-bit values 0..255 are expected."
                    + " Multiply by 255 and round, or fix the declared input scaling");
        }
        for (int i = 0; i < hwc.length; i++) {
            if (hwc[i] != Math.rint(hwc[i])) {
                throw new IllegalArgumentException(what + ": pixel value " + hwc[i] + " at " + where(i, width, channels)
                        + " is not an integer; 8-bit RGB values are whole numbers 0..255");
            }
        }
    }

    private static void requireShape(String what, int length, int height, int width, int channels) {
        if (channels != 3) {
            throw new IllegalArgumentException(what + ": expected 3 channels (RGB), got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(what + ": empty tile " + height + " x " + width);
        }
        if ((long) height * width * channels != length) {
            throw new IllegalArgumentException(what + ": " + length + " values do not make a " + height + " x " + width
                    + " x " + channels + " tile");
        }
    }

    private static String where(int i, int width, int channels) {
        int pixel = i / channels;
        return "row " + (pixel / width) + ", column " + (pixel % width) + ", channel " + (i % channels);
    }
}
