package org.stainbench.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The artifact store contract on the local folder. */
class LocalArtifactStoreTest extends ArtifactStoreContract {

    @TempDir
    Path tmp;

    private Path root;

    @Override
    ArtifactStore store() {
        try {
            root = Files.createDirectories(tmp.resolve("artifacts"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LocalArtifactStore(root);
    }

    @Override
    List<String> childArgs(String key, long bytes) {
        return List.of("local", root.toString(), key, Long.toString(bytes));
    }

    @Override
    Map<String, String> childEnv() {
        return Map.of();
    }
}
