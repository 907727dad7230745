package org.stainbench.tiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes {@code .npz} archives one tile at a time: plain {@code uint8} (N, H, W, 3) arrays, and the lab's
 * pickled layout (key {@code arr_0}, object array (N, 2) of {@code [tile, label]}), which numpy reads with
 * {@code np.load(path, allow_pickle=True)}. The pickle uses protocol 3 and the module name
 * {@code numpy.core.multiarray}, which numpy 1.x reads and numpy 2.x still maps to {@code numpy._core}.
 * Stored (uncompressed, like {@code np.savez}) entries need their CRC up front, so the tiles are asked for
 * twice: the tile function must be deterministic.
 */
public final class NpzWriter {

    private static final int BATCH = 1000;

    private NpzWriter() {}

    /** Writes key {@code key} as a plain uint8 array of {@code count} tiles of {@code width x height}. */
    public static void writePlain(
            OutputStream out,
            String key,
            int count,
            int width,
            int height,
            IntFunction<RgbTile> tiles,
            boolean compressed)
            throws IOException {
        Npz.checkEntryName(key);
        try (ZipOutputStream zip = new ZipOutputStream(new NonClosing(out))) {
            entry(zip, key + ".npy", compressed, o -> {
                Npy.writeHeader(o, "|u1", count, height, width, 3);
                for (int i = 0; i < count; i++) {
                    RgbTile t = tiles.apply(i);
                    check(t, i, width, height);
                    o.write(t.rgb());
                }
            });
        }
    }

    /** Writes the lab's layout: {@code arr_0}, an object array of {@code [tile, label]} rows. */
    public static void writeLab(
            OutputStream out, int count, IntFunction<RgbTile> tiles, IntFunction<Number> labels, boolean compressed)
            throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(new NonClosing(out))) {
            entry(zip, "arr_0.npy", compressed, o -> {
                Npy.writeHeader(o, "|O", count, 2);
                writePickle(o, count, tiles, labels);
            });
        }
    }

    interface Body {
        void write(OutputStream out) throws IOException;
    }

    private static void entry(ZipOutputStream zip, String name, boolean compressed, Body body) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (compressed) {
            e.setMethod(ZipEntry.DEFLATED);
        } else {
            CrcCounter c = new CrcCounter();
            body.write(c);
            e.setMethod(ZipEntry.STORED);
            e.setSize(c.size);
            e.setCompressedSize(c.size);
            e.setCrc(c.crc.getValue());
        }
        zip.putNextEntry(e);
        OutputStream o = new java.io.BufferedOutputStream(new NonClosing(zip), 1 << 16);
        body.write(o);
        o.flush();
        zip.closeEntry();
    }

    private static void check(RgbTile t, int i, int width, int height) {
        if (t.width() != width || t.height() != height) {
            throw new IllegalArgumentException(
                    "tile " + i + " is " + t.width() + " x " + t.height() + ", expected " + width + " x " + height);
        }
    }

    /** The pickle numpy writes for an object array of shape (count, 2), streamed tile by tile. */
    static void writePickle(OutputStream o, int count, IntFunction<RgbTile> tiles, IntFunction<Number> labels)
            throws IOException {
        P p = new P(o);
        p.op(0x80).op(3); // PROTO 3
        p.global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray");
        p.int1(0).op(0x85).shortBytes(new byte[] {'b'}).op(0x87).op('R');
        p.op('(').int1(1).bigInt(count).int1(2).op(0x86);
        p.dtype("O8", 63);
        p.op(0x89).op(']');
        int items = count * 2;
        for (int start = 0; start < items; start += BATCH) {
            p.op('(');
            for (int k = start; k < Math.min(items, start + BATCH); k++) {
                int row = k / 2;
                if (k % 2 == 0) {
                    RgbTile t = tiles.apply(row);
                    p.global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray");
                    p.int1(0).op(0x85).shortBytes(new byte[] {'b'}).op(0x87).op('R');
                    p.op('(')
                            .int1(1)
                            .bigInt(t.height())
                            .bigInt(t.width())
                            .int1(3)
                            .op(0x87);
                    p.dtype("u1", 0);
                    p.op(0x89).bytes(t.rgb()).op('t').op('b');
                } else {
                    Number label = labels.apply(row);
                    if (label == null) {
                        p.op('N');
                    } else if (label instanceof Double || label instanceof Float) {
                        p.op('G')
                                .raw(ByteBuffer.allocate(8)
                                        .order(ByteOrder.BIG_ENDIAN)
                                        .putDouble(label.doubleValue())
                                        .array());
                    } else {
                        p.bigInt(label.intValue());
                    }
                }
            }
            p.op('e');
        }
        p.op('t').op('b').op('.');
    }

    /** A tiny pickle emitter for the opcodes above. */
    private static final class P {
        private final OutputStream o;

        P(OutputStream o) {
            this.o = o;
        }

        P op(int b) throws IOException {
            o.write(b);
            return this;
        }

        P raw(byte[] b) throws IOException {
            o.write(b);
            return this;
        }

        P global(String module, String name) throws IOException {
            return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        P int1(int v) throws IOException {
            return op('K').op(v);
        }

        P bigInt(int v) throws IOException {
            return op('J').raw(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(v)
                    .array());
        }

        P shortBytes(byte[] b) throws IOException {
            return op('C').op(b.length).raw(b);
        }

        P bytes(byte[] b) throws IOException {
            return op('B').raw(ByteBuffer.allocate(4)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putInt(b.length)
                            .array())
                    .raw(b);
        }

        P unicode(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return op('X').raw(ByteBuffer.allocate(4)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putInt(b.length)
                            .array())
                    .raw(b);
        }

        /** numpy.dtype(type, False, True) with state (3, '|', None, None, None, -1, -1, flags). */
        P dtype(String type, int flags) throws IOException {
            global("numpy", "dtype").unicode(type).op(0x89).op(0x88).op(0x87).op('R');
            op('(').int1(3)
                    .unicode("|")
                    .op('N')
                    .op('N')
                    .op('N')
                    .bigInt(-1)
                    .bigInt(-1)
                    .int1(flags)
                    .op('t')
                    .op('b');
            return this;
        }
    }

    private static final class CrcCounter extends OutputStream {
        final CRC32 crc = new CRC32();
        long size;

        @Override
        public void write(int b) {
            crc.update(b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            crc.update(b, off, len);
            size += len;
        }
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    static byte[] toBytes(Body body) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        body.write(b);
        return b.toByteArray();
    }
}
