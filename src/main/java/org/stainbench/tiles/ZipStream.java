package org.stainbench.tiles;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A forward-only reader of zip entries (stored or deflated, zip64 sizes, data descriptors after deflated
 * entries), reading the compressed bytes in 64 KiB blocks — {@link java.util.zip.ZipInputStream} feeds its
 * inflater 512 bytes at a time, which costs a third of the decode time on multi-GB archives. Each entry's CRC
 * and size are checked at its end.
 */
final class ZipStream implements AutoCloseable {

    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int DESCRIPTOR = 0x08074b50;
    private static final int BLOCK = 1 << 16;

    private final PushbackInputStream in;
    private final Inflater inflater = new Inflater(true);
    private final byte[] block = new byte[BLOCK];
    private Entry current;

    ZipStream(InputStream in) {
        this.in = new PushbackInputStream(in, BLOCK);
    }

    /** A zip entry as its local header declares it; sizes are -1 when only a data descriptor has them. */
    record Header(
            String name, int method, long size, long compressedSize, long crc, boolean descriptor, boolean zip64) {}

    /** The next entry, or null at the central directory. The previous entry is skipped if not fully read. */
    Entry next() throws IOException {
        if (current != null) {
            current.skipRest();
            current = null;
        }
        int sig;
        try {
            sig = readInt();
        } catch (EOFException e) {
            throw new EOFException("the archive ends without its zip directory");
        }
        if (sig == CENTRAL || sig == END) {
            return null;
        }
        if (sig != LOCAL) {
            throw new java.util.zip.ZipException("bad zip entry header");
        }
        readShort(); // version
        int flags = readShort();
        int method = readShort();
        readInt(); // time, date
        long crc = readInt() & 0xffffffffL;
        long csize = readInt() & 0xffffffffL;
        long size = readInt() & 0xffffffffL;
        int nameLen = readShort();
        int extraLen = readShort();
        byte[] name = readN(nameLen);
        byte[] extra = readN(extraLen);
        boolean zip64 = false;
        for (int i = 0; i + 4 <= extra.length; ) {
            int id = (extra[i] & 0xff) | (extra[i + 1] & 0xff) << 8;
            int len = (extra[i + 2] & 0xff) | (extra[i + 3] & 0xff) << 8;
            if (id == 1) {
                zip64 = true;
                int p = i + 4;
                if (size == 0xffffffffL && p + 8 <= i + 4 + len) {
                    size = le64(extra, p);
                    p += 8;
                }
                if (csize == 0xffffffffL && p + 8 <= i + 4 + len) {
                    csize = le64(extra, p);
                }
            }
            i += 4 + len;
        }
        boolean descriptor = (flags & 8) != 0;
        if (method != 0 && method != 8) {
            throw new java.util.zip.ZipException("unsupported zip compression method " + method);
        }
        if (method == 0 && descriptor && size == 0) {
            throw new java.util.zip.ZipException("a stored entry without its size cannot be streamed");
        }
        String n = new String(name, (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = new Header(
                n,
                method,
                descriptor && method == 8 && size == 0 ? -1 : size,
                descriptor && method == 8 && csize == 0 ? -1 : csize,
                crc,
                descriptor,
                zip64);
        current = new Entry(h);
        return current;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }

    /** The bytes of one entry, inflated; checks size and CRC at the end. */
    final class Entry extends InputStream {
        final Header header;
        private final CRC32 crc = new CRC32();
        private long produced;
        private boolean done;

        Entry(Header header) {
            this.header = header;
            inflater.reset();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = header.method() == 0 ? readStored(b, off, len) : readDeflated(b, off, len);
            if (n < 0) {
                finish();
                return -1;
            }
            crc.update(b, off, n);
            produced += n;
            return n;
        }

        private int readStored(byte[] b, int off, int len) throws IOException {
            long left = header.size() - produced;
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("entry '" + header.name() + "' ends early");
            }
            return n;
        }

        private int readDeflated(byte[] b, int off, int len) throws IOException {
            try {
                while (true) {
                    int n = inflater.inflate(b, off, len);
                    if (n > 0) {
                        return n;
                    }
                    if (inflater.finished()) {
                        int rest = inflater.getRemaining();
                        if (rest > 0) {
                            in.unread(block, lastFill - rest, rest);
                        }
                        return -1;
                    }
                    if (inflater.needsDictionary()) {
                        throw new java.util.zip.ZipException("entry '" + header.name() + "' needs a preset dictionary");
                    }
                    if (inflater.needsInput()) {
                        int k = in.read(block, 0, block.length);
                        if (k < 0) {
                            throw new EOFException("entry '" + header.name() + "' ends early");
                        }
                        lastFill = k;
                        inflater.setInput(block, 0, k);
                    }
                }
            } catch (DataFormatException e) {
                throw new java.util.zip.ZipException("entry '" + header.name() + "' is damaged: " + e.getMessage());
            }
        }

        private void finish() throws IOException {
            done = true;
            long expectCrc = header.crc();
            long expectSize = header.size();
            if (header.descriptor()) {
                int first = readInt();
                long c = first == DESCRIPTOR ? readInt() & 0xffffffffL : first & 0xffffffffL;
                long cs = header.zip64() ? readLong() : readInt() & 0xffffffffL;
                long us = header.zip64() ? readLong() : readInt() & 0xffffffffL;
                expectCrc = c;
                expectSize = us;
                if (header.method() == 8 && cs != inflater.getBytesRead()) {
                    throw new java.util.zip.ZipException("invalid entry compressed size of '" + header.name() + "'");
                }
            }
            if (expectSize >= 0 && produced != expectSize) {
                throw new java.util.zip.ZipException("invalid entry size of '" + header.name() + "' (expected "
                        + expectSize + " but got " + produced + " bytes)");
            }
            if (crc.getValue() != expectCrc) {
                throw new java.util.zip.ZipException(
                        "CRC mismatch in entry '" + header.name() + "': the archive is damaged");
            }
        }

        void skipRest() throws IOException {
            byte[] buf = new byte[BLOCK];
            while (read(buf, 0, buf.length) >= 0) {
                // drain
            }
        }
    }

    private int lastFill;

    private byte[] readN(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("zip header ends early");
        }
        return b;
    }

    private int readShort() throws IOException {
        byte[] b = readN(2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    private int readInt() throws IOException {
        byte[] b = readN(4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    private long readLong() throws IOException {
        return le64(readN(8), 0);
    }

    private static long le64(byte[] b, int p) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[p + i] & 0xff);
        }
        return v;
    }
}
