package org.stainbench.tiles;

/** Downscaling by area averaging: each output pixel is the rounded mean of the input pixels it covers. */
public final class Thumbnails {

    public static final int SIZE = 256;

    private Thumbnails() {}

    /**
     * Scales so that the longer side is {@code maxSide} (never up). Output pixel (x, y) averages the source
     * block {@code [floor(y·H/h), floor((y+1)·H/h)) × [floor(x·W/w), floor((x+1)·W/w))}; for an integer
     * factor k this is numpy's {@code tile.reshape(h, k, w, k, 3).mean(axis=(1, 3))}, rounded half up.
     */
    public static RgbTile thumbnail(RgbTile tile, int maxSide) {
        int sw = tile.width();
        int sh = tile.height();
        if (sw <= maxSide && sh <= maxSide) {
            return tile;
        }
        int tw;
        int th;
        if (sw >= sh) {
            tw = maxSide;
            th = Math.max(1, (int) Math.round(sh * (double) maxSide / sw));
        } else {
            th = maxSide;
            tw = Math.max(1, (int) Math.round(sw * (double) maxSide / sh));
        }
        byte[] src = tile.rgb();
        byte[] out = new byte[tw * th * 3];
        int[] x0 = new int[tw + 1];
        for (int x = 0; x <= tw; x++) {
            x0[x] = (int) ((long) x * sw / tw);
        }
        int[] acc = new int[tw * 3];
        for (int y = 0; y < th; y++) {
            int ya = (int) ((long) y * sh / th);
            int yb = (int) ((long) (y + 1) * sh / th);
            java.util.Arrays.fill(acc, 0);
            for (int sy = ya; sy < yb; sy++) {
                int row = sy * sw * 3;
                for (int x = 0; x < tw; x++) {
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    for (int o = row + x0[x] * 3, end = row + x0[x + 1] * 3; o < end; o += 3) {
                        r += src[o] & 0xff;
                        g += src[o + 1] & 0xff;
                        b += src[o + 2] & 0xff;
                    }
                    acc[x * 3] += r;
                    acc[x * 3 + 1] += g;
                    acc[x * 3 + 2] += b;
                }
            }
            int o = y * tw * 3;
            for (int x = 0; x < tw; x++) {
                int count = (yb - ya) * (x0[x + 1] - x0[x]);
                for (int c = 0; c < 3; c++) {
                    out[o + x * 3 + c] = (byte) ((2 * acc[x * 3 + c] + count) / (2 * count));
                }
            }
        }
        return new RgbTile(tw, th, out);
    }
}
