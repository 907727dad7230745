package org.stainbench.tiles;

import java.util.Arrays;
import java.util.Locale;

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
    public static double od(int v) {
        return -Math.log((v + 1) / 256.0);
    }

    /** Maps one pixel given as optical densities; returns colours on the 0–1 scale (unclipped below 0). */
    public void mapOd(double o0, double o1, double o2, double[] outRgb01, int at) {
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
    public double[] parameters() {
        double[] p = Arrays.copyOf(a, 12);
        System.arraycopy(b, 0, p, 9, 3);
        return p;
    }

    public static ColourMap of(double[] p) {
        if (p.length != 12) {
            throw new IllegalArgumentException("a colour map has 12 parameters, got " + p.length);
        }
        return new ColourMap(Arrays.copyOfRange(p, 0, 9), Arrays.copyOfRange(p, 9, 12));
    }

    /** The parameters as text, {@code map=p0,p1,…,p11} (full double precision), for storing with a checkpoint. */
    public String toText() {
        StringBuilder s = new StringBuilder("map=");
        double[] p = parameters();
        for (int i = 0; i < p.length; i++) {
            s.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.17g", p[i]));
        }
        return s.toString();
    }

    /** Reads {@link #toText()}; anything else is an {@link IllegalArgumentException}. */
    public static ColourMap parse(String text) {
        if (text == null || !text.startsWith("map=")) {
            throw new IllegalArgumentException("not a colour map: " + text);
        }
        String[] parts = text.substring(4).split(",");
        double[] p = new double[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                p[i] = Double.parseDouble(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a colour map: " + text);
        }
        return of(p);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColourMap m && Arrays.equals(a, m.a) && Arrays.equals(b, m.b);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(a) + Arrays.hashCode(b);
    }

    @Override
    public String toString() {
        return "ColourMap" + toText().substring(3);
    }
}
