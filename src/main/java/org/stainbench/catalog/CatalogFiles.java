package org.stainbench.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;
import org.stainbench.shell.Sha256;
import org.stainbench.shell.TooLarge;

/**
 * The catalog's part of the artifact store ({@code stainbench.artifacts.root}/catalog): uploaded archives
 * under {@code uploads/<sha256>.npz}, ingest outputs (raw tiles, thumbnails) under {@code archives/<id>/}.
 */
@Component
class CatalogFiles {

    private final Path root;

    CatalogFiles(@Value("${stainbench.artifacts.root}") Path artifacts) {
        this.root = artifacts.resolve("catalog").toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path uploads() {
        return root.resolve("uploads");
    }

    Path output(long archiveId) {
        return root.resolve("archives").resolve(Long.toString(archiveId));
    }

    record Stored(Path file, String sha256, long size) {}

    /**
     * Streams {@code in} to a temporary file in the store, computing its SHA-256 on the way; more than
     * {@code maxBytes} stop it with {@link TooLarge} and leave no file behind.
     */
    Stored receive(InputStream in, long maxBytes) throws IOException {
        Path tmp = root.resolve("incoming");
        Files.createDirectories(tmp);
        Path file = tmp.resolve(UUID.randomUUID() + ".part");
        Sha256.Copied c =
                Sha256.copy(TooLarge.limit(in, maxBytes, "The archive", "stainbench.catalog.max-upload-bytes"), file);
        return new Stored(c.file(), c.sha256(), c.size());
    }

    /** Moves a received file to its final place, named by its hash. */
    Path keep(Stored s) throws IOException {
        Files.createDirectories(uploads());
        Path target = uploads().resolve(s.sha256() + ".npz");
        Files.move(s.file(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    void deleteOutput(long archiveId) {
        try {
            FileSystemUtils.deleteRecursively(output(archiveId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left for an operator; nothing refers to it any more
        }
    }
}
