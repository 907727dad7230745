package org.stainbench.review;

import java.util.zip.Adler32;
import java.util.zip.CRC32;
import org.stainbench.tiles.RgbTile;

/**
 * The one way a rater's browser receives a tile (issue 17): resampled to the session's image size, then encoded as a
 * PNG whose deflate stream holds <em>stored</em> (uncompressed) blocks only, so the byte length is a function of the
 * width and height alone ({@link #pngLength}) and says nothing about the content; no ancillary chunks. The same code runs
 * for real and generated tiles, whatever their native size (a tile already at the session's size is copied through
 * the same call).
 */
final class ReviewImages {

    /** Largest stored deflate block. */
    static final int BLOCK = 65_535;

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private ReviewImages() {}

    /** Byte length of {@link #png} for a width × height RGB image. */
    static long pngLength(int width, int height) {
        long raw = (long) height * (3L * width + 1);
        long blocks = Math.max(1, (raw + BLOCK - 1) / BLOCK);
        // signature 8, IHDR 12 + 13, IDAT 12 + (zlib header 2 + 5 per block + raw + Adler-32 4), IEND 12
        return 8 + 25 + 12 + 2 + 5 * blocks + raw + 4 + 12;
    }

    /** 8-bit RGB PNG, filter 0 on every row, zlib with stored blocks, no ancillary chunks. */
    static byte[] png(RgbTile t) {
        int w = t.width();
        int h = t.height();
        long total = pngLength(w, h);
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("image of " + w + " x " + h + " is too large to serve");
        }
        byte[] out = new byte[(int) total];
        int p = 0;
        System.arraycopy(SIGNATURE, 0, out, 0, 8);
        p = 8;
        // IHDR
        p = u32(out, p, 13);
        int ihdr = p;
        p = ascii(out, p, "IHDR");
        p = u32(out, p, w);
        p = u32(out, p, h);
        out[p++] = 8; // bit depth
        out[p++] = 2; // colour type RGB
        out[p++] = 0; // compression
        out[p++] = 0; // filter method
        out[p++] = 0; // no interlace
        p = u32(out, p, crc(out, ihdr, p - ihdr));
        // IDAT: one chunk holding the whole zlib stream
        long raw = (long) h * (3L * w + 1);
        int blocks = (int) Math.max(1, (raw + BLOCK - 1) / BLOCK);
        p = u32(out, p, (int) (2 + 5L * blocks + raw + 4));
        int idat = p;
        p = ascii(out, p, "IDAT");
        out[p++] = 0x78; // deflate, 32 KiB window
        out[p++] = 0x01; // no preset dictionary, fastest; (0x78 * 256 + 0x01) % 31 == 0
        Adler32 adler = new Adler32();
        byte[] rgb = t.rgb();
        int row = 3 * w;
        long left = raw;
        long offset = 0; // position in the filtered image data (filter byte + row, per row)
        while (left > 0) { // raw > 0: a tile has at least one row
            int len = (int) Math.min(BLOCK, left);
            out[p++] = (byte) (left - len == 0 ? 1 : 0); // BFINAL, BTYPE 00 (stored)
            out[p++] = (byte) len;
            out[p++] = (byte) (len >>> 8);
            out[p++] = (byte) ~len;
            out[p++] = (byte) (~len >>> 8);
            int start = p;
            for (int k = 0; k < len; ) {
                long y = offset / (row + 1);
                int x = (int) (offset % (row + 1));
                if (x == 0) {
                    out[p++] = 0; // filter type None
                    offset++;
                    k++;
                    continue;
                }
                int n = Math.min(len - k, row + 1 - x);
                System.arraycopy(rgb, (int) (y * row + x - 1), out, p, n);
                p += n;
                offset += n;
                k += n;
            }
            adler.update(out, start, len);
            left -= len;
        }
        p = u32(out, p, (int) adler.getValue());
        p = u32(out, p, crc(out, idat, p - idat));
        // IEND
        p = u32(out, p, 0);
        int iend = p;
        p = ascii(out, p, "IEND");
        p = u32(out, p, crc(out, iend, 4));
        if (p != out.length) {
            throw new IllegalStateException("PNG length " + p + " != " + out.length);
        }
        return out;
    }

    /**
     * The tile at width × height: a copy when it already has that size; area averaging when shrinking an axis and
     * bilinear interpolation (pixel centres aligned) when enlarging it, separably, rounded to the nearest 8-bit value.
     */
    static RgbTile resample(RgbTile t, int width, int height) {
        if (t.width() == width && t.height() == height) {
            return new RgbTile(width, height, t.rgb().clone());
        }
        int sw = t.width();
        int sh = t.height();
        Weights wx = weights(sw, width);
        Weights wy = weights(sh, height);
        byte[] src = t.rgb();
        // horizontal pass: sh rows of width pixels
        float[] mid = new float[sh * width * 3];
        for (int y = 0; y < sh; y++) {
            int srow = y * sw * 3;
            int mrow = y * width * 3;
            for (int x = 0; x < width; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = wx.start[x]; k < wx.start[x + 1]; k++) {
                    int s = srow + wx.index[k] * 3;
                    float w = wx.weight[k];
                    r += w * (src[s] & 0xff);
                    g += w * (src[s + 1] & 0xff);
                    b += w * (src[s + 2] & 0xff);
                }
                mid[mrow + x * 3] = r;
                mid[mrow + x * 3 + 1] = g;
                mid[mrow + x * 3 + 2] = b;
            }
        }
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            int orow = y * width * 3;
            for (int i = 0; i < width * 3; i++) {
                float v = 0;
                for (int k = wy.start[y]; k < wy.start[y + 1]; k++) {
                    v += wy.weight[k] * mid[wy.index[k] * width * 3 + i];
                }
                out[orow + i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        return new RgbTile(width, height, out);
    }

    /** Per output position, the source positions {@code index[start[o]..start[o+1])} and their weights (sum 1). */
    private record Weights(int[] start, int[] index, float[] weight) {}

    private static Weights weights(int n, int m) {
        int[] start = new int[m + 1];
        java.util.List<Integer> idx = new java.util.ArrayList<>();
        java.util.List<Float> wt = new java.util.ArrayList<>();
        double scale = (double) n / m;
        for (int o = 0; o < m; o++) {
            start[o] = idx.size();
            if (scale > 1) {
                // area: the source interval [o*scale, (o+1)*scale) covers whole and partial pixels
                double a = o * scale;
                double b = (o + 1) * scale;
                for (int s = (int) Math.floor(a); s < Math.min(n, (int) Math.ceil(b)); s++) {
                    double cover = Math.min(b, s + 1) - Math.max(a, s);
                    if (cover > 0) {
                        idx.add(s);
                        wt.add((float) (cover / scale));
                    }
                }
            } else {
                double c = (o + 0.5) * scale - 0.5;
                int s0 = (int) Math.floor(c);
                double f = c - s0;
                int lo = Math.max(0, Math.min(n - 1, s0));
                int hi = Math.max(0, Math.min(n - 1, s0 + 1));
                idx.add(lo);
                wt.add((float) (1 - f));
                idx.add(hi);
                wt.add((float) f);
            }
        }
        start[m] = idx.size();
        int[] index = idx.stream().mapToInt(Integer::intValue).toArray();
        float[] weight = new float[wt.size()];
        for (int k = 0; k < weight.length; k++) {
            weight[k] = wt.get(k);
        }
        return new Weights(start, index, weight);
    }

    private static int u32(byte[] out, int p, long v) {
        out[p] = (byte) (v >>> 24);
        out[p + 1] = (byte) (v >>> 16);
        out[p + 2] = (byte) (v >>> 8);
        out[p + 3] = (byte) v;
        return p + 4;
    }

    private static int ascii(byte[] out, int p, String s) {
        for (int i = 0; i < s.length(); i++) {
            out[p + i] = (byte) s.charAt(i);
        }
        return p + s.length();
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return c.getValue();
    }
}
