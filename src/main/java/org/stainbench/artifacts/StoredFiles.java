package org.stainbench.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * For modules that receive a file, check it where a library needs a local path (ONNX Runtime, OpenSlide), and then
 * keep it on the {@link ArtifactStore}: {@link #keep} puts the checked file at its key, {@link #location} is what the
 * module's row records of where it went.
 */
public final class StoredFiles {

    private StoredFiles() {}

    /**
     * Where {@code key} lives, for rows and pages: on the local store the file's absolute path (what the modules
     * recorded before the store existed, so rows read the same), on a bucket {@code s3://bucket/prefix/key}.
     */
    public static String location(ArtifactStore store, String key) {
        ArtifactStore s = unwrap(store);
        if (s instanceof LocalArtifactStore local) {
            return local.file(key).toString();
        }
        return s.describe() + ArtifactKeys.check(key);
    }

    /** The part of a {@link #location} or of a local path after its last {@code /} (the object's file name). */
    public static String lastPart(String location) {
        String l = location.replace('\\', '/');
        return l.substring(l.lastIndexOf('/') + 1);
    }

    /**
     * Keeps a local file (a received upload, already checked) as the object {@code key}, and the local file is gone
     * afterwards. On the local store the file is renamed into place (no copy; nothing to do when it already is the
     * key's file); on a bucket it is streamed up (multipart when long) and then deleted. When this throws, no object
     * was written and the local file is deleted too.
     */
    public static void keep(ArtifactStore store, Path file, String key) throws IOException {
        ArtifactKeys.check(key);
        Path f = file.toAbsolutePath().normalize();
        try {
            if (unwrap(store) instanceof LocalArtifactStore local) {
                Path target = local.file(key);
                if (f.equals(target)) {
                    return;
                }
                Files.createDirectories(target.getParent());
                Files.move(f, target, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            try (InputStream in = Files.newInputStream(f)) {
                store.put(key, in, Files.size(f));
            }
        } finally {
            if (!(unwrap(store) instanceof LocalArtifactStore local && f.equals(local.file(key)))) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Deletes an object, swallowing errors (clean-up after a failure that is being reported anyway). */
    public static void deleteQuietly(ArtifactStore store, String key) {
        try {
            store.delete(key);
        } catch (IOException | RuntimeException e) {
            // the failure being reported matters more; a leftover object is unreferenced
        }
    }

    static ArtifactStore unwrap(ArtifactStore store) {
        return store instanceof InvalidatingStore i ? i.delegate() : store;
    }
}
