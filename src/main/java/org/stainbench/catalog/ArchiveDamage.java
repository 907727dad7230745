package org.stainbench.catalog;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Tells a damaged archive from one that is intact but unusable, after an ingest failed: every entry is inflated and
 * checked against the CRC-32 its zip directory records. A damaged deflate stream can inflate to garbage that the
 * decoder trips over (a wrong type, a bad opcode, more bytes than declared) before the entry's CRC is reached; this
 * says "damaged" instead. An entry whose data matches its CRC is intact, whatever else is wrong with it.
 */
final class ArchiveDamage {

    /** Inflating stops this far beyond an entry's declared size (a zip bomb is the decoder's to explain). */
    static final long SLACK = 16L << 20;

    private ArchiveDamage() {}

    /** What is damaged ("entry 'arr_0.npy' …"), or empty when every entry inflates and matches its CRC. */
    static Optional<String> find(Path file) {
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] magic = raw.readNBytes(2);
            if (magic.length < 2 || magic[0] != 'P' || magic[1] != 'K') {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            return Optional.of("its zip directory cannot be read");
        }
        try (zip) {
            byte[] buf = new byte[1 << 16];
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                long cap = Math.max(0, e.getSize()) + SLACK;
                CRC32 crc = new CRC32();
                long read = 0;
                try (InputStream in = zip.getInputStream(e)) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        crc.update(buf, 0, n);
                        read += n;
                        if (read > cap) {
                            break;
                        }
                    }
                } catch (ZipException | EOFException x) {
                    return Optional.of("entry '" + e.getName() + "' cannot be decompressed intact");
                }
                if (read <= cap && e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    return Optional.of("entry '" + e.getName() + "' cannot be decompressed intact");
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The reason shown for a damaged archive. */
    static String reason(String what) {
        return "the archive is damaged: " + what + " (its compressed data or checksum does not match)."
                + " Copy or export it again from the original";
    }
}
