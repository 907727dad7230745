package org.stainbench.tiles;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Streaming reader of tile arrays in {@code .npy} form (a bare file or one entry of an {@code .npz}):
 * plain {@code uint8} arrays of shape (N, H, W, 3) or (H, W, 3), and the lab's pickled object arrays of
 * shape (N, 2) {@code [tile, label]} or (N, 4) {@code (tile, coords, ratio, label)}, written by numpy 1.x
 * ({@code numpy.core.multiarray}) or 2.x ({@code numpy._core.multiarray}), pickle protocols 2 to 4.
 * Tiles are handed to a {@link TileSink} one at a time as they are decoded, so the memory needed does not
 * grow with the array; every violation is an {@link NpyFormatException} with a message for people.
 */
public final class TileArrays {

    private TileArrays() {}

    /** Whether an array with this header is something {@link #read} accepts (used to pick an npz entry). */
    public static boolean isTileArray(Npy.Header h) {
        try {
            layout(h);
            return true;
        } catch (NpyFormatException e) {
            return false;
        }
    }

    /** Checks a header and describes its layout; throws with the reason when it is not a tile array. */
    public static String layout(Npy.Header h) {
        long[] s = h.shape();
        if (h.dtype().kind() == Npy.Kind.OBJECT) {
            if (s.length == 2 && (s[1] == 2 || s[1] == 4)) {
                return "object " + Npy.shapeText(new long[] {-1, s[1]}).replace("-1", "N");
            }
            throw new NpyFormatException("unsupported object array of shape " + Npy.shapeText(s)
                    + ": expected rows of (tile, label), shape (N, 2), or (tile, coords, ratio, label), shape (N, 4)");
        }
        boolean imageShape = (s.length == 4 && s[3] == 3) || (s.length == 3 && s[2] == 3);
        if (!h.dtype().isUint8()) {
            throw new NpyFormatException("unsupported dtype '" + h.dtype().descr() + "' of shape " + Npy.shapeText(s)
                    + ": tiles must be uint8 RGB, shape (N, H, W, 3)");
        }
        if (!imageShape) {
            throw new NpyFormatException("unsupported shape " + Npy.shapeText(s)
                    + " for a uint8 array: tiles must have shape (N, H, W, 3) or (H, W, 3)");
        }
        if (h.fortranOrder()) {
            throw new NpyFormatException("Fortran-order tile arrays cannot be streamed tile by tile; "
                    + "save the array in C order (np.ascontiguousarray)");
        }
        for (int i = s.length - 3; i < s.length - 1; i++) {
            if (s[i] < 1 || s[i] > 65535) {
                throw new NpyFormatException("unsupported tile size in shape " + Npy.shapeText(s));
            }
        }
        return s.length == 4 ? "uint8 (N, H, W, 3)" : "uint8 (H, W, 3)";
    }

    /** Reads a bare {@code .npy} stream. */
    public static TileArray read(InputStream in, TileSink sink) throws IOException {
        return read(in, "", sink);
    }

    /** Reads the {@code .npy} stream of archive entry {@code key}, tile by tile. */
    public static TileArray read(InputStream in, String key, TileSink sink) throws IOException {
        Npy.Header h = Npy.readHeader(in);
        return read(in, key, h, sink);
    }

    /** Reads the data that follows an already parsed header. */
    public static TileArray read(InputStream in, String key, Npy.Header h, TileSink sink) throws IOException {
        return read(in, key, h, sink, Npz.Limits.DEFAULT);
    }

    /** Reads the data that follows an already parsed header; pickled values beyond the tile size limit are refused. */
    public static TileArray read(InputStream in, String key, Npy.Header h, TileSink sink, Npz.Limits limits)
            throws IOException {
        String layout = layout(h);
        long[] s = h.shape();
        if (s[0] > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException("array of " + s[0] + " tiles is too large");
        }
        if (h.dtype().kind() == Npy.Kind.OBJECT) {
            TileArrayHeader header = new TileArrayHeader(key, layout, (int) s[0], 0, 0);
            call(() -> sink.begin(header));
            return PickledTiles.read(in, header, (int) s[1], sink, limits);
        }
        int count = s.length == 4 ? (int) s[0] : 1;
        int height = (int) s[s.length - 3];
        int width = (int) s[s.length - 2];
        TileArrayHeader header = new TileArrayHeader(key, layout, count, width, height);
        call(() -> sink.begin(header));
        DataInputStream d = new DataInputStream(in);
        for (int i = 0; i < count; i++) {
            byte[] buf = new byte[Math.toIntExact(RgbTile.bytes(width, height))];
            try {
                d.readFully(buf);
            } catch (EOFException e) {
                throw new NpyFormatException("the archive is truncated: tile " + i + " of " + count + " ends early");
            }
            int index = i;
            call(() -> sink.accept(index, new RgbTile(width, height, buf)));
        }
        return new TileArray(header, width, height, Collections.nCopies(count, TileRow.NONE));
    }

    interface Call {
        void run() throws Exception;
    }

    /** Runs sink code, letting I/O and format errors through and wrapping the rest. */
    static void call(Call c) throws IOException {
        try {
            c.run();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    static List<TileRow> rows(int n) {
        return new ArrayList<>(n);
    }
}
