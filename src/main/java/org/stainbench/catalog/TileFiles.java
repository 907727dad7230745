package org.stainbench.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.springframework.stereotype.Component;
import org.stainbench.tiles.RgbTile;

/**
 * Reads one tile or thumbnail from an ingested archive's random-access files, without touching the rest: a positioned
 * read of the file on the local store, one HTTP range request on S3 (kept by the artifact cache, so hot tiles and
 * thumbnails are read from local disk).
 */
@Component
class TileFiles {

    private final CatalogFiles files;

    TileFiles(CatalogFiles files) {
        this.files = files;
    }

    RgbTile tile(Archive a, TileInfo t) throws IOException {
        int w = a.tileWidth();
        int h = a.tileHeight();
        byte[] buf = new byte[Math.toIntExact(RgbTile.bytes(w, h))];
        files.readOutput(a.id(), IngestPipeline.TILES_FILE, buf, (long) t.index() * buf.length);
        return new RgbTile(w, h, buf);
    }

    byte[] thumbnail(TileInfo t) throws IOException {
        byte[] buf = new byte[t.thumbLength()];
        files.readOutput(t.archiveId(), IngestPipeline.THUMBS_FILE, buf, t.thumbOffset());
        return buf;
    }

    static void read(Path file, byte[] buf, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(buf);
            long p = position;
            while (b.hasRemaining()) {
                int n = ch.read(b, p);
                if (n < 0) {
                    throw new IOException("tile file " + file + " is shorter than expected");
                }
                p += n;
            }
        }
    }
}
