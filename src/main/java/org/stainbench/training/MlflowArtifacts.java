package org.stainbench.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * MLflow's artifact proxy ({@code mlflow-artifacts:} URIs): upload, download and list the files of a
 * run under {@code <experiment>/<run_uuid>/artifacts/…}, stored in the artifact folder.
 */
@RestController
@RequestMapping("/api/2.0/mlflow-artifacts")
class MlflowArtifacts {

    private final TrackingStore store;
    private final Path root;

    MlflowArtifacts(TrackingStore store, @Value("${stainbench.artifacts.root}") String artifactsRoot) {
        this.store = store;
        this.root = Path.of(artifactsRoot).toAbsolutePath().normalize().resolve("mlflow");
    }

    @PutMapping("/artifacts/{*path}")
    ObjectNode upload(@PathVariable String path, HttpServletRequest request, Authentication auth) throws IOException {
        if (auth.getAuthorities().stream().noneMatch(
                a -> a.getAuthority().equals("ROLE_MEMBER") || a.getAuthority().equals("SCOPE_NODE"))) {
            throw MlflowException.forbidden("This token may only read.");
        }
        Path target = resolve(path, true);
        if (target.equals(runFolder(path))) {
            throw MlflowException.invalid("An artifact needs a file name below the run's artifact folder.");
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".upload-", ".part");
        try (InputStream in = request.getInputStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return JsonNodeFactory.instance.objectNode();
    }

    @GetMapping("/artifacts/{*path}")
    ResponseEntity<?> downloadOrList(@PathVariable String path,
            @RequestParam(name = "path", required = false) String listPath) throws IOException {
        if (path == null || path.isBlank() || path.equals("/")) {
            return ResponseEntity.ok(list(listPath));
        }
        Path file = resolve(path, false);
        if (!Files.isRegularFile(file)) {
            throw MlflowException.notFound("No artifact at '" + path + "'.");
        }
        MediaType type = MediaTypeFactory.getMediaType(file.getFileName().toString())
                .orElse(MediaType.APPLICATION_OCTET_STREAM);
        Resource body = new FileSystemResource(file);
        return ResponseEntity.ok().contentType(type).contentLength(Files.size(file)).body(body);
    }

    private ObjectNode list(String listPath) throws IOException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode files = out.putArray("files");
        if (listPath == null || listPath.isBlank()) {
            return out;
        }
        Path dir = resolve(listPath, false);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(p -> !p.getFileName().toString().startsWith(".upload-")).sorted().forEach(p -> {
                ObjectNode f = files.addObject().put("path", p.getFileName().toString())
                        .put("is_dir", Files.isDirectory(p));
                if (Files.isRegularFile(p)) {
                    try {
                        f.put("file_size", Files.size(p));
                    } catch (IOException e) {
                        f.put("file_size", 0);
                    }
                }
            });
        }
        return out;
    }

    /** {@code <experiment>/<run_uuid>/artifacts[/…]} of an existing run, never outside it. */
    private Path resolve(String path, boolean forWrite) {
        Path folder = runFolder(path);
        String rest = strip(path);
        Path target = root.resolve(rest).normalize();
        if (!target.startsWith(folder)) {
            throw MlflowException.invalid("Artifact path '" + path + "' leaves the run's artifact folder.");
        }
        return target;
    }

    private Path runFolder(String path) {
        String[] parts = strip(path).split("/");
        if (parts.length < 3 || !parts[2].equals("artifacts")) {
            throw MlflowException.invalid("Artifact paths look like <experiment_id>/<run_id>/artifacts/<file>, not '"
                    + path + "'.");
        }
        Tracking.RunInfo run = store.requireRun(parts[1]);
        if (!Long.toString(run.experimentId()).equals(parts[0])) {
            throw MlflowException.notFound("Run " + parts[1] + " is not in experiment " + parts[0] + ".");
        }
        return root.resolve(parts[0]).resolve(parts[1]).resolve("artifacts").normalize();
    }

    private static String strip(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** Writes a file into a run's artifact folder (for work the server itself does for a run). */
    void write(Tracking.RunInfo run, String relativePath, byte[] content) throws IOException {
        Path folder = root.resolve(Long.toString(run.experimentId())).resolve(run.uuid()).resolve("artifacts");
        Path target = folder.resolve(relativePath).normalize();
        if (!target.startsWith(folder)) {
            throw new IllegalArgumentException("artifact path leaves the run's folder: " + relativePath);
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".upload-", ".part");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Files of a run's artifact folder (relative paths), for the run page. */
    Stream<Path> filesOf(Tracking.RunInfo run) throws IOException {
        Path folder = root.resolve(Long.toString(run.experimentId())).resolve(run.uuid()).resolve("artifacts");
        if (!Files.isDirectory(folder)) {
            return Stream.empty();
        }
        return Files.walk(folder).filter(Files::isRegularFile)
                .filter(p -> !p.getFileName().toString().startsWith(".upload-")).map(folder::relativize).sorted();
    }
}
