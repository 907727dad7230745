package org.stainbench.tiles;

import java.util.SplittableRandom;

/**
 * Procedurally drawn tissue for demos and tests, deterministic for a seed. H&amp;E-like tiles: pink eosin
 * stroma with fibre texture, dark purple hematoxylin nuclei, white background (lumen, fat). CK7-IHC-like
 * tiles: pale background, pale blue hematoxylin counterstain nuclei, brown DAB cytoplasm around a fraction
 * of the cells. Variants: {@link Variant#BLURRED} (out of focus: fails the Laplacian threshold) and
 * {@link Variant#MOSTLY_WHITE} (background: fails the white and saturation thresholds).
 */
public final class SyntheticTiles {

    public enum Stain {
        HE,
        CK7
    }

    public enum Variant {
        NORMAL,
        BLURRED,
        MOSTLY_WHITE
    }

    private SyntheticTiles() {}

    /** The variant of tile {@code index} when a share of tiles is blurred and a share mostly white. */
    public static Variant variant(long seed, int index, double blurredShare, double whiteShare) {
        double u = new SplittableRandom(seed * 1_000_003L + index * 7919L + 17).nextDouble();
        if (u < blurredShare) {
            return Variant.BLURRED;
        }
        if (u < blurredShare + whiteShare) {
            return Variant.MOSTLY_WHITE;
        }
        return Variant.NORMAL;
    }

    public static RgbTile draw(Stain stain, Variant variant, int size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = size * size;
        int[] r = new int[n];
        int[] g = new int[n];
        int[] b = new int[n];
        // background and stroma
        int[] bg = stain == Stain.HE ? new int[] {244, 240, 243} : new int[] {238, 236, 232};
        int[] stroma = stain == Stain.HE ? new int[] {231, 148, 190} : new int[] {214, 208, 214};
        double whiteCut = variant == Variant.MOSTLY_WHITE ? 0.85 : 0.25 + rnd.nextDouble() * 0.15;
        double fx = 2 + rnd.nextDouble() * 3;
        double fy = 2 + rnd.nextDouble() * 3;
        double px = rnd.nextDouble() * 6.28;
        double py = rnd.nextDouble() * 6.28;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                double u = x / (double) size;
                double v = y / (double) size;
                double field = 0.5
                        + 0.25 * Math.sin(u * fx * 6.28 + px) * Math.cos(v * fy * 6.28 + py)
                        + 0.25 * Math.sin((u + v) * 9.0 + px);
                if (field < whiteCut) {
                    r[i] = bg[0];
                    g[i] = bg[1];
                    b[i] = bg[2];
                } else {
                    double fibre = 0.85 + 0.15 * Math.sin(u * 120 + 8 * Math.sin(v * 10 + py));
                    r[i] = (int) (stroma[0] * (0.9 + 0.1 * fibre));
                    g[i] = (int) (stroma[1] * fibre);
                    b[i] = (int) (stroma[2] * (0.95 + 0.05 * fibre));
                }
            }
        }
        // cells
        int cells = (int) (n / 900.0 * (variant == Variant.MOSTLY_WHITE ? 0.1 : 1));
        for (int c = 0; c < cells; c++) {
            int cx = rnd.nextInt(size);
            int cy = rnd.nextInt(size);
            double rad = size / 256.0 * (3 + rnd.nextDouble() * 3);
            double ecc = 0.6 + rnd.nextDouble() * 0.6;
            boolean dab = stain == Stain.CK7 && rnd.nextDouble() < 0.45;
            if (dab) {
                ellipse(r, g, b, size, cx, cy, rad * 2.2, rad * 2.2 * ecc, new int[] {150, 92, 48}, 0.85);
            }
            int[] nucleus = stain == Stain.HE ? new int[] {72, 46, 128} : new int[] {112, 118, 178};
            ellipse(r, g, b, size, cx, cy, rad, rad * ecc, nucleus, 0.9);
        }
        // grain
        byte[] out = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            int noise = rnd.nextInt(13) - 6;
            out[i * 3] = clamp(r[i] + noise);
            out[i * 3 + 1] = clamp(g[i] + noise + rnd.nextInt(5) - 2);
            out[i * 3 + 2] = clamp(b[i] + noise);
        }
        RgbTile tile = new RgbTile(size, size, out);
        return variant == Variant.BLURRED ? blur(tile, Math.max(2, size / 128)) : tile;
    }

    private static void ellipse(
            int[] r, int[] g, int[] b, int size, int cx, int cy, double ax, double ay, int[] colour, double opacity) {
        int x0 = Math.max(0, (int) (cx - ax));
        int x1 = Math.min(size - 1, (int) (cx + ax));
        int y0 = Math.max(0, (int) (cy - ay));
        int y1 = Math.min(size - 1, (int) (cy + ay));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double dx = (x - cx) / ax;
                double dy = (y - cy) / ay;
                if (dx * dx + dy * dy <= 1) {
                    int i = y * size + x;
                    r[i] = (int) (r[i] * (1 - opacity) + colour[0] * opacity);
                    g[i] = (int) (g[i] * (1 - opacity) + colour[1] * opacity);
                    b[i] = (int) (b[i] * (1 - opacity) + colour[2] * opacity);
                }
            }
        }
    }

    /** Three passes of a box blur of radius {@code k} (close to a Gaussian). */
    static RgbTile blur(RgbTile t, int k) {
        int w = t.width();
        int h = t.height();
        int[] buf = new int[w * h * 3];
        for (int i = 0; i < buf.length; i++) {
            buf[i] = t.rgb()[i] & 0xff;
        }
        int[] tmp = new int[buf.length];
        for (int pass = 0; pass < 3; pass++) {
            boxPass(buf, tmp, w, h, k, true);
            boxPass(tmp, buf, w, h, k, false);
        }
        byte[] out = new byte[buf.length];
        for (int i = 0; i < buf.length; i++) {
            out[i] = (byte) buf[i];
        }
        return new RgbTile(w, h, out);
    }

    private static void boxPass(int[] src, int[] dst, int w, int h, int k, boolean horizontal) {
        int lines = horizontal ? h : w;
        int len = horizontal ? w : h;
        for (int line = 0; line < lines; line++) {
            for (int c = 0; c < 3; c++) {
                int sum = 0;
                int count = 0;
                for (int i = -k; i <= k; i++) {
                    if (i >= 0 && i < len) {
                        sum += src[idx(line, i, w, horizontal) + c];
                        count++;
                    }
                }
                for (int i = 0; i < len; i++) {
                    dst[idx(line, i, w, horizontal) + c] = sum / count;
                    int out = i - k;
                    int in = i + k + 1;
                    if (out >= 0) {
                        sum -= src[idx(line, out, w, horizontal) + c];
                        count--;
                    }
                    if (in < len) {
                        sum += src[idx(line, in, w, horizontal) + c];
                        count++;
                    }
                }
            }
        }
    }

    private static int idx(int line, int i, int w, boolean horizontal) {
        return horizontal ? (line * w + i) * 3 : (i * w + line) * 3;
    }

    /**
     * Writes an archive in the lab's exact format (key {@code arr_0}, object array (N, 2) of {@code [tile, label]})
     * with procedurally drawn tiles; label 1 for a normal tissue tile, 0 for a blurred or mostly white one.
     * {@code compressed}: like {@code np.savez_compressed} (real tiles); otherwise like {@code np.savez}.
     */
    public static void writeLabArchive(
            java.io.OutputStream out,
            Stain stain,
            int count,
            int size,
            long seed,
            double blurredShare,
            double whiteShare,
            boolean compressed)
            throws java.io.IOException {
        NpzWriter.writeLab(
                out,
                count,
                i -> draw(stain, variant(seed, i, blurredShare, whiteShare), size, seed * 100_003L + i),
                i -> variant(seed, i, blurredShare, whiteShare) == Variant.NORMAL ? 1 : 0,
                compressed);
    }

    /** The same tiles as a plain uint8 (N, H, W, 3) array under {@code key}. */
    public static void writePlainArchive(
            java.io.OutputStream out,
            String key,
            Stain stain,
            int count,
            int size,
            long seed,
            double blurredShare,
            double whiteShare,
            boolean compressed)
            throws java.io.IOException {
        NpzWriter.writePlain(
                out,
                key,
                count,
                size,
                size,
                i -> draw(stain, variant(seed, i, blurredShare, whiteShare), size, seed * 100_003L + i),
                compressed);
    }

    private static byte clamp(int v) {
        return (byte) Math.max(0, Math.min(255, v));
    }
}
