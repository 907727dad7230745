package org.stainbench.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Files people name by their path on the server (archives, slides, checkpoints, extractors, folders of generated
 * archives): only under the configured allowed roots, compared after resolving symbolic links and {@code ..}, so a
 * link inside a root that points outside it is refused. Every refusal is an {@link IllegalArgumentException} whose
 * message says what to do.
 */
public final class ServerPaths {

    private ServerPaths() {}

    /**
     * The real path of the readable file (or folder, when {@code folder}) at {@code path}, which must lie under one of
     * {@code roots}.
     *
     * @param what       how the message names the thing looked for: "archive file", "slide file", "folder"…
     * @param offMessage the message when no root is configured (registering by path is off)
     */
    public static Path inside(String path, List<Path> roots, boolean folder, String what, String offMessage) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException(offMessage);
        }
        Path p = Path.of(path).toAbsolutePath().normalize();
        Path real = null;
        if (Files.exists(p)) {
            try {
                real = p.toRealPath();
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read '" + path + "': " + e.getMessage());
            }
        }
        Path candidate = real != null ? real : p;
        if (roots.stream().map(ServerPaths::realRoot).noneMatch(r -> r != null && candidate.startsWith(r))) {
            throw new IllegalArgumentException("'" + path + "' is outside the allowed roots ("
                    + roots.stream().map(Path::toString).collect(Collectors.joining(", ")) + ").");
        }
        if (real == null || (folder ? !Files.isDirectory(real) : !Files.isRegularFile(real))) {
            throw new IllegalArgumentException("No " + what + " at '" + path + "'.");
        }
        if (!Files.isReadable(real)) {
            throw new IllegalArgumentException("'" + path + "' is not readable by the server.");
        }
        return real;
    }

    private static Path realRoot(Path root) {
        Path r = root.toAbsolutePath().normalize();
        try {
            return Files.exists(r) ? r.toRealPath() : r;
        } catch (IOException e) {
            return null;
        }
    }
}
