package org.stainbench.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 14: a tiny archive that declares a huge array is refused from its header, in milliseconds, before
 * anything is allocated for it (the sink never starts): tile sides above stainbench.catalog.max-tile-side, counts above
 * stainbench.catalog.max-tiles, more data than the archive holds, and pickled values larger than a tile may be.
 */
class DeclaredShapeLimitsTest {

    static final long N = (1L << 31) - 10;
    static final Npz.Limits LIMITS = new Npz.Limits(64L << 30, 250, 4096, 2_000_000, -1);

    static byte[] npy(String descr, long... shape) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Npy.writeHeader(b, descr, shape);
        b.write(new byte[64]); // a few bytes of "data"
        return b.toByteArray();
    }

    static byte[] stored(String name, byte[] content) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            ZipEntry e = new ZipEntry(name);
            e.setMethod(ZipEntry.STORED);
            e.setSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            e.setCrc(crc.getValue());
            z.putNextEntry(e);
            z.write(content);
            z.closeEntry();
        }
        return b.toByteArray();
    }

    static byte[] deflated(String name, byte[] content) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry(name));
            z.write(content);
            z.closeEntry();
        }
        return b.toByteArray();
    }

    /** Reads the archive with the limits for its size; returns the failure, and checks it came fast and early. */
    static String refused(byte[] archive, Npz.Limits limits) {
        AtomicBoolean begun = new AtomicBoolean();
        TileSink sink = new TileSink() {
            @Override
            public void begin(TileArrayHeader header) {
                begun.set(true);
            }

            @Override
            public void accept(int index, RgbTile tile) {
                begun.set(true);
            }
        };
        long t0 = System.nanoTime();
        Throwable[] thrown = new Throwable[1];
        try {
            Npz.readTiles(new ByteArrayInputStream(archive), limits.forArchive(archive.length), sink);
        } catch (Throwable t) {
            thrown[0] = t;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(thrown[0]).as("refused").isInstanceOf(NpyFormatException.class);
        assertThat(begun)
                .as("nothing allocated for the tiles: the sink never started")
                .isFalse();
        assertThat(ms).as("refused from the header (ms)").isLessThan(1_000);
        return thrown[0].getMessage();
    }

    @Test
    void aHugeTileSideIsRefusedFromTheHeader() throws Exception {
        byte[] bare = npy("|u1", 1, 26000, 26000, 3);
        assertThat(refused(bare, LIMITS)).contains("26000 x 26000").contains("stainbench.catalog.max-tile-side");
        assertThat(refused(stored("arr_0.npy", bare), LIMITS)).contains("stainbench.catalog.max-tile-side");
        assertThat(refused(deflated("arr_0.npy", bare), LIMITS)).contains("stainbench.catalog.max-tile-side");
        // within the side limit, the bytes must still be there
        Npz.Limits wide = new Npz.Limits(64L << 30, 250, 30_000, 2_000_000, -1);
        assertThat(refused(npy("|u1", 1, 26000, 26000, 3), wide))
                .contains("only")
                .contains("bytes follow its header");
        assertThat(refused(stored("arr_0.npy", bare), wide)).contains("bytes follow its header");
    }

    @Test
    void aHugeTileCountIsRefusedFromTheHeader() throws Exception {
        assertThat(refused(npy("|u1", N, 64, 64, 3), LIMITS)).contains("" + N).contains("stainbench.catalog.max-tiles");
        assertThat(refused(deflated("x.npy", npy("|u1", N, 64, 64, 3)), LIMITS))
                .contains("stainbench.catalog.max-tiles");
        assertThat(refused(npy("|O", N, 2), LIMITS)).contains("stainbench.catalog.max-tiles");
        assertThat(refused(stored("arr_0.npy", npy("|O", N, 4)), LIMITS)).contains("stainbench.catalog.max-tiles");
        // with no count limit to speak of, the archive's size still bounds what it can declare
        Npz.Limits many = new Npz.Limits(64L << 30, 250, 4096, Long.MAX_VALUE, -1);
        assertThat(refused(npy("|u1", N, 64, 64, 3), many)).contains("bytes follow its header");
        assertThat(refused(npy("|O", N, 2), many)).contains("bytes follow its header");
    }

    @Test
    void aPickledValueLargerThanATileIsRefusedBeforeItIsRead() throws Exception {
        for (int opcode : new int[] {'B', 'X', 'T', 0x8e}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            Npy.writeHeader(b, "|O", 1, 2);
            b.write(new byte[] {(byte) 0x80, 2, (byte) opcode});
            long len = N;
            for (int i = 0; i < (opcode == 0x8e ? 8 : 4); i++) {
                b.write((int) (len >>> (8 * i)) & 0xff);
            }
            b.write(new byte[32]);
            String m = refusedAfterHeader(b.toByteArray());
            assertThat(m).as("opcode " + opcode).contains("" + N).contains("stainbench.catalog.max-tile-side");
        }
    }

    /** A pickled array passes the header checks (one row); its first value is refused before allocation. */
    static String refusedAfterHeader(byte[] archive) {
        long t0 = System.nanoTime();
        Throwable thrown = null;
        try {
            Npz.readTiles(new ByteArrayInputStream(archive), LIMITS.forArchive(archive.length), (i, t) -> {});
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).isInstanceOf(NpyFormatException.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
        return thrown.getMessage();
    }

    @Test
    void ordinaryArchivesStillRead() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        SyntheticTiles.writeLabArchive(b, SyntheticTiles.Stain.HE, 3, 32, 5, 0.2, 0.25, false);
        byte[] archive = b.toByteArray();
        int[] n = new int[1];
        TileArray a =
                Npz.readTiles(new ByteArrayInputStream(archive), LIMITS.forArchive(archive.length), (i, t) -> n[0]++);
        assertThat(a.header().count()).isEqualTo(3);
        assertThat(n[0]).isEqualTo(3);
        assertThatThrownBy(() -> Npz.readTiles(
                        new ByteArrayInputStream(archive),
                        new Npz.Limits(64L << 30, 250, 16, 2_000_000, archive.length),
                        (i, t) -> {}))
                .isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("stainbench.catalog.max-tile-side");
    }
}
