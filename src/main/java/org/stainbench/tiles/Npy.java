package org.stainbench.tiles;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NumPy {@code .npy} format (versions 1.0, 2.0 and 3.0): header parsing and writing, and
 * whole-array reading of numeric 2-D arrays (feature matrices). Streaming readers for large tile
 * arrays build on {@link #readHeader(InputStream)}, which consumes exactly the magic and header.
 *
 * @see <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy refuses headers above this size unless asked; so do we. */
    private static final int MAX_HEADER = 1 << 20;

    private Npy() {}

    /** Element types this codec understands. {@code OBJECT} is a pickled object array. */
    public enum Kind {
        BOOL,
        INT,
        UINT,
        FLOAT,
        OBJECT
    }

    /** A parsed dtype descriptor such as {@code <f4}, {@code |u1} or {@code |O}. */
    public record DType(String descr, Kind kind, int size, ByteOrder order) {

        static DType parse(String descr) {
            if (descr.equals("|O") || descr.equals("O")) {
                return new DType(descr, Kind.OBJECT, 8, ByteOrder.LITTLE_ENDIAN);
            }
            Matcher m = Pattern.compile("([<>|=])([biuf])(\\d+)").matcher(descr);
            if (!m.matches()) {
                throw new NpyFormatException(
                        "unsupported dtype '" + descr + "' (expected bool, integer, float or object)");
            }
            ByteOrder order = m.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            int size = Integer.parseInt(m.group(3));
            Kind kind =
                    switch (m.group(2)) {
                        case "b" -> Kind.BOOL;
                        case "i" -> Kind.INT;
                        case "u" -> Kind.UINT;
                        default -> Kind.FLOAT;
                    };
            boolean ok =
                    switch (kind) {
                        case BOOL -> size == 1;
                        case INT, UINT -> size == 1 || size == 2 || size == 4 || size == 8;
                        case FLOAT -> size == 4 || size == 8;
                        default -> false;
                    };
            if (!ok) {
                throw new NpyFormatException("unsupported dtype '" + descr + "'");
            }
            return new DType(descr, kind, size, order);
        }

        public boolean isUint8() {
            return kind == Kind.UINT && size == 1;
        }
    }

    /** A parsed header; {@code headerBytes} counts magic, version, length field and header text. */
    public record Header(int major, DType dtype, boolean fortranOrder, long[] shape, long headerBytes) {

        public long count() {
            long n = 1;
            for (long s : shape) {
                n = Math.multiplyExact(n, s);
            }
            return n;
        }

        /** Bytes of array data that follow the header (not meaningful for object arrays). */
        public long dataBytes() {
            return Math.multiplyExact(count(), (long) dtype.size());
        }

        @Override
        public String toString() {
            return "npy v" + major + " " + dtype.descr() + " shape " + Arrays.toString(shape)
                    + (fortranOrder ? " (Fortran order)" : "");
        }
    }

    /** A 2-D numeric array as doubles, row-major. */
    public record Matrix(int rows, int cols, double[] data) {

        public double get(int r, int c) {
            return data[r * cols + c];
        }

        public double[] row(int r) {
            return Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
        }
    }

    /** Reads the magic and header and leaves {@code in} at the first byte of data. */
    public static Header readHeader(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] magic = new byte[6];
        try {
            d.readFully(magic);
        } catch (EOFException e) {
            throw new NpyFormatException("not a .npy file: too short");
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw new NpyFormatException("not a .npy file: wrong magic bytes");
        }
        int major = d.readUnsignedByte();
        d.readUnsignedByte(); // minor
        long len;
        int prefix;
        if (major == 1) {
            len = d.readUnsignedByte() | (d.readUnsignedByte() << 8);
            prefix = 10;
        } else if (major == 2 || major == 3) {
            byte[] b = new byte[4];
            d.readFully(b);
            len = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            prefix = 12;
        } else {
            throw new NpyFormatException("unsupported .npy format version " + major);
        }
        if (len > MAX_HEADER) {
            throw new NpyFormatException("header of " + len + " bytes is too large");
        }
        byte[] text = new byte[(int) len];
        try {
            d.readFully(text);
        } catch (EOFException e) {
            throw new NpyFormatException("truncated .npy header");
        }
        String header = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parseHeader(header, major, prefix + len);
    }

    static Header parseHeader(String header, int major, long headerBytes) {
        String descr = field(header, "descr", "'([^']*)'");
        String fortran = field(header, "fortran_order", "(True|False)");
        String shapeText = field(header, "shape", "\\(([^)]*)\\)");
        List<Long> dims = new ArrayList<>();
        for (String part : shapeText.split(",")) {
            String p = part.trim().replace("L", "");
            if (!p.isEmpty()) {
                try {
                    long v = Long.parseLong(p);
                    if (v < 0) {
                        throw new NumberFormatException();
                    }
                    dims.add(v);
                } catch (NumberFormatException e) {
                    throw new NpyFormatException("bad shape (" + shapeText + ")");
                }
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        return new Header(major, DType.parse(descr), fortran.equals("True"), shape, headerBytes);
    }

    private static String field(String header, String key, String valuePattern) {
        Matcher m =
                Pattern.compile("['\"]" + key + "['\"]\\s*:\\s*" + valuePattern).matcher(header);
        if (!m.find()) {
            throw new NpyFormatException("header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    /** Reads a whole 2-D (or 1-D, as one column) numeric array as doubles. */
    public static Matrix readMatrix(InputStream in) throws IOException {
        Header h = readHeader(in);
        if (h.dtype().kind() == Kind.OBJECT) {
            throw new NpyFormatException("expected a numeric array, found an object array");
        }
        if (h.shape().length < 1 || h.shape().length > 2) {
            throw new NpyFormatException(
                    "expected a 2-D array (rows x features), found shape " + Arrays.toString(h.shape()));
        }
        long rows = h.shape()[0];
        long cols = h.shape().length == 2 ? h.shape()[1] : 1;
        if (rows * cols > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException("array of " + rows + " x " + cols + " is too large to hold");
        }
        int n = (int) (rows * cols);
        int size = h.dtype().size();
        double[] out = new double[n];
        byte[] chunk = new byte[size * 8192];
        DataInputStream d = new DataInputStream(in);
        int done = 0;
        while (done < n) {
            int take = Math.min(8192, n - done);
            try {
                d.readFully(chunk, 0, take * size);
            } catch (EOFException e) {
                throw new NpyFormatException("truncated array data: expected " + n + " values, found " + done);
            }
            ByteBuffer bb =
                    ByteBuffer.wrap(chunk, 0, take * size).order(h.dtype().order());
            for (int i = 0; i < take; i++) {
                out[done + i] = readValue(bb, h.dtype());
            }
            done += take;
        }
        if (h.fortranOrder() && cols > 1) {
            double[] c = new double[n];
            for (int col = 0; col < cols; col++) {
                for (int row = 0; row < rows; row++) {
                    c[row * (int) cols + col] = out[col * (int) rows + row];
                }
            }
            out = c;
        }
        return new Matrix((int) rows, (int) cols, out);
    }

    private static double readValue(ByteBuffer bb, DType t) {
        return switch (t.kind()) {
            case BOOL -> bb.get() != 0 ? 1 : 0;
            case INT -> switch (t.size()) {
                case 1 -> bb.get();
                case 2 -> bb.getShort();
                case 4 -> bb.getInt();
                default -> bb.getLong();
            };
            case UINT -> switch (t.size()) {
                case 1 -> bb.get() & 0xff;
                case 2 -> bb.getShort() & 0xffff;
                case 4 -> bb.getInt() & 0xffffffffL;
                default -> {
                    long v = bb.getLong();
                    yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
                }
            };
            case FLOAT -> t.size() == 4 ? bb.getFloat() : bb.getDouble();
            case OBJECT -> throw new NpyFormatException("object array");
        };
    }

    /** Writes a version 1.0 (or 2.0 when needed) header for a C-order array. */
    public static void writeHeader(OutputStream out, String descr, long... shape) throws IOException {
        StringBuilder s =
                new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            s.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                s.append(shape.length == 1 ? "," : ", ");
            }
        }
        s.append("), }");
        int major = s.length() + 11 > 65535 ? 2 : 1;
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + s.length() + 1;
        int pad = (64 - total % 64) % 64;
        s.append(" ".repeat(pad)).append('\n');
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(MAGIC);
        b.write(major);
        b.write(0);
        int len = s.length();
        if (major == 1) {
            b.write(len & 0xff);
            b.write((len >> 8) & 0xff);
        } else {
            b.write(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(len)
                    .array());
        }
        b.write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(b.toByteArray());
    }

    /** Writes a float64 C-order 2-D array. */
    public static void writeMatrix(OutputStream out, Matrix m) throws IOException {
        writeHeader(out, "<f8", m.rows(), m.cols());
        ByteBuffer bb = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : m.data()) {
            if (!bb.hasRemaining()) {
                out.write(bb.array(), 0, bb.position());
                bb.clear();
            }
            bb.putDouble(v);
        }
        out.write(bb.array(), 0, bb.position());
    }

    /** Dimensions as numpy prints them, for messages. */
    public static String shapeText(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(String.format(Locale.ROOT, "%d", shape[i]));
            if (i < shape.length - 1 || shape.length == 1) {
                b.append(shape.length == 1 ? "," : ", ");
            }
        }
        return b.append(')').toString();
    }
}
