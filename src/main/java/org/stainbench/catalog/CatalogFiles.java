package org.stainbench.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;
import org.stainbench.artifacts.ArtifactCache;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.artifacts.LocalArtifactStore;
import org.stainbench.shell.Sha256;
import org.stainbench.shell.TooLarge;

/**
 * The catalog's part of the artifact store ({@link ArtifactStore}, keys under {@code catalog/}): uploaded archives
 * under {@code catalog/uploads/<sha256>.npz}, ingest outputs (raw tiles, thumbnails) under
 * {@code catalog/archives/<id>/tiles.rgb} and {@code …/thumbs.bin} — the layout of the artifact folder before the
 * store existed, so an existing folder works unchanged on the local store and a migrated bucket on S3.
 * <p>
 * Local scratch space ({@code stainbench.artifacts.root}/catalog/incoming and {@code …/staging}) holds an upload
 * while it is checked and, on a remote store, an ingest's output while it is written (its tiles are written in any
 * order); on the local store the ingest writes straight into its final folder and a checked upload is renamed into
 * place, as before. Archives registered by server path are read where they are (outside the store).
 */
@Component
class CatalogFiles {

    static final String PREFIX = "catalog/";

    private final Path root;
    private final ArtifactStore store;
    private final ArtifactCache cache;

    CatalogFiles(@Value("${stainbench.artifacts.root}") Path artifacts, ArtifactStore store, ArtifactCache cache) {
        this.root = artifacts.resolve("catalog").toAbsolutePath().normalize();
        this.store = store;
        this.cache = cache;
    }

    /** The local catalog folder (the store's own folder on the local store; scratch space only on a remote one). */
    Path root() {
        return root;
    }

    /** Where the local store keeps uploads (tests look there). */
    Path uploads() {
        return root.resolve("uploads");
    }

    /** Where the local store keeps an archive's ingest output (tests look there). */
    Path output(long archiveId) {
        return root.resolve("archives").resolve(Long.toString(archiveId));
    }

    ArtifactStore store() {
        return store;
    }

    /** The store's local folder when it is the local store, else null. */
    private LocalArtifactStore local() {
        return cache.store() instanceof LocalArtifactStore l ? l : null;
    }

    static String uploadKey(String sha256) {
        return PREFIX + "uploads/" + sha256 + ".npz";
    }

    static String outputPrefix(long archiveId) {
        return PREFIX + "archives/" + archiveId + "/";
    }

    static String outputKey(long archiveId, String file) {
        return outputPrefix(archiveId) + file;
    }

    record Stored(Path file, String sha256, long size) {}

    /**
     * Streams {@code in} to a local temporary file, computing its SHA-256 on the way (the archive is checked as a zip
     * file before it is kept); more than {@code maxBytes} stop it with {@link TooLarge} and leave no file behind.
     */
    Stored receive(InputStream in, long maxBytes) throws IOException {
        Path tmp = root.resolve("incoming");
        Files.createDirectories(tmp);
        Path file = tmp.resolve(UUID.randomUUID() + ".part");
        Sha256.Copied c =
                Sha256.copy(TooLarge.limit(in, maxBytes, "The archive", "stainbench.catalog.max-upload-bytes"), file);
        return new Stored(c.file(), c.sha256(), c.size());
    }

    /**
     * Keeps a received file in the store as {@code catalog/uploads/<sha256>.npz}: renamed into place on the local
     * store, streamed as a (multipart) upload on S3. Returns the key. A failed upload leaves no object.
     */
    String keep(Stored s) throws IOException {
        String key = uploadKey(s.sha256());
        LocalArtifactStore local = local();
        if (local != null) {
            Path target = local.file(key);
            Files.createDirectories(target.getParent());
            Files.move(s.file(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            try (InputStream in = Files.newInputStream(s.file())) {
                store.put(key, in, s.size());
            }
        }
        return key;
    }

    /** The store key of an uploaded archive's bytes, or null for one registered by server path. */
    static String sourceKey(Archive a) {
        return "UPLOAD".equals(a.source()) ? uploadKey(a.sha256()) : null;
    }

    /** The archive's bytes, streamed (one GET on S3). */
    InputStream openSource(Archive a) throws IOException {
        String key = sourceKey(a);
        return key == null ? Files.newInputStream(Path.of(a.sourcePath())) : store.get(key);
    }

    /** The archive's size in bytes. */
    long sourceSize(Archive a) throws IOException {
        String key = sourceKey(a);
        if (key == null) {
            return Files.size(Path.of(a.sourcePath()));
        }
        return store.size(key).orElseThrow(() -> new NoSuchFileException(key));
    }

    boolean sourceExists(Archive a) {
        String key = sourceKey(a);
        try {
            return key == null ? Files.isRegularFile(Path.of(a.sourcePath())) : store.exists(key);
        } catch (IOException e) {
            return false;
        }
    }

    /** The archive as a local file (for reading it as a zip file); materialised through the cache on S3. */
    Path sourceFile(Archive a) throws IOException {
        String key = sourceKey(a);
        return key == null ? Path.of(a.sourcePath()) : cache.localFile(key);
    }

    /** Where the ingest writes an archive's output: its final folder on the local store, a staging folder on S3. */
    Path ingestFolder(long archiveId) {
        return local() != null ? output(archiveId) : root.resolve("staging").resolve(Long.toString(archiveId));
    }

    /** Puts an ingest's output files into the store (nothing to do on the local store: they are written in place). */
    void publish(long archiveId, Path folder, List<String> names) throws IOException {
        if (local() != null) {
            return;
        }
        for (String n : names) {
            Path f = folder.resolve(n);
            try (InputStream in = Files.newInputStream(f)) {
                store.put(outputKey(archiveId, n), in, Files.size(f));
            }
        }
        FileSystemUtils.deleteRecursively(folder);
    }

    /** Bytes {@code [offset, offset + buf.length)} of an archive's output file into {@code buf}. */
    void readOutput(long archiveId, String name, byte[] buf, long offset) throws IOException {
        String key = outputKey(archiveId, name);
        LocalArtifactStore local = local();
        if (local != null) {
            TileFiles.read(local.file(key), buf, offset);
            return;
        }
        byte[] b = cache.readRange(key, offset, buf.length);
        if (b.length != buf.length) {
            throw new IOException("tile file " + key + " is shorter than expected");
        }
        System.arraycopy(b, 0, buf, 0, b.length);
    }

    /** Removes an archive's ingest output (objects and any local staging). */
    void deleteOutput(long archiveId) {
        try {
            if (local() == null) {
                store.deletePrefix(outputPrefix(archiveId));
                FileSystemUtils.deleteRecursively(ingestFolder(archiveId));
            }
            FileSystemUtils.deleteRecursively(output(archiveId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes an uploaded archive's bytes. */
    void deleteUpload(String sha256) {
        try {
            store.delete(uploadKey(sha256));
        } catch (IOException e) {
            // left for an operator; nothing refers to it any more
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
