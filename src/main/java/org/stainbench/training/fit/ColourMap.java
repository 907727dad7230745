package org.stainbench.training.fit;

import java.util.Arrays;

import org.stainbench.tiles.RgbTile;

/**
 * A colour mapping in optical-density space: {@code od = −ln((rgb + 1) / 256)} per channel,
 * {@code od' = A · od + b}, {@code rgb' = 256 · exp(−od') − 1} (clipped to 0–255). The identity
 * ({@code A = I, b = 0}) leaves a tile unchanged; white stays white when {@code b = 0}.
 *
 * @param a the 3×3 matrix, row-major
 * @param b the offset
 */
public record ColourMap(double[] a, double[] b) {

    public ColourMap {
        if (a.length != 9 || b.length != 3) {
            throw new IllegalArgumentException("a colour map needs 9 matrix entries and 3 offsets");
        }
        for (double v : a) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("colour map entries must be finite");
            }
        }
        a = a.clone();
        b = b.clone();
    }

    public static ColourMap identity() {
        return new ColourMap(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
    }

    /** Optical density of an 8-bit value. */
    static double od(int v) {
        return -Math.log((v + 1) / 256.0);
    }

    /** Maps one pixel given as optical densities; returns colours on the 0–1 scale (unclipped below 0). */
    void mapOd(double o0, double o1, double o2, double[] outRgb01, int at) {
        for (int c = 0; c < 3; c++) {
            double y = a[c * 3] * o0 + a[c * 3 + 1] * o1 + a[c * 3 + 2] * o2 + b[c];
            outRgb01[at + c] = (256 * Math.exp(-y) - 1) / 255.0;
        }
    }

    public RgbTile apply(RgbTile tile) {
        double[] od = new double[256];
        for (int v = 0; v < 256; v++) {
            od[v] = od(v);
        }
        byte[] src = tile.rgb();
        byte[] out = new byte[src.length];
        double[] px = new double[3];
        for (int o = 0; o < src.length; o += 3) {
            mapOd(od[src[o] & 0xff], od[src[o + 1] & 0xff], od[src[o + 2] & 0xff], px, 0);
            for (int c = 0; c < 3; c++) {
                double v = Math.round(px[c] * 255);
                out[o + c] = (byte) (v < 0 ? 0 : (v > 255 ? 255 : v));
            }
        }
        return new RgbTile(tile.width(), tile.height(), out);
    }

    /** The 12 parameters as one vector: A row-major, then b. */
    double[] parameters() {
        double[] p = Arrays.copyOf(a, 12);
        System.arraycopy(b, 0, p, 9, 3);
        return p;
    }

    static ColourMap of(double[] p) {
        return new ColourMap(Arrays.copyOfRange(p, 0, 9), Arrays.copyOfRange(p, 9, 12));
    }
}
