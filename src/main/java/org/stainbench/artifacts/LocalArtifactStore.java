package org.stainbench.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The artifact folder ({@code stainbench.artifacts.root}) as an {@link ArtifactStore}: key {@code a/b/c} is the file
 * {@code <root>/a/b/c}, exactly where the modules wrote their files before the store existed. A put writes a
 * {@code .upload-*.part} file beside the target and renames it over the target when complete (atomic), so a
 * failed upload leaves nothing and readers never see half a file; {@link #list} never shows those part files.
 */
public final class LocalArtifactStore implements ArtifactStore {

    static final String PART_PREFIX = ".upload-";

    private final Path root;

    public LocalArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The folder of this store. */
    public Path root() {
        return root;
    }

    /** The file of a key (it may not exist); for modules that read a local path (see {@link ArtifactCache#localFile}). */
    public Path file(String key) {
        Path p = root.resolve(ArtifactKeys.check(key)).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("An artifact key must stay inside the store: '" + key + "'.");
        }
        return p;
    }

    @Override
    public long put(String key, InputStream in, long length) throws IOException {
        Path target = file(key);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), PART_PREFIX, ".part");
        try {
            long n;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                n = in.transferTo(out);
            }
            if (length >= 0 && n != length) {
                throw ArtifactStore.lengthMismatch(key, length, n);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return n;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        Path f = file(key);
        if (!Files.isRegularFile(f)) {
            throw ArtifactStore.missing(key);
        }
        return Files.newInputStream(f);
    }

    @Override
    public InputStream getRange(String key, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative");
        }
        Path f = file(key);
        if (!Files.isRegularFile(f)) {
            throw ArtifactStore.missing(key);
        }
        FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
        ch.position(offset);
        InputStream whole = Channels.newInputStream(ch);
        return new BoundedInputStream(whole, length);
    }

    @Override
    public OptionalLong size(String key) throws IOException {
        Path f = file(key);
        return Files.isRegularFile(f) ? OptionalLong.of(Files.size(f)) : OptionalLong.empty();
    }

    @Override
    public List<ArtifactObject> list(String prefix) throws IOException {
        String p = ArtifactKeys.checkPrefix(prefix);
        int slash = p.lastIndexOf('/');
        Path dir = slash < 0 ? root : root.resolve(p.substring(0, slash)).normalize();
        if (!dir.startsWith(root) || !Files.isDirectory(dir)) {
            return List.of();
        }
        List<ArtifactObject> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(PART_PREFIX))
                    .forEach(f -> {
                        String key = root.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                        if (key.startsWith(p)) {
                            try {
                                out.add(new ArtifactObject(key, Files.size(f)));
                            } catch (NoSuchFileException gone) {
                                // deleted while listing
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        out.sort(Comparator.comparing(ArtifactObject::key));
        return out;
    }

    @Override
    public boolean delete(String key) throws IOException {
        Path f = file(key);
        // a folder is no object (on S3 a "folder" is only a common prefix): deletePrefix removes what is below it
        return !Files.isDirectory(f) && Files.deleteIfExists(f);
    }

    @Override
    public void copy(String fromKey, String toKey) throws IOException {
        try (InputStream in = get(fromKey)) {
            put(toKey, in, -1);
        }
    }

    @Override
    public String describe() {
        return root.toUri().toString();
    }

    /** At most {@code remaining} bytes of another stream. */
    static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int r = super.read(b, off, (int) Math.min(len, remaining));
            if (r > 0) {
                remaining -= r;
            }
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, remaining));
            remaining -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
