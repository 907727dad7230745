package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stainbench.tiles.Npy;
import org.stainbench.tiles.NpyFormatException;
import org.stainbench.tiles.Npz;

/**
 * Issue 15 item 14 at registration: the probe that runs before an archive is registered (its failure is the upload's
 * 400) refuses arrays whose declared shape breaks the tile limits or cannot fit in the file.
 */
class ArchiveProbeLimitsTest {

    static final Npz.Limits LIMITS = new Npz.Limits(64L << 30, 250, 4096, 2_000_000, -1);

    @TempDir
    Path tmp;

    Path write(String name, byte[] b) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, b);
        return p;
    }

    static byte[] npy(String descr, long... shape) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Npy.writeHeader(b, descr, shape);
        b.write(new byte[16]);
        return b.toByteArray();
    }

    static byte[] zip(byte[] entry) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("arr_0.npy"));
            z.write(entry);
            z.closeEntry();
        }
        return b.toByteArray();
    }

    @Test
    void declaredShapesBeyondTheLimitsOrTheFileAreRefusedBeforeRegistration() throws Exception {
        long n = (1L << 31) - 10;
        assertThatThrownBy(() -> ArchiveProbe.check(write("a.npy", npy("|u1", 1, 26000, 26000, 3)), LIMITS))
                .isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("stainbench.catalog.max-tile-side");
        assertThatThrownBy(() -> ArchiveProbe.check(write("b.npz", zip(npy("|u1", 1, 26000, 26000, 3))), LIMITS))
                .isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("stainbench.catalog.max-tile-side");
        assertThatThrownBy(() -> ArchiveProbe.check(write("c.npz", zip(npy("|O", n, 2))), LIMITS))
                .isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("stainbench.catalog.max-tiles");
        assertThatThrownBy(() -> ArchiveProbe.check(write("d.npy", npy("|u1", 1000, 256, 256, 3)), LIMITS))
                .isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("bytes follow its header");
    }
}
