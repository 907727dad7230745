package org.stainbench.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.stainbench.tiles.Npy;
import org.stainbench.tiles.NpyFormatException;
import org.stainbench.tiles.Npz;
import org.stainbench.tiles.TileArrays;

/**
 * The checks that need no decoding, made before an archive is registered: it is a zip (or .npy), its
 * directory is complete, no entry name leaves its folder, no entry declares a size or ratio beyond the
 * limits, and one entry's header describes a tile array. What only the data can show (object arrays of
 * something else, mixed tile sizes, entries inflating beyond what they declare) fails the ingest instead.
 */
final class ArchiveProbe {

    private ArchiveProbe() {}

    /** The layout of the tile array; throws {@link NpyFormatException} with the reason otherwise. */
    static String check(Path file, Npz.Limits limits) throws IOException {
        byte[] magic;
        try (InputStream in = Files.newInputStream(file)) {
            magic = in.readNBytes(6);
        }
        long size = Files.size(file);
        if (magic.length >= 6 && (magic[0] & 0xff) == 0x93 && magic[1] == 'N' && magic[2] == 'U') {
            try (InputStream in = Files.newInputStream(file)) {
                Npy.Header h = Npy.readHeader(in);
                String layout = TileArrays.layout(h);
                Npz.checkDeclared(h, "", Math.max(0, size - h.headerBytes()), limits.forArchive(size));
                return layout;
            }
        }
        if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K') {
            throw new NpyFormatException("not a zip archive (.npz) or .npy file");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new NpyFormatException("the archive is truncated or damaged: " + e.getMessage());
        }
        try (zip) {
            List<String> skipped = new ArrayList<>();
            String layout = null;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                Npz.checkEntryName(e.getName());
                Npz.checkDeclaredSize(e.getName(), e.getSize(), e.getCompressedSize(), limits);
                if (layout != null || e.isDirectory() || !e.getName().endsWith(".npy")) {
                    continue;
                }
                Npy.Header h;
                try (InputStream in = zip.getInputStream(e)) {
                    h = Npy.readHeader(in);
                } catch (ZipException | java.io.EOFException ex) {
                    throw new NpyFormatException("the archive is truncated or damaged: " + ex.getMessage());
                }
                String key = e.getName().substring(0, e.getName().length() - 4);
                try {
                    layout = TileArrays.layout(h);
                } catch (NpyFormatException ex) {
                    skipped.add(key + ": " + ex.getMessage());
                    continue;
                }
                // the limits, and what the whole file can inflate to; an entry that declares less than its array
                // needs fails the ingest before its tiles are read ("inflates beyond its declared size")
                Npz.Limits sized = limits.forArchive(size);
                Npz.checkDeclared(h, key, Math.max(0, sized.inflatable() - h.headerBytes()), sized);
            }
            if (layout == null) {
                throw new NpyFormatException(
                        skipped.isEmpty()
                                ? "the archive holds no .npy arrays"
                                : "the archive holds no tile array (" + String.join("; ", skipped) + ")");
            }
            return layout;
        }
    }
}
