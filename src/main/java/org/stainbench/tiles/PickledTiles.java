package org.stainbench.tiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * The lab's pickled object arrays, read with the Pyrolite unpickler ({@code net.razorvine:pickle}) so that
 * memory stays at one tile: each tile's bytes go to the sink the moment its ndarray is rebuilt (the BUILD
 * opcode), and the array keeps only a placeholder. Large values are kept out of the unpickler's memo
 * (numpy's pickles memoize every object, including each tile's bytes); a back-reference to one would be an
 * error, and numpy never writes one.
 */
final class PickledTiles {

    /** Values at least this large are not kept in the memo. */
    private static final int LARGE = 64 * 1024;
    /** A non-tile array inside an object array may hold at most this many bytes. */
    private static final int MAX_SMALL_ARRAY = 1 << 20;

    private static final Object TOMBSTONE = new Object();

    static {
        for (String module : new String[] {"numpy.core.multiarray", "numpy._core.multiarray"}) {
            Unpickler.registerConstructor(module, "_reconstruct", args -> new NdArray());
            Unpickler.registerConstructor(module, "scalar", PickledTiles::scalar);
        }
        IObjectConstructor dtype = args -> new PickledDType(String.valueOf(args[0]));
        Unpickler.registerConstructor("numpy", "dtype", dtype);
        Unpickler.registerConstructor("numpy", "ndarray", args -> "ndarray");
    }

    private PickledTiles() {}

    /** A numpy ndarray as rebuilt from a pickle; {@code data} is null once its tile went to the sink. */
    static final class NdArray {
        long[] shape;
        PickledDType dtype;
        Object data;
        int tileSeq = -1;

        String describe() {
            return (dtype == null ? "?" : dtype.descr()) + " array of shape "
                    + Npy.shapeText(shape == null ? new long[0] : shape);
        }
    }

    /** A numpy dtype as rebuilt from a pickle: its type string ('u1', 'i8', 'O8') and byte order. */
    static final class PickledDType {
        final String type;
        String byteOrder = "|";

        PickledDType(String type) {
            this.type = type;
        }

        String descr() {
            return byteOrder + type;
        }

        Npy.DType parsed() {
            String t = type.equals("O8") || type.equals("O4") ? "O" : type;
            String order = byteOrder.equals("=") ? "<" : byteOrder;
            return Npy.DType.parse((t.equals("O") ? "|" : order) + t);
        }
    }

    private static Object scalar(Object[] args) {
        if (args.length < 2 || !(args[0] instanceof PickledDType dt)) {
            throw new PickleException("numpy scalar without a dtype");
        }
        byte[] raw = bytesOf(args[1]);
        return decode(dt.parsed(), raw);
    }

    private static Number decode(Npy.DType t, byte[] raw) {
        if (raw == null || raw.length < t.size()) {
            throw new NpyFormatException(
                    "numpy scalar of type " + t.descr() + " has " + (raw == null ? 0 : raw.length) + " bytes");
        }
        ByteBuffer bb = ByteBuffer.wrap(raw).order(t.order());
        return switch (t.kind()) {
            case BOOL -> bb.get() != 0 ? 1 : 0;
            case INT -> switch (t.size()) {
                case 1 -> (long) bb.get();
                case 2 -> (long) bb.getShort();
                case 4 -> (long) bb.getInt();
                default -> bb.getLong();
            };
            case UINT -> switch (t.size()) {
                case 1 -> (long) (bb.get() & 0xff);
                case 2 -> (long) (bb.getShort() & 0xffff);
                case 4 -> bb.getInt() & 0xffffffffL;
                default -> bb.getLong();
            };
            case FLOAT -> t.size() == 4 ? (double) bb.getFloat() : bb.getDouble();
            case OBJECT -> throw new NpyFormatException("object scalar");
        };
    }

    private static byte[] bytesOf(Object o) {
        if (o instanceof byte[] b) {
            return b;
        }
        if (o instanceof String s) { // Python 2 str, or protocol-2 bytes decoded as latin-1
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    static TileArray read(InputStream in, TileArrayHeader header, int columns, TileSink sink) throws IOException {
        return read(in, header, columns, sink, Npz.Limits.DEFAULT);
    }

    static TileArray read(InputStream in, TileArrayHeader header, int columns, TileSink sink, Npz.Limits limits)
            throws IOException {
        Reader reader = new Reader(header, sink, limits);
        Object top;
        try {
            top = reader.load(new java.io.BufferedInputStream(in, 1 << 16));
        } catch (SinkFailure e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) c;
        } catch (NpyFormatException e) {
            throw e;
        } catch (java.io.EOFException e) {
            throw new NpyFormatException("the archive is truncated: the pickled object array ends after " + reader.tiles
                    + " of " + header.count() + " tiles");
        } catch (PickleException | ClassCastException | IndexOutOfBoundsException e) {
            throw new NpyFormatException("the pickled object array cannot be read: " + e.getMessage());
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("premature end") || m.contains("Unexpected end") || m.contains("EOF")) {
                throw new NpyFormatException("the archive is truncated: the pickled object array ends after "
                        + reader.tiles + " of " + header.count() + " tiles");
            }
            throw e;
        } finally {
            reader.close();
        }
        if (!(top instanceof NdArray outer) || !(outer.data instanceof List<?> items)) {
            throw new NpyFormatException("the pickle does not hold a numpy object array");
        }
        int n = header.count();
        if (items.size() != (long) n * columns) {
            throw new NpyFormatException(
                    "the object array holds " + items.size() + " values, expected " + n + " x " + columns);
        }
        List<TileRow> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Object first = items.get(r * columns);
            if (!(first instanceof NdArray a) || a.tileSeq != r) {
                throw new NpyFormatException("row " + r + " of the object array holds " + what(first)
                        + " where an RGB tile (uint8, H x W x 3) is expected");
            }
            for (int c = 1; c < columns; c++) {
                Object o = items.get(r * columns + c);
                if (o instanceof NdArray a2 && a2.tileSeq >= 0) {
                    throw new NpyFormatException(
                            "row " + r + ", column " + c + " holds an image where a value is expected");
                }
            }
            if (columns == 2) {
                rows.add(new TileRow(number(items.get(r * 2 + 1), r, "label"), null, null));
            } else {
                rows.add(new TileRow(
                        number(items.get(r * 4 + 3), r, "label"),
                        longs(items.get(r * 4 + 1)),
                        number(items.get(r * 4 + 2), r, "ratio")));
            }
        }
        return new TileArray(header, reader.width, reader.height, rows);
    }

    private static String what(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof NdArray a) {
            return "a " + a.describe();
        }
        if (o instanceof String) {
            return "a string";
        }
        if (o instanceof Number) {
            return "a number";
        }
        return "a " + o.getClass().getSimpleName();
    }

    private static Double number(Object o, int row, String what) {
        if (o == null) {
            return null;
        }
        if (o instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof NdArray a
                && a.data instanceof byte[] raw
                && a.dtype != null
                && a.dtype.parsed().kind() != Npy.Kind.OBJECT
                && raw.length == a.dtype.parsed().size()) {
            return decode(a.dtype.parsed(), raw).doubleValue();
        }
        throw new NpyFormatException("row " + row + " holds " + what(o) + " where a numeric " + what + " is expected");
    }

    private static long[] longs(Object o) {
        if (o instanceof NdArray a && a.data instanceof byte[] raw && a.dtype != null) {
            Npy.DType t = a.dtype.parsed();
            if (t.kind() == Npy.Kind.OBJECT) {
                return null;
            }
            long[] v = new long[raw.length / t.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = decode(t, Arrays.copyOfRange(raw, i * t.size(), (i + 1) * t.size()))
                        .longValue();
            }
            return v;
        }
        if (o instanceof Object[] arr) {
            return Arrays.stream(arr).mapToLong(x -> ((Number) x).longValue()).toArray();
        }
        if (o instanceof List<?> list) {
            return list.stream().mapToLong(x -> ((Number) x).longValue()).toArray();
        }
        return null;
    }

    /** Carries an exception thrown by the sink through the unpickler. */
    private static final class SinkFailure extends RuntimeException {
        SinkFailure(Throwable cause) {
            super(cause);
        }
    }

    /** Keeps small values; large ones (and tuples holding them) become tombstones so the memo stays small. */
    private static final class LeanMemo extends HashMap<Integer, Object> {
        @Override
        public Object put(Integer key, Object value) {
            return super.put(key, isLarge(value) ? TOMBSTONE : value);
        }

        @Override
        public Object get(Object key) {
            Object v = super.get(key);
            if (v == TOMBSTONE) {
                throw new NpyFormatException("the pickle refers back to a large value; this reader streams tiles and "
                        + "does not keep them");
            }
            return v;
        }

        private static boolean isLarge(Object v) {
            if (v instanceof byte[] b) {
                return b.length >= LARGE;
            }
            if (v instanceof String s) {
                return s.length() >= LARGE;
            }
            if (v instanceof Object[] arr) {
                for (Object o : arr) {
                    if (isLarge(o)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static final class Reader extends Unpickler {
        private static final short BUILD = 'b';
        private final TileArrayHeader header;
        private final TileSink sink;
        int tiles;
        int width;
        int height;

        private final Npz.Limits limits;

        Reader(TileArrayHeader header, TileSink sink, Npz.Limits limits) {
            this.header = header;
            this.sink = sink;
            this.limits = limits;
            this.memo = new LeanMemo();
        }

        /**
         * The length that a length-prefixed opcode declares, read ahead (and put back), so that a value larger than
         * a tile may be is refused before the unpickler allocates it.
         */
        private void checkLength(short key) throws IOException {
            int width =
                    switch (key) {
                        case 'B', 'T', 'X' -> 4; // BINBYTES, BINSTRING, BINUNICODE
                        case 0x8d, 0x8e, 0x96 -> 8; // BINUNICODE8, BINBYTES8, BYTEARRAY8
                        default -> 0;
                    };
            if (width == 0) {
                return;
            }
            input.mark(width);
            byte[] b = input.readNBytes(width);
            input.reset();
            if (b.length < width) {
                return; // the unpickler reports the truncation
            }
            long len = 0;
            for (int i = width - 1; i >= 0; i--) {
                len = len << 8 | (b[i] & 0xff);
            }
            if (key == 'T') {
                len = (int) len; // signed
            }
            if (len < 0 || len > limits.maxValueBytes()) {
                throw new NpyFormatException(
                        "the pickled object array declares a value of " + (len < 0 ? Long.toUnsignedString(len) : len)
                                + " bytes, more than a tile of " + limits.maxTileSide() + " x " + limits.maxTileSide()
                                + " pixels may hold (stainbench.catalog.max-tile-side)");
            }
        }

        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            checkLength(key);
            if (key == BUILD) {
                Object state = stack.pop();
                Object target = stack.peek();
                if (target instanceof NdArray a) {
                    build(a, state);
                    return NO_RETURN_VALUE;
                }
                if (target instanceof PickledDType d) {
                    Object[] s = tuple(state);
                    if (s != null && s.length > 1 && s[1] instanceof String order) {
                        d.byteOrder = order;
                    }
                    return NO_RETURN_VALUE;
                }
                stack.add(state);
            }
            return super.dispatch(key);
        }

        private static Object[] tuple(Object o) {
            if (o instanceof Object[] a) {
                return a;
            }
            if (o instanceof List<?> l) {
                return l.toArray();
            }
            return null;
        }

        private void build(NdArray a, Object rawState) {
            Object[] s = tuple(rawState);
            if (s == null || s.length < 5) {
                throw new NpyFormatException("unexpected ndarray state in the pickle");
            }
            Object[] shape = tuple(s[1]);
            a.shape = shape == null
                    ? new long[0]
                    : Arrays.stream(shape)
                            .mapToLong(x -> ((Number) x).longValue())
                            .toArray();
            a.dtype = s[2] instanceof PickledDType d ? d : null;
            if (a.dtype == null) {
                throw new NpyFormatException("ndarray without a dtype in the pickle");
            }
            if (Boolean.TRUE.equals(s[3]) && a.shape.length > 1) {
                throw new NpyFormatException("a Fortran-order array inside the object array is not supported");
            }
            boolean objectArray = a.dtype.type.startsWith("O");
            if (objectArray) {
                a.data = s[4];
                return;
            }
            byte[] data = bytesOf(s[4]);
            if (data == null) {
                throw new NpyFormatException("unexpected ndarray data in the pickle");
            }
            boolean image = a.shape.length == 3 && a.shape[2] == 3;
            boolean uint8 = a.dtype.type.equals("u1") || a.dtype.type.equals("B");
            if (image && uint8) {
                if (a.shape[0] > limits.maxTileSide() || a.shape[1] > limits.maxTileSide()) {
                    throw new NpyFormatException("tile " + tiles + " declares " + a.shape[1] + " x " + a.shape[0]
                            + " pixels, above the limit of " + limits.maxTileSide()
                            + " pixels a side (stainbench.catalog.max-tile-side)");
                }
                int h = (int) a.shape[0];
                int w = (int) a.shape[1];
                if ((long) w * h * 3 != data.length) {
                    throw new NpyFormatException("tile " + tiles + " declares " + w + " x " + h + " pixels but holds "
                            + data.length + " bytes");
                }
                if (tiles == 0) {
                    width = w;
                    height = h;
                } else if (w != width || h != height) {
                    throw new NpyFormatException("tiles of mixed sizes: tile " + tiles + " is " + w + " x " + h
                            + " pixels, earlier tiles are " + width + " x " + height);
                }
                a.tileSeq = tiles;
                int index = tiles++;
                s[4] = null;
                try {
                    sink.accept(index, new RgbTile(w, h, data));
                } catch (RuntimeException e) {
                    throw new SinkFailure(e);
                } catch (Exception e) {
                    throw new SinkFailure(e instanceof IOException ? e : new IOException(e.getMessage(), e));
                }
                return;
            }
            if (a.shape.length >= 2 || data.length > MAX_SMALL_ARRAY) {
                throw new NpyFormatException("row " + tiles + " of the object array holds a " + a.describe()
                        + " where an RGB tile (uint8, H x W x 3) is expected");
            }
            a.data = data;
        }
    }
}
