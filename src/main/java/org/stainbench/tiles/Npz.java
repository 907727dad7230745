package org.stainbench.tiles;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipException;

/**
 * Streaming reader of {@code .npz} archives (zip files of {@code .npy} entries, stored or deflated): finds
 * the tile array (the first entry that is a tile array, e.g. the lab's {@code arr_0}) and streams its tiles
 * to a {@link TileSink}. A bare {@code .npy} stream is accepted too. Guards against hostile archives:
 * entry names that try to leave a folder, entries that inflate beyond their declared size or beyond a
 * size cap, and compression ratios above a cap (zip bombs).
 */
public final class Npz {

    private static final int MIN_BYTES_FOR_RATIO = 64 << 20;

    private Npz() {}

    /**
     * @param maxEntryBytes  largest uncompressed entry accepted
     * @param maxRatio       largest compression ratio (uncompressed : compressed) accepted once an entry has
     *                       inflated more than 64 MiB
     */
    public record Limits(long maxEntryBytes, double maxRatio, int maxTileSide, long maxTiles, long archiveBytes) {
        public static final int DEFAULT_MAX_TILE_SIDE = 4096;
        public static final long DEFAULT_MAX_TILES = 2_000_000;
        public static final Limits DEFAULT = new Limits(64L << 30, 250);

        /**
         * @param maxTileSide  largest tile height or width a tile array may declare
         * @param maxTiles     most tiles one array may declare
         * @param archiveBytes the archive file's size in bytes, -1 where unknown: what an array declares must fit in it
         */
        public Limits {
            if (maxTileSide < 1 || maxTiles < 1) {
                throw new IllegalArgumentException("the tile side and tile count limits must be positive");
            }
        }

        public Limits(long maxEntryBytes, double maxRatio) {
            this(maxEntryBytes, maxRatio, DEFAULT_MAX_TILE_SIDE, DEFAULT_MAX_TILES, -1);
        }

        /** These limits for an archive file of {@code bytes} bytes. */
        public Limits forArchive(long bytes) {
            return new Limits(maxEntryBytes, maxRatio, maxTileSide, maxTiles, bytes);
        }

        /** The largest single value (one tile's bytes) a pickled object array may hold. */
        public long maxValueBytes() {
            return (long) maxTileSide * maxTileSide * 3;
        }

        /** The most bytes an entry of this archive can inflate to (the ratio cap applies above 64 MiB). */
        public long inflatable() {
            long cap = maxEntryBytes;
            if (archiveBytes >= 0 && maxRatio > 0) {
                double byRatio = Math.max((double) MIN_BYTES_FOR_RATIO, archiveBytes * maxRatio);
                cap = (long) Math.min(cap, Math.min(byRatio, Long.MAX_VALUE / 2.0));
            }
            return cap;
        }
    }

    /**
     * Checks what a tile array declares against the limits and against the bytes that can follow its header, before
     * anything is allocated for it: the tile count ({@code stainbench.catalog.max-tiles}), the tile side
     * ({@code stainbench.catalog.max-tile-side}) and, for plain arrays, count × H × W × 3 bytes.
     *
     * @param available bytes that can follow the header (-1: unknown, only the limits apply)
     */
    public static void checkDeclared(Npy.Header h, String key, long available, Limits limits) {
        String what = (key == null || key.isEmpty() ? "the array" : "array '" + key + "'") + " of shape "
                + Npy.shapeText(h.shape());
        long[] s = h.shape();
        if (s.length == 0) {
            return;
        }
        boolean object = h.dtype().kind() == Npy.Kind.OBJECT;
        long count = object || s.length == 4 ? s[0] : 1;
        if (count > limits.maxTiles()) {
            throw new NpyFormatException(what + " declares " + count + " tiles, more than the limit of "
                    + limits.maxTiles() + " (stainbench.catalog.max-tiles)");
        }
        if (object) {
            // every pickled row takes well over 16 bytes, so a count the data cannot hold is refused before reading it
            if (available >= 0 && count > available / 16) {
                throw new NpyFormatException(what + " declares " + count + " rows but only " + available
                        + " bytes follow its header: a damaged or hostile archive");
            }
            return;
        }
        if (s.length >= 3) {
            long height = s[s.length - 3];
            long width = s[s.length - 2];
            if (height > limits.maxTileSide() || width > limits.maxTileSide()) {
                throw new NpyFormatException(
                        what + " declares tiles of " + width + " x " + height + " pixels, above the limit of "
                                + limits.maxTileSide() + " pixels a side (stainbench.catalog.max-tile-side)");
            }
        }
        long bytes;
        try {
            bytes = h.dataBytes();
        } catch (ArithmeticException e) {
            throw new NpyFormatException(what + " declares more data than can exist");
        }
        if (available >= 0 && bytes > available) {
            throw new NpyFormatException(what + " declares " + bytes + " bytes of tiles but only " + available
                    + " bytes follow its header: a damaged or hostile archive");
        }
    }

    /** Rejects entry names that are absolute or climb out of the archive's folder ("zip slip"). */
    public static void checkEntryName(String name) {
        String n = name.replace('\\', '/');
        boolean bad = n.isEmpty() || n.startsWith("/") || n.indexOf('\0') >= 0 || n.matches("^[A-Za-z]:.*");
        for (String part : n.split("/")) {
            if (part.equals("..")) {
                bad = true;
            }
        }
        if (bad) {
            throw new NpyFormatException(
                    "unsafe entry name '" + name + "' in the archive: it tries to leave its folder");
        }
    }

    /** Checks what an entry declares (sizes from the zip directory; -1 where unknown). */
    public static void checkDeclaredSize(String name, long size, long compressedSize, Limits limits) {
        if (size > limits.maxEntryBytes()) {
            throw new NpyFormatException("entry '" + name + "' declares " + size + " bytes, more than the limit of "
                    + limits.maxEntryBytes() + " bytes");
        }
        if (size > MIN_BYTES_FOR_RATIO && compressedSize > 0 && size / (double) compressedSize > limits.maxRatio()) {
            throw new NpyFormatException(String.format(
                    Locale.ROOT,
                    "entry '%s' declares a compression ratio of %.0f:1, above the limit of %.0f:1 (a zip bomb?)",
                    name,
                    size / (double) compressedSize,
                    limits.maxRatio()));
        }
    }

    /** Reads the tile array of a zip (or bare .npy) stream. */
    public static TileArray readTiles(InputStream raw, Limits limits, TileSink sink) throws IOException {
        CountingInputStream counted = new CountingInputStream(
                raw instanceof BufferedInputStream ? raw : new BufferedInputStream(raw, 1 << 16));
        counted.mark(8);
        byte[] magic = counted.readNBytes(6);
        counted.reset();
        if (magic.length >= 6 && (magic[0] & 0xff) == 0x93 && magic[1] == 'N' && magic[2] == 'U') {
            Npy.Header h = Npy.readHeader(counted);
            TileArrays.layout(h);
            checkDeclared(
                    h,
                    "",
                    limits.archiveBytes() < 0 ? -1 : Math.max(0, limits.archiveBytes() - h.headerBytes()),
                    limits);
            return TileArrays.read(counted, "", h, sink, limits);
        }
        if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) {
            throw new NpyFormatException(
                    magic.length >= 4 && magic[0] == 'P' && magic[1] == 'K'
                            ? "the zip archive has no entries"
                            : "not a zip archive (.npz) or .npy file");
        }
        TileArray found = null;
        List<String> skipped = new ArrayList<>();
        try (ZipStream zip = new ZipStream(counted)) {
            ZipStream.Entry e;
            while ((e = zip.next()) != null) {
                String name = e.header.name();
                checkEntryName(name);
                checkDeclaredSize(name, e.header.size(), e.header.compressedSize(), limits);
                Guard guard = new Guard(e, name, e.header.size(), limits, counted);
                if (name.endsWith("/") || found != null || !name.endsWith(".npy")) {
                    drain(guard);
                    continue;
                }
                Npy.Header h = Npy.readHeader(guard);
                String key = name.substring(0, name.length() - 4);
                if (TileArrays.isTileArray(h)) {
                    checkDeclared(h, key, Math.max(0, limits.inflatable() - h.headerBytes()), limits);
                    if (e.header.size() >= 0
                            && h.dtype().kind() != Npy.Kind.OBJECT
                            && h.dataBytes() > e.header.size() - h.headerBytes()) {
                        throw new NpyFormatException("entry '" + name + "' holds an array of shape "
                                + Npy.shapeText(h.shape())
                                + " that needs " + h.dataBytes() + " bytes: it inflates beyond its declared size of "
                                + e.header.size() + " bytes (a damaged archive or a zip bomb?)");
                    }
                    found = TileArrays.read(guard, key, h, sink, limits);
                } else {
                    skipped.add(key + " (" + explain(h) + ")");
                }
                drain(guard);
            }
        } catch (ZipException | java.io.EOFException e) {
            String m = String.valueOf(e.getMessage());
            throw new NpyFormatException(
                    m.contains("invalid entry size") || m.contains("invalid entry compressed size")
                            ? "an entry inflates to a size other than it declares (" + m
                                    + "): a damaged archive or a zip bomb"
                            : "the archive is truncated or damaged: " + m);
        }
        if (found == null) {
            throw new NpyFormatException(
                    skipped.isEmpty()
                            ? "the archive holds no .npy arrays"
                            : "the archive holds no tile array: " + String.join("; ", skipped));
        }
        return found;
    }

    private static String explain(Npy.Header h) {
        try {
            TileArrays.layout(h);
            return h.toString();
        } catch (NpyFormatException e) {
            return e.getMessage();
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        while (in.read(buf) >= 0) {
            // skip the entry, still counting it against the limits
        }
    }

    /** Counts the compressed bytes the zip reader consumed. */
    static final class CountingInputStream extends FilterInputStream {
        long count;
        private long marked;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }

        @Override
        public synchronized void mark(int limit) {
            super.mark(limit);
            marked = count;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            count = marked;
        }
    }

    /** Counts an entry's inflated bytes against its declared size, the size cap and the ratio cap. */
    private static final class Guard extends FilterInputStream {
        private final String name;
        private final long declared;
        private final Limits limits;
        private final CountingInputStream compressed;
        private final long compressedStart;
        private long inflated;

        Guard(InputStream in, String name, long declared, Limits limits, CountingInputStream compressed) {
            super(in);
            this.name = name;
            this.declared = declared;
            this.limits = limits;
            this.compressed = compressed;
            this.compressedStart = compressed.count;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                inflated += n;
                check();
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public void close() {
            // the zip stream stays open for the next entry
        }

        private void check() {
            if (declared >= 0 && inflated > declared) {
                throw new NpyFormatException("entry '" + name + "' inflates beyond its declared size of " + declared
                        + " bytes (a zip bomb?)");
            }
            if (inflated > limits.maxEntryBytes()) {
                throw new NpyFormatException(
                        "entry '" + name + "' inflates beyond the limit of " + limits.maxEntryBytes() + " bytes");
            }
            if (inflated > MIN_BYTES_FOR_RATIO) {
                long c = Math.max(1, compressed.count - compressedStart);
                double ratio = inflated / (double) c;
                if (ratio > limits.maxRatio()) {
                    throw new NpyFormatException(String.format(
                            Locale.ROOT,
                            "entry '%s' inflates at a compression ratio of %.0f:1, above the limit of %.0f:1 (a zip bomb?)",
                            name,
                            ratio,
                            limits.maxRatio()));
                }
            }
        }
    }
}
