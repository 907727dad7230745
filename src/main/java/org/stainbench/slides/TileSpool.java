package org.stainbench.slides;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.stainbench.tiles.RgbTile;

/**
 * Kept tiles of one tiling, spooled to a temporary file in slots of equal size as worker threads finish
 * them (in any order), and read back by slot (the archive writer asks for tiles in grid order, twice for
 * stored entries). Thread-safe positional I/O; the file is deleted on close.
 */
final class TileSpool implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final int width;
    private final int height;
    private final long slotBytes;
    private final AtomicInteger next = new AtomicInteger();

    TileSpool(Path dir, int width, int height) throws IOException {
        Files.createDirectories(dir);
        this.file = Files.createTempFile(dir, "tiles-", ".spool");
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.width = width;
        this.height = height;
        this.slotBytes = RgbTile.bytes(width, height);
    }

    /** Stores a tile; returns its slot. */
    int put(RgbTile tile) {
        int slot = next.getAndIncrement();
        ByteBuffer b = ByteBuffer.wrap(tile.rgb());
        long pos = slot * slotBytes;
        try {
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot spool a tile to " + file + ": " + e.getMessage(), e);
        }
        return slot;
    }

    RgbTile get(int slot) {
        byte[] rgb = new byte[(int) slotBytes];
        ByteBuffer b = ByteBuffer.wrap(rgb);
        long pos = slot * slotBytes;
        try {
            while (b.hasRemaining()) {
                int n = channel.read(b, pos);
                if (n < 0) {
                    throw new IOException("spool ends early");
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read spooled tile " + slot + ": " + e.getMessage(), e);
        }
        return new RgbTile(width, height, rgb);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // deleting below is what matters
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind in the spool folder
        }
    }
}
