package org.stainbench.tiles;

import java.util.Objects;

/**
 * An 8-bit RGB image, row-major with interleaved channels: exactly the bytes of a C-order numpy
 * {@code uint8} array of shape (height, width, 3). The array is shared, not copied: do not modify it.
 */
public record RgbTile(int width, int height, byte[] rgb) {

    public RgbTile {
        Objects.requireNonNull(rgb, "rgb");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("tile of " + width + " x " + height + " pixels");
        }
        if ((long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("tile of " + width + " x " + height + " needs "
                    + (long) width * height * 3 + " bytes, got " + rgb.length);
        }
    }

    public int pixels() {
        return width * height;
    }

    /** Bytes of one tile of this size. */
    public static long bytes(int width, int height) {
        return (long) width * height * 3;
    }

    /** Channel c (0 red, 1 green, 2 blue) of pixel (x, y), 0–255. */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }

    @Override
    public String toString() {
        return "RgbTile[" + width + "x" + height + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbTile t && t.width == width && t.height == height && java.util.Arrays.equals(t.rgb, rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + java.util.Arrays.hashCode(rgb);
    }
}
