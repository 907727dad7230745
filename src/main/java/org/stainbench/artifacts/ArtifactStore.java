package org.stainbench.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where the application's bytes live, by key: a relative, {@code /}-separated path such as
 * {@code catalog/archives/12/he_X.npz} (see {@link ArtifactKeys#check}). Implementations: {@link LocalArtifactStore}
 * (the artifact folder) and {@link S3ArtifactStore} (a bucket). Every method is safe to call from several threads.
 * <p>
 * Contract (tested on both by the artifact store contract tests):
 * <ul>
 * <li>{@link #put} streams: it never holds a whole object in memory (at most one multipart part on S3); readers
 * see the old object or the new one, never a part; an upload that fails (the stream throws, the store refuses)
 * leaves no object behind (and the old object, if there was one, unchanged).</li>
 * <li>{@link #get} and {@link #getRange} throw {@link NoSuchFileException} for a missing key.</li>
 * <li>{@link #list} returns the objects whose key starts with the prefix (a plain string prefix), sorted by key.</li>
 * </ul>
 */
public interface ArtifactStore {

    /** What {@link #list} returns: one object, its key and size. */
    record ArtifactObject(String key, long size) {}

    /**
     * Writes the stream's bytes as the object {@code key}, replacing any object there.
     *
     * @param length the stream's length when known, else {@code -1}; a stream that ends before or after a known
     *               length fails the upload
     * @return the number of bytes stored
     */
    long put(String key, InputStream in, long length) throws IOException;

    default long put(String key, byte[] bytes) throws IOException {
        return put(key, new java.io.ByteArrayInputStream(bytes), bytes.length);
    }

    /** The object's bytes, streamed; the caller closes the stream. */
    InputStream get(String key) throws IOException;

    /**
     * Bytes {@code [offset, offset + length)} of the object (fewer when the object ends first), streamed; on S3 one
     * HTTP range request.
     */
    InputStream getRange(String key, long offset, long length) throws IOException;

    /** The whole object (for small ones: thumbnails, JSON, images). */
    default byte[] readAllBytes(String key) throws IOException {
        try (InputStream in = get(key)) {
            return in.readAllBytes();
        }
    }

    /** The object's size, empty when there is no object at the key. */
    OptionalLong size(String key) throws IOException;

    default boolean exists(String key) throws IOException {
        return size(key).isPresent();
    }

    /** Objects whose key starts with {@code prefix} ("" lists everything), sorted by key. */
    List<ArtifactObject> list(String prefix) throws IOException;

    /** Deletes the object; false when there was none. */
    boolean delete(String key) throws IOException;

    /** Deletes every object below a prefix; returns how many it deleted. */
    default int deletePrefix(String prefix) throws IOException {
        int n = 0;
        for (ArtifactObject o : list(prefix)) {
            if (delete(o.key())) {
                n++;
            }
        }
        return n;
    }

    /** Copies an object to another key (server-side on S3), replacing what was there. */
    void copy(String fromKey, String toKey) throws IOException;

    /** Human-readable location for logs and the operations page, e.g. {@code s3://bucket/prefix}. */
    String describe();

    /** Missing-object exception with the key, as both stores throw it. */
    static NoSuchFileException missing(String key) {
        return new NoSuchFileException(key, null, "no artifact object at this key");
    }

    /** Length of a known-length stream not met by the bytes it delivered. */
    static IOException lengthMismatch(String key, long declared, long actual) {
        return new IOException("upload of '" + key + "' declared " + declared + " bytes but the stream had "
                + (actual > declared ? "more" : actual));
    }
}
