package org.stainbench.slides.tiling;

import java.util.Arrays;

/**
 * The lab's tile grid on one pyramid level: positions {@code 0, stride, 2·stride, …} below the level's extent
 * ({@code stride = size − overlap}, Python's {@code range(0, W, stride)}), each clamped to {@code W − size}
 * so that edge tiles are re-anchored inside the image and every tile is full size; clamped duplicates are
 * dropped. A level narrower or lower than one tile has no tiles along that side.
 *
 * @param xs column positions on the level, ascending
 * @param ys row positions on the level, ascending
 */
public record TileGrid(long[] xs, long[] ys, int size) {

    public TileGrid {
        xs = xs.clone();
        ys = ys.clone();
    }

    public static TileGrid of(long width, long height, int size, int overlap) {
        if (size < 16 || size > 8192) {
            throw new IllegalArgumentException("Tile size must be between 16 and 8192 pixels, not " + size + ".");
        }
        if (overlap < 0 || overlap >= size) {
            throw new IllegalArgumentException(
                    "Overlap must be at least 0 and less than the tile size (" + size + "), not " + overlap + ".");
        }
        return new TileGrid(axis(width, size, size - overlap), axis(height, size, size - overlap), size);
    }

    static long[] axis(long extent, int size, int stride) {
        if (extent < size) {
            return new long[0];
        }
        long last = extent - size;
        long[] out = new long[(int) ((extent + stride - 1) / stride)];
        int n = 0;
        for (long x = 0; x < extent; x += stride) {
            long p = Math.min(x, last);
            if (n == 0 || out[n - 1] != p) {
                out[n++] = p;
            }
        }
        return Arrays.copyOf(out, n);
    }

    public int columns() {
        return xs.length;
    }

    public int rows() {
        return ys.length;
    }

    public int count() {
        return xs.length * ys.length;
    }

    /** Column of tile {@code i} in row-major order. */
    public long x(int i) {
        return xs[i % xs.length];
    }

    public long y(int i) {
        return ys[i / xs.length];
    }

    @Override
    public long[] xs() {
        return xs.clone();
    }

    @Override
    public long[] ys() {
        return ys.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TileGrid g && g.size == size && Arrays.equals(g.xs, xs) && Arrays.equals(g.ys, ys);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(xs) + Arrays.hashCode(ys)) + size;
    }

    @Override
    public String toString() {
        return "TileGrid[" + xs.length + " x " + ys.length + " of " + size + "]";
    }
}
