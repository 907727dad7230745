package org.stainbench.reports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.shell.Sha256;

/**
 * The images a frozen report keeps, on the artifact store (local folder or bucket): key
 * {@code reports/images/<sha256>.jpg}, named by their content's SHA-256 (written once, shared by reports that keep the
 * same image) and checked against it on every read. Images kept before the store existed are read from their old
 * folder {@code <data-dir>/reports/images/} when the store has no such key.
 */
@Component
class ReportImages {

    static final String PREFIX = "reports/images/";

    private final ArtifactStore store;
    private final Path legacy;

    @Autowired
    ReportImages(ArtifactStore store, @Value("${stainbench.data-dir}") String dataDir) {
        this(store, Path.of(dataDir).resolve("reports").resolve("images"));
    }

    ReportImages(ArtifactStore store, Path legacy) {
        this.store = store;
        this.legacy = legacy;
    }

    static String key(String sha) {
        return PREFIX + sha + ".jpg";
    }

    /** Stores the bytes (once) and returns their SHA-256. */
    String put(byte[] bytes) {
        String sha = Sha256.of(bytes);
        try {
            if (!store.exists(key(sha))) {
                store.put(key(sha), bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep a report image: " + e.getMessage(), e);
        }
        return sha;
    }

    /** The image with that hash, if it is there and its content still has that hash. */
    Optional<byte[]> get(String sha) {
        if (sha == null || !sha.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        byte[] b;
        try {
            b = store.readAllBytes(key(sha));
        } catch (NoSuchFileException e) {
            b = legacy(sha);
        } catch (IOException e) {
            return Optional.empty();
        }
        return b != null && sha.equals(Sha256.of(b)) ? Optional.of(b) : Optional.empty();
    }

    private byte[] legacy(String sha) {
        Path file = legacy == null ? null : legacy.resolve(sha + ".jpg");
        try {
            return file != null && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Height / width of an image from its header (1 when it cannot be read). */
    static double aspect(byte[] image) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = in == null ? Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return 1.0;
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in);
                int w = r.getWidth(0);
                int h = r.getHeight(0);
                return w > 0 && h > 0 ? (double) h / w : 1.0;
            } finally {
                r.dispose();
            }
        } catch (IOException e) {
            return 1.0;
        }
    }
}
