package org.stainbench.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.stainbench.tiles.NpyFormatException;
import org.stainbench.tiles.Npz;
import org.stainbench.tiles.RgbTile;
import org.stainbench.tiles.Thumbnails;
import org.stainbench.tiles.TileArray;
import org.stainbench.tiles.TileArrayHeader;
import org.stainbench.tiles.TileMeasures;
import org.stainbench.tiles.TileSink;

/**
 * One streaming pass over an archive: the reader thread decodes tiles one at a time while worker threads
 * compute every tile's measures and 256 px JPEG thumbnail and write the tile to a random-access file of
 * fixed-size raw RGB records ({@code tiles.rgb}: tile i at {@code i × H × W × 3}) and the thumbnail to
 * {@code thumbs.bin} (offsets recorded per tile). At most {@code 2 × threads} tiles are in flight, so memory
 * does not grow with the archive. No Spring, no database: the ingest job and the benchmark both use it.
 */
final class IngestPipeline {

    static final String TILES_FILE = "tiles.rgb";
    static final String THUMBS_FILE = "thumbs.bin";
    static final float THUMB_QUALITY = 0.85f;

    record TileResult(int index, TileMeasures measures, long thumbOffset, int thumbLength, Double label) {
        TileResult withLabel(Double l) {
            return new TileResult(index, measures, thumbOffset, thumbLength, l);
        }
    }

    record Result(TileArrayHeader header, int width, int height, List<TileResult> tiles) {}

    interface Listener {
        default void header(TileArrayHeader header) {}

        default void progress(int done, int total) {}

        default boolean cancelled() {
            return false;
        }
    }

    /** Thrown when the listener reports cancellation. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled");
        }
    }

    private IngestPipeline() {}

    static Result run(InputStream source, Path outDir, Npz.Limits limits, int threads, Listener listener)
            throws IOException {
        Files.createDirectories(outDir);
        int workers = Math.max(1, threads);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "ingest-worker");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(2 * workers);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger done = new AtomicInteger();
        AtomicLong thumbEnd = new AtomicLong();
        AtomicInteger lowest = new AtomicInteger(255);
        AtomicInteger highest = new AtomicInteger(0);
        TileResult[][] results = new TileResult[1][];
        int[] total = new int[1];
        try (FileChannel tiles = FileChannel.open(
                        outDir.resolve(TILES_FILE),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
                FileChannel thumbs = FileChannel.open(
                        outDir.resolve(THUMBS_FILE),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            TileSink sink = new TileSink() {
                @Override
                public void begin(TileArrayHeader header) {
                    results[0] = new TileResult[header.count()];
                    total[0] = header.count();
                    listener.header(header);
                }

                @Override
                public void accept(int index, RgbTile tile) throws Exception {
                    if (listener.cancelled()) {
                        throw new Cancelled();
                    }
                    rethrow(failure.get());
                    if (index >= results[0].length) {
                        throw new NpyFormatException("the array holds more tiles than its header declares");
                    }
                    inFlight.acquire();
                    pool.execute(() -> {
                        try {
                            if (failure.get() != null) {
                                return;
                            }
                            checkValues(index, tile, lowest, highest);
                            TileMeasures m = TileMeasures.of(tile);
                            byte[] jpeg = Images.jpeg(Thumbnails.thumbnail(tile, Thumbnails.SIZE), THUMB_QUALITY);
                            long record = RgbTile.bytes(tile.width(), tile.height());
                            writeFully(tiles, ByteBuffer.wrap(tile.rgb()), index * record);
                            long at = thumbEnd.getAndAdd(jpeg.length);
                            writeFully(thumbs, ByteBuffer.wrap(jpeg), at);
                            results[0][index] = new TileResult(index, m, at, jpeg.length, null);
                            listener.progress(done.incrementAndGet(), total[0]);
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            inFlight.release();
                        }
                    });
                }
            };
            TileArray array;
            try {
                array = Npz.readTiles(source, limits, sink);
            } finally {
                pool.shutdown();
                try {
                    if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
                        throw new IOException("ingest workers did not finish");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
            rethrow(failure.get());
            if (array.count() == 0) {
                throw new NpyFormatException("the archive holds no tiles");
            }
            if (lowest.get() == highest.get()) {
                throw new NpyFormatException("every pixel of every tile has the value " + lowest.get()
                        + ": the archive holds no image content");
            }
            List<TileResult> out = new ArrayList<>(array.count());
            for (int i = 0; i < array.count(); i++) {
                TileResult r = results[0][i];
                if (r == null) {
                    throw new NpyFormatException("tile " + i + " of " + array.count() + " is missing");
                }
                out.add(r.withLabel(array.rows().get(i).label()));
            }
            return new Result(array.header(), array.width(), array.height(), out);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Refuses a tile whose every value is 0 or 1 (with at least one 1): a mask, or an image in [0, 1] stored as 8 bits,
     * where 8-bit RGB 0..255 is expected (the rule the evaluation applies to every tile, here at ingest). Records the
     * tile's lowest and highest value so that an archive of one value throughout is refused at the end.
     */
    static void checkValues(int index, RgbTile tile, AtomicInteger lowest, AtomicInteger highest) {
        int lo = 255;
        int hi = 0;
        for (byte b : tile.rgb()) {
            int v = b & 0xff;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (hi == 1) {
            throw new NpyFormatException(
                    "tile " + index + " holds only the values 0 and 1: this looks"
                            + " like a mask or an image in [0, 1] stored as 8 bits, where 8-bit RGB values 0..255 are expected");
        }
        int l = lo;
        int h = hi;
        lowest.accumulateAndGet(l, Math::min);
        highest.accumulateAndGet(h, Math::max);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t == null) {
            return;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IOException(t.getMessage(), t);
    }
}
