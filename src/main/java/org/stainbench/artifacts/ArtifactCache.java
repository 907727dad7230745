package org.stainbench.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A bounded local disk cache in front of a remote {@link ArtifactStore} ({@code stainbench.artifacts.cache.dir},
 * at most {@code stainbench.artifacts.cache.max-size} bytes, least recently used entries evicted first): whole small
 * objects (thumbnails), byte ranges (hot tiles of an archive) and whole objects materialised as local files for code
 * that must read a path (ONNX models, OpenSlide slides, NumPy archives opened as zip files). On the local store it
 * caches nothing: the artifact folder's files are already local.
 * <p>
 * Entries are named by the SHA-256 of what they hold (key, or key and range) and written by rename, so concurrent
 * readers never see half an entry. Writes and deletes through the application's store invalidate a key's entries
 * ({@link #invalidate}); the folder is emptied when the application starts (the index lives in memory).
 */
public final class ArtifactCache {

    private final ArtifactStore store;
    private final Path dir;
    private final long maxBytes;
    /** entry file name → size, in access order. */
    private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>(256, 0.75f, true);
    /** key → its entries' file names (for invalidation). */
    private final Map<String, Set<String>> byKey = new HashMap<>();

    private final Map<String, String> keyOf = new HashMap<>();
    private long total;
    private long hits;
    private long misses;

    public ArtifactCache(ArtifactStore store, Path dir, long maxBytes) throws IOException {
        this.store = store;
        this.dir = dir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        if (!(store instanceof LocalArtifactStore)) {
            Files.createDirectories(this.dir);
            try (var old = Files.list(this.dir)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    if (Files.isRegularFile(p)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    public ArtifactStore store() {
        return store;
    }

    /** The whole object's bytes, from the cache when it holds them (for small objects: thumbnails, images). */
    public byte[] read(String key) throws IOException {
        if (store instanceof LocalArtifactStore) {
            return store.readAllBytes(key);
        }
        Path f = entry(key, entryName(key, "all"), () -> store.get(key));
        return Files.readAllBytes(f);
    }

    /** Bytes {@code [offset, offset + length)} of an object, from the cache when it holds that range. */
    public byte[] readRange(String key, long offset, int length) throws IOException {
        if (store instanceof LocalArtifactStore) {
            try (InputStream in = store.getRange(key, offset, length)) {
                return in.readAllBytes();
            }
        }
        Path f = entry(key, entryName(key, offset + "+" + length), () -> store.getRange(key, offset, length));
        return Files.readAllBytes(f);
    }

    /**
     * A local file with the object's bytes ("materialise"): the store's own file on the local store, else a cached
     * copy. The file may be evicted later: open it right away and do not keep the path.
     */
    public Path localFile(String key) throws IOException {
        if (store instanceof LocalArtifactStore local) {
            Path f = local.file(key);
            if (!Files.isRegularFile(f)) {
                throw ArtifactStore.missing(key);
            }
            return f;
        }
        return entry(key, entryName(key, "all"), () -> store.get(key));
    }

    /** Drops every cached entry of a key (its object changed or went). */
    public void invalidate(String key) {
        Set<String> names;
        synchronized (this) {
            names = byKey.remove(key);
            if (names == null) {
                return;
            }
            for (String n : names) {
                Long size = entries.remove(n);
                keyOf.remove(n);
                if (size != null) {
                    total -= size;
                }
            }
        }
        for (String n : names) {
            try {
                Files.deleteIfExists(dir.resolve(n));
            } catch (IOException e) {
                // a leftover file is emptied at the next start
            }
        }
    }

    /** Bytes held now. */
    public synchronized long size() {
        return total;
    }

    /** Reads answered from the cache, and reads that went to the store. */
    public synchronized long[] hitsAndMisses() {
        return new long[] {hits, misses};
    }

    interface Opener {
        InputStream open() throws IOException;
    }

    private Path entry(String key, String name, Opener opener) throws IOException {
        Path f = dir.resolve(name);
        synchronized (this) {
            if (entries.get(name) != null && Files.isRegularFile(f)) {
                hits++;
                return f;
            }
            misses++;
        }
        Path tmp = Files.createTempFile(dir, ".fill-", ".part");
        long n;
        try {
            try (InputStream in = opener.open();
                    OutputStream out = Files.newOutputStream(tmp)) {
                n = in.transferTo(out);
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        java.util.List<String> evicted = new java.util.ArrayList<>();
        synchronized (this) {
            Long old = entries.put(name, n);
            if (old != null) {
                total -= old;
            }
            total += n;
            keyOf.put(name, key);
            byKey.computeIfAbsent(key, k -> new HashSet<>()).add(name);
            Iterator<Map.Entry<String, Long>> it = entries.entrySet().iterator();
            while (total > maxBytes && it.hasNext()) {
                Map.Entry<String, Long> e = it.next();
                if (e.getKey().equals(name)) {
                    continue; // the entry just asked for stays, even when it alone is larger than the cache
                }
                it.remove();
                total -= e.getValue();
                String k = keyOf.remove(e.getKey());
                Set<String> names = byKey.get(k);
                if (names != null) {
                    names.remove(e.getKey());
                    if (names.isEmpty()) {
                        byKey.remove(k);
                    }
                }
                evicted.add(e.getKey());
            }
        }
        for (String e : evicted) {
            Files.deleteIfExists(dir.resolve(e));
        }
        return f;
    }

    private static String entryName(String key, String what) {
        var sha = Hashes.sha256();
        sha.update(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(what.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }
}
