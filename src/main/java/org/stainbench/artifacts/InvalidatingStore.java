package org.stainbench.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;

/** A remote store whose writes and deletes drop the written key's entries from the {@link ArtifactCache}. */
final class InvalidatingStore implements ArtifactStore, AutoCloseable {

    private final ArtifactStore store;
    private final ArtifactCache cache;

    InvalidatingStore(ArtifactStore store, ArtifactCache cache) {
        this.store = store;
        this.cache = cache;
    }

    ArtifactStore delegate() {
        return store;
    }

    @Override
    public long put(String key, InputStream in, long length) throws IOException {
        try {
            return store.put(key, in, length);
        } finally {
            cache.invalidate(key);
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        return store.get(key);
    }

    @Override
    public InputStream getRange(String key, long offset, long length) throws IOException {
        return store.getRange(key, offset, length);
    }

    @Override
    public OptionalLong size(String key) throws IOException {
        return store.size(key);
    }

    @Override
    public List<ArtifactObject> list(String prefix) throws IOException {
        return store.list(prefix);
    }

    @Override
    public boolean delete(String key) throws IOException {
        try {
            return store.delete(key);
        } finally {
            cache.invalidate(key);
        }
    }

    @Override
    public void copy(String fromKey, String toKey) throws IOException {
        try {
            store.copy(fromKey, toKey);
        } finally {
            cache.invalidate(toKey);
        }
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public void close() throws Exception {
        if (store instanceof AutoCloseable c) {
            c.close();
        }
    }
}
