package org.stainbench.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
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
 * <p>
 * Artifacts are files anyone with a member's token wrote, so they are never served as something the browser runs in
 * the application's origin ({@link #serve}): only PNG, JPEG, GIF and WebP images are inline; everything else is an
 * {@code application/octet-stream} attachment; every answer carries {@code X-Content-Type-Options: nosniff} and
 * {@code Content-Security-Policy: default-src 'none'; sandbox}. Uploads are limited per file
 * ({@code stainbench.tracking.max-artifact-bytes}) and per run ({@code stainbench.tracking.max-run-artifact-bytes}),
 * counted while the bytes arrive; a refused upload leaves nothing behind.
 */
@RestController
@RequestMapping("/api/2.0/mlflow-artifacts")
class MlflowArtifacts {

    /** Extensions served inline, with their (raster image) types; everything else is an attachment. */
    static final Map<String, MediaType> INLINE = Map.of("png", MediaType.IMAGE_PNG, "jpg", MediaType.IMAGE_JPEG,
            "jpeg", MediaType.IMAGE_JPEG, "gif", MediaType.IMAGE_GIF, "webp", MediaType.parseMediaType("image/webp"));

    /** The policy of every artifact answer: nothing in it may load anything or run script, even when opened. */
    static final String CSP = "default-src 'none'; sandbox";

    /** Longest artifact path below a run's folder, and longest file or folder name in it. */
    static final int MAX_PATH = 1000;
    static final int MAX_NAME = 255;

    private final TrackingStore store;
    private final TrackingAccess access;
    private final TrackingProperties limits;
    private final Path root;

    MlflowArtifacts(TrackingStore store, TrackingAccess access, TrackingProperties limits,
            @Value("${stainbench.artifacts.root}") String artifactsRoot) {
        this.store = store;
        this.access = access;
        this.limits = limits;
        this.root = Path.of(artifactsRoot).toAbsolutePath().normalize().resolve("mlflow");
    }

    @PutMapping("/artifacts/{*path}")
    ObjectNode upload(@PathVariable String path, HttpServletRequest request, Authentication auth) throws IOException {
        access.write(auth, runUuidOf(path));
        checkPath(path);
        Path target = resolve(path, true);
        Path folder = runFolder(path);
        if (target.equals(folder)) {
            throw MlflowException.invalid("An artifact needs a file name below the run's artifact folder.");
        }
        long perFile = limits.maxArtifactBytes().toBytes();
        long perRun = limits.maxRunArtifactBytes().toBytes();
        long replaced = Files.isRegularFile(target) ? Files.size(target) : 0;
        long room = perRun - (sizeOf(folder) - replaced);
        long declared = request.getContentLengthLong();
        if (declared > perFile) {
            throw tooLarge(perFile, "stainbench.tracking.max-artifact-bytes", "an artifact");
        }
        if (declared > room) {
            throw tooLarge(perRun, "stainbench.tracking.max-run-artifact-bytes", "the artifacts of a run");
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".upload-", ".part");
        try (InputStream in = request.getInputStream()) {
            long copied = copy(in, tmp, Math.min(perFile, room) + 1);
            if (copied > perFile) {
                throw tooLarge(perFile, "stainbench.tracking.max-artifact-bytes", "an artifact");
            }
            if (copied > room) {
                throw tooLarge(perRun, "stainbench.tracking.max-run-artifact-bytes", "the artifacts of a run");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return JsonNodeFactory.instance.objectNode();
    }

    /** Copies at most {@code max} bytes; returns how many it copied (reaching {@code max} means: there were more). */
    private static long copy(InputStream in, Path file, long max) throws IOException {
        long n = 0;
        byte[] buffer = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file)) {
            int r;
            while (n < max && (r = in.read(buffer, 0, (int) Math.min(buffer.length, max - n))) > 0) {
                out.write(buffer, 0, r);
                n += r;
            }
        }
        return n;
    }

    private static MlflowException tooLarge(long limit, String setting, String what) {
        return MlflowException.tooLarge("The upload is larger than " + setting + " allows for " + what + " ("
                + limit + " bytes).");
    }

    private static long sizeOf(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    @GetMapping("/artifacts/{*path}")
    ResponseEntity<?> downloadOrList(@PathVariable String path,
            @RequestParam(name = "path", required = false) String listPath, Authentication auth) throws IOException {
        if (path == null || path.isBlank() || path.equals("/")) {
            if (listPath == null || listPath.isBlank()) {
                access.readAll(auth);
            } else {
                access.read(auth, runUuidOf(listPath));
            }
            return ResponseEntity.ok(list(listPath));
        }
        access.read(auth, runUuidOf(path));
        Path file = resolve(path, false);
        if (!Files.isRegularFile(file)) {
            throw MlflowException.notFound("No artifact at '" + path + "'.");
        }
        return serve(file);
    }

    /**
     * The answer for one artifact file (here and on the run page): raster images inline, everything else as an
     * attachment, never sniffed, always sandboxed.
     */
    static ResponseEntity<Resource> serve(Path file) throws IOException {
        String name = file.getFileName().toString();
        MediaType inline = inlineType(name);
        ContentDisposition disposition = (inline != null ? ContentDisposition.inline() : ContentDisposition.attachment())
                .filename(name, java.nio.charset.StandardCharsets.UTF_8).build();
        return ResponseEntity.ok()
                .contentType(inline != null ? inline : MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(Files.size(file))
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", CSP)
                .body(new FileSystemResource(file));
    }

    /** The image type of a name shown inline (png, jpeg, gif, webp), else null. */
    static MediaType inlineType(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : INLINE.get(name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT));
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

    /** The run a path names (its second part), before anything is looked up. */
    private static String runUuidOf(String path) {
        String[] parts = strip(path).split("/");
        if (parts.length < 3 || !parts[2].equals("artifacts")) {
            throw MlflowException.invalid("Artifact paths look like <experiment_id>/<run_id>/artifacts/<file>, not '"
                    + abbreviate(path) + "'.");
        }
        return parts[1];
    }

    /** Lengths of an uploaded artifact's path (the file system refuses longer names with an error). */
    private static void checkPath(String path) {
        String p = strip(path);
        if (p.length() > MAX_PATH) {
            throw MlflowException.invalid("The artifact path is " + p.length() + " characters long; the limit is "
                    + MAX_PATH + ".");
        }
        for (String part : p.split("/")) {
            if (part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME) {
                throw MlflowException.invalid("A file or folder name of the artifact path is longer than " + MAX_NAME
                        + " bytes: '" + abbreviate(part) + "'.");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    private Path runFolder(String path) {
        String[] parts = strip(path).split("/");
        runUuidOf(path);
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

    /** One artifact file of the run for the run page ({@link #serve}), empty when there is none at that path. */
    java.util.Optional<ResponseEntity<Resource>> download(Tracking.RunInfo run, String relativePath) throws IOException {
        Path folder = root.resolve(Long.toString(run.experimentId())).resolve(run.uuid()).resolve("artifacts");
        String rel = relativePath == null ? "" : strip(relativePath);
        Path file = folder.resolve(rel).normalize();
        if (rel.isEmpty() || !file.startsWith(folder) || !Files.isRegularFile(file)
                || file.getFileName().toString().startsWith(".upload-")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(serve(file));
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
