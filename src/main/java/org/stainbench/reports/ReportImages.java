package org.stainbench.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.stainbench.shell.Sha256;

/**
 * The images a frozen report keeps: files {@code <data-dir>/reports/images/<sha256>.jpg}, named by their content's
 * SHA-256 (written once, shared by reports that keep the same image) and checked against it on every read.
 */
@Component
class ReportImages {

    private final Path root;

    ReportImages(@Value("${stainbench.data-dir}") String dataDir) {
        this.root = Path.of(dataDir).resolve("reports").resolve("images");
    }

    /** Stores the bytes (atomically, once) and returns their SHA-256. */
    String put(byte[] bytes) {
        String sha = Sha256.of(bytes);
        Path file = file(sha);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(root);
                Path tmp = Files.createTempFile(root, sha, ".part");
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
        try {
            Path file = file(sha);
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            byte[] b = Files.readAllBytes(file);
            return sha.equals(Sha256.of(b)) ? Optional.of(b) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Height / width of an image from its header (1 when it cannot be read). */
    static double aspect(byte[] image) {
        try (javax.imageio.stream.ImageInputStream in =
                javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(image))) {
            java.util.Iterator<javax.imageio.ImageReader> readers =
                    in == null ? java.util.Collections.emptyIterator() : javax.imageio.ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return 1.0;
            }
            javax.imageio.ImageReader r = readers.next();
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

    Path file(String sha) {
        return root.resolve(sha + ".jpg");
    }
}
