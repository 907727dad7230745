package org.stainbench.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.shell.Sha256;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The training module's door to run and logged-model artifacts (behind MLflow's artifact proxy,
 * {@link MlflowArtifacts}, and the run page): MLflow's artifact proxy ({@code mlflow-artifacts:} URIs) on the application's {@link ArtifactStore} (the local
 * folder or an S3 bucket; objects under {@code mlflow/}): upload, download, list and delete the files of a run under
 * {@code <experiment>/<run_uuid>/artifacts/…} and of an MLflow 3 logged model under
 * {@code <experiment>/models/<model_id>/artifacts/…}, and MLflow's proxied multipart upload
 * ({@code mpu/create}, part uploads, {@code mpu/complete}, {@code mpu/abort}).
 * <p>
 * Artifacts are files anyone with a member's token wrote, so they are never served as something the browser runs in
 * the application's origin ({@link ArtifactResponses#serve}): only PNG, JPEG, GIF and WebP images are inline; everything else is an
 * {@code application/octet-stream} attachment; every answer carries {@code X-Content-Type-Options: nosniff} and
 * {@code Content-Security-Policy: default-src 'none'; sandbox}. Uploads are limited per file
 * ({@code stainbench.tracking.max-artifact-bytes}) and per run or logged model
 * ({@code stainbench.tracking.max-run-artifact-bytes}), counted while the bytes arrive; a refused or failed upload
 * leaves nothing behind. Request bodies are read raw whatever their {@code Content-Type}
 * ({@link RawArtifactBodies}).
 * <p>
 * Access: a run's artifacts follow {@link TrackingAccess#read}/{@link TrackingAccess#write} of the run; a logged
 * model's follow {@link TrackingAccess#readExperiment}/{@link TrackingAccess#writeExperiment} of its experiment.
 * Multipart part uploads are authorised like the upload they belong to: the credentials {@code mpu/create} returns
 * carry the caller's own {@code Authorization} header, never a new secret.
 */
@Service
class RunArtifacts {

    /** Longest artifact path below a run's folder, and longest file or folder name in it. */
    static final int MAX_PATH = 1000;

    static final int MAX_NAME = 255;
    /** Most parts of one multipart upload (S3's own limit). */
    static final int MAX_PARTS = 10_000;

    /** Keys of the store: MLflow's artifacts, and the parts of multipart uploads in progress. */
    static final String PREFIX = "mlflow/";

    static final String MPU_PREFIX = "mlflow-mpu/";

    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern EXPERIMENT_ID = Pattern.compile("[0-9]{1,18}");

    private final TrackingStore tracking;
    private final TrackingAccess access;
    private final TrackingProperties limits;
    private final ArtifactStore store;

    RunArtifacts(TrackingStore tracking, TrackingAccess access, TrackingProperties limits, ArtifactStore store) {
        this.tracking = tracking;
        this.access = access;
        this.limits = limits;
        this.store = store;
    }

    /**
     * What an artifact path names: the folder it is in (a run's or a logged model's {@code artifacts} folder, as a
     * store key without the trailing slash) and the path below it ({@code ""} for the folder itself).
     */
    record Target(String scope, String relative, String runUuid, long experimentId) {
        String key() {
            return relative.isEmpty() ? scope : scope + "/" + relative;
        }

        /** The artifact path as MLflow writes it ({@code <experiment>/…/artifacts/<relative>}). */
        String mlflowPath() {
            return key().substring(PREFIX.length());
        }
    }

    // ---- upload, download, list, delete ----------------------------------------------------------------------

    /** Stores one file ({@code PUT artifacts/<path>}): {@code declared} is the request's Content-Length (-1: none). */
    void upload(String path, long declared, Body request, Authentication auth) throws IOException {
        Target t = target(path, auth, true);
        checkPath(path);
        if (t.relative().isEmpty()) {
            throw MlflowException.invalid("An artifact needs a file name below the run's artifact folder.");
        }
        try (InputStream in = request.open()) {
            putLimited(t, in, declared);
        }
    }

    /** A request body, opened only once the request is known to be allowed. */
    @FunctionalInterface
    interface Body {
        InputStream open() throws IOException;
    }

    /** One artifact file: its name, size and bytes (the caller closes them). */
    record Download(String name, long size, InputStream body) {}

    /**
     * Stores a file of a run or logged model within the per-file and per-folder limits, counted while the bytes
     * arrive; returns the bytes stored.
     */
    private long putLimited(Target t, InputStream in, long declared) throws IOException {
        long perFile = limits.maxArtifactBytes().toBytes();
        long perRun = limits.maxRunArtifactBytes().toBytes();
        long replaced = store.size(t.key()).orElse(0);
        long room = perRun - (sizeOf(t.scope()) - replaced);
        checkSize(declared, perFile, room, perRun);
        return store.put(t.key(), new Limited(in, perFile, room), -1);
    }

    private static void checkSize(long size, long perFile, long room, long perRun) {
        if (size > perFile) {
            throw tooLarge(perFile, "stainbench.tracking.max-artifact-bytes", "an artifact");
        }
        if (size > room) {
            throw tooLarge(perRun, "stainbench.tracking.max-run-artifact-bytes", "the artifacts of a run");
        }
    }

    private static MlflowException tooLarge(long limit, String setting, String what) {
        return MlflowException.tooLarge(
                "The upload is larger than " + setting + " allows for " + what + " (" + limit + " bytes).");
    }

    /** A request body that refuses (413) as soon as it delivers more than a limit allows. */
    private final class Limited extends java.io.FilterInputStream {
        private final long perFile;
        private final long room;
        private long n;

        Limited(InputStream in, long perFile, long room) {
            super(in);
            this.perFile = perFile;
            this.room = room;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) {
                count(r);
            }
            return r;
        }

        private void count(int r) {
            n += r;
            if (n > perFile) {
                throw tooLarge(perFile, "stainbench.tracking.max-artifact-bytes", "an artifact");
            }
            if (n > room) {
                throw tooLarge(
                        limits.maxRunArtifactBytes().toBytes(),
                        "stainbench.tracking.max-run-artifact-bytes",
                        "the artifacts of a run");
            }
        }
    }

    private long sizeOf(String scope) throws IOException {
        return store.list(scope + "/").stream()
                .mapToLong(ArtifactStore.ArtifactObject::size)
                .sum();
    }

    /** MLflow's {@code list_artifacts}: the folder at {@code listPath} (blank: the root, which lists nothing). */
    ObjectNode list(String listPath, Authentication auth) throws IOException {
        if (listPath == null || listPath.isBlank()) {
            access.readAll(auth);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.putArray("files");
            return out;
        }
        return list(target(listPath, auth, false));
    }

    /** One file at an artifact path ({@code GET artifacts/<path>}); 404 when there is none. */
    Download download(String path, Authentication auth) throws IOException {
        Target t = target(path, auth, false);
        if (t.relative().isEmpty()) {
            throw MlflowException.notFound("No artifact at '" + path + "'.");
        }
        long size = store.size(t.key()).orElseThrow(() -> MlflowException.notFound("No artifact at '" + path + "'."));
        return new Download(name(t.relative()), size, store.get(t.key()));
    }

    /** MLflow's {@code delete_artifacts}: the file or folder at the path, everything below it included. */
    void delete(String path, Authentication auth) throws IOException {
        Target t = target(path, auth, true);
        store.delete(t.key());
        store.deletePrefix(t.key() + "/");
    }

    private static String name(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    /** The folder's direct children: files with their sizes, and sub-folders. */
    private ObjectNode list(Target dir) throws IOException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode files = out.putArray("files");
        String prefix = dir.key() + "/";
        TreeMap<String, Long> children = new TreeMap<>(); // name → size, -1 for a folder
        for (ArtifactStore.ArtifactObject o : store.list(prefix)) {
            String rest = o.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash >= 0) {
                children.put(rest.substring(0, slash), -1L);
            } else {
                children.putIfAbsent(rest, o.size());
            }
        }
        children.forEach((name, size) -> {
            ObjectNode f = files.addObject().put("path", name).put("is_dir", size < 0);
            if (size >= 0) {
                f.put("file_size", size);
            }
        });
        return out;
    }

    // ---- multipart upload (MLflow 3's proxied multipart upload) ---------------------------------------------------

    /**
     * {@code POST mpu/create/<artifact folder>} with {@code {"path": <local file>, "num_parts": n}}: starts an upload
     * of {@code <folder>/<basename(path)>} and answers the URL of each part, which the client PUTs with the headers
     * given (the caller's own Authorization).
     */
    ObjectNode createMultipart(
            String path, JsonNode body, Function<String, String> partUrlBase, String authorization, Authentication auth)
            throws IOException {
        String file = fileName(body);
        int numParts = body.path("num_parts").asInt(0);
        if (numParts < 1 || numParts > MAX_PARTS) {
            throw MlflowException.invalid("num_parts must be between 1 and " + MAX_PARTS + ".");
        }
        Target t = target(join(path, file), auth, true);
        checkPath(t.mlflowPath());
        String uploadId = UUID.randomUUID().toString();
        store.put(
                MPU_PREFIX + uploadId + "/target", (t.mlflowPath() + "\n" + numParts).getBytes(StandardCharsets.UTF_8));
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("upload_id", uploadId);
        ArrayNode credentials = out.putArray("credentials");
        String base = partUrlBase.apply(uploadId);
        for (int i = 1; i <= numParts; i++) {
            ObjectNode c = credentials.addObject().put("url", base + "/" + i).put("part_number", i);
            ObjectNode headers = c.putObject("headers");
            if (authorization != null) {
                headers.put("Authorization", authorization);
            }
        }
        return out;
    }

    /** One part of a multipart upload; answers its ETag (the SHA-256 of the part). */
    String uploadPart(String uploadId, int partNumber, long declared, Body request, Authentication auth)
            throws IOException {
        Upload u = upload(uploadId, auth);
        if (partNumber < 1 || partNumber > u.numParts()) {
            throw MlflowException.invalid("part_number must be between 1 and " + u.numParts() + " for this upload.");
        }
        long perFile = limits.maxArtifactBytes().toBytes();
        checkSize(declared, perFile, Long.MAX_VALUE, Long.MAX_VALUE);
        var sha = Sha256.digest();
        try (InputStream in = new DigestInputStream(new Limited(request.open(), perFile, Long.MAX_VALUE), sha)) {
            store.put(partKey(uploadId, partNumber), in, -1);
        }
        return "\"" + HexFormat.of().formatHex(sha.digest()) + "\"";
    }

    /**
     * {@code POST mpu/complete/<folder>} with {@code {"path", "upload_id", "parts": [{"part_number", "etag"}]}}:
     * joins the parts, streamed, into the artifact (within its limits) and drops them.
     */
    void completeMultipart(String path, JsonNode body, Authentication auth) throws IOException {
        String uploadId = body.path("upload_id").asString("");
        Upload u = upload(uploadId, auth);
        Target t = target(join(path, fileName(body)), auth, true);
        if (!t.mlflowPath().equals(u.target().mlflowPath())) {
            throw MlflowException.invalid("upload_id " + uploadId + " belongs to another artifact path.");
        }
        JsonNode parts = body.path("parts");
        if (!parts.isArray() || parts.isEmpty()) {
            throw MlflowException.invalid("parts must list the uploaded parts.");
        }
        List<String> keys = new ArrayList<>();
        long total = 0;
        int expected = 1;
        List<JsonNode> sorted = new ArrayList<>();
        parts.forEach(sorted::add);
        sorted.sort(java.util.Comparator.comparingInt(p -> p.path("part_number").asInt(0)));
        for (JsonNode p : sorted) {
            int n = p.path("part_number").asInt(0);
            if (n != expected++) {
                throw MlflowException.invalid(
                        "parts must be numbered 1, 2, … without gaps; part " + (expected - 1) + " is missing.");
            }
            String key = partKey(uploadId, n);
            total += store.size(key).orElseThrow(() -> MlflowException.invalid("Part " + n + " was not uploaded."));
            keys.add(key);
        }
        long perFile = limits.maxArtifactBytes().toBytes();
        long perRun = limits.maxRunArtifactBytes().toBytes();
        long replaced = store.size(t.key()).orElse(0);
        long room = perRun - (sizeOf(t.scope()) - replaced);
        try {
            checkSize(total, perFile, room, perRun);
            store.put(t.key(), new SequenceInputStream(new Parts(keys)), total);
        } finally {
            store.deletePrefix(MPU_PREFIX + uploadId + "/");
        }
    }

    /** {@code POST mpu/abort/<folder>} with {@code {"path", "upload_id"}}: drops the upload's parts. */
    void abortMultipart(JsonNode body, Authentication auth) throws IOException {
        String uploadId = body.path("upload_id").asString("");
        upload(uploadId, auth);
        store.deletePrefix(MPU_PREFIX + uploadId + "/");
    }

    private record Upload(Target target, int numParts) {}

    /** A multipart upload in progress, the caller allowed to write its target. */
    private Upload upload(String uploadId, Authentication auth) throws IOException {
        try {
            UUID.fromString(uploadId);
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("upload_id is not an upload id of this server.");
        }
        String meta;
        try {
            meta = new String(store.readAllBytes(MPU_PREFIX + uploadId + "/target"), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw MlflowException.notFound("No multipart upload " + uploadId + " (completed, aborted or never begun).");
        }
        String[] lines = meta.split("\n");
        return new Upload(target(lines[0], auth, true), Integer.parseInt(lines[1]));
    }

    private static String partKey(String uploadId, int part) {
        return MPU_PREFIX + uploadId + String.format(Locale.ROOT, "/part-%05d", part);
    }

    private static String fileName(JsonNode body) {
        String local = body.path("path").asString("");
        String file = local.replace('\\', '/');
        file = file.substring(file.lastIndexOf('/') + 1);
        if (file.isBlank()) {
            throw MlflowException.invalid("path must name the file being uploaded.");
        }
        return file;
    }

    private static String join(String folder, String file) {
        String f = strip(folder);
        return f.isEmpty() ? file : f + "/" + file;
    }

    /** The parts' streams, each opened only when the one before it is used up. */
    private final class Parts implements java.util.Enumeration<InputStream> {
        private final Iterator<String> keys;

        Parts(List<String> keys) {
            this.keys = keys.iterator();
        }

        @Override
        public boolean hasMoreElements() {
            return keys.hasNext();
        }

        @Override
        public InputStream nextElement() {
            if (!keys.hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                return store.get(keys.next());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    // ---- paths and access ------------------------------------------------------------------------------------------

    /**
     * Resolves and authorises an artifact path: {@code <experiment>/<run_uuid>/artifacts[/…]} of an existing run in
     * that experiment, or {@code <experiment>/models/<model_id>/artifacts[/…]} of an existing experiment; never
     * outside that folder.
     */
    private Target target(String path, Authentication auth, boolean write) {
        String[] parts = strip(path).split("/");
        boolean model = parts.length >= 4 && parts[1].equals("models") && parts[3].equals("artifacts");
        if (!model && (parts.length < 3 || !parts[2].equals("artifacts"))) {
            throw MlflowException.invalid("Artifact paths look like <experiment_id>/<run_id>/artifacts/<file> or "
                    + "<experiment_id>/models/<model_id>/artifacts/<file>, not '" + abbreviate(path) + "'.");
        }
        if (!EXPERIMENT_ID.matcher(parts[0]).matches()) {
            throw MlflowException.invalid(
                    "The experiment id of an artifact path is a number, not '" + abbreviate(parts[0]) + "'.");
        }
        long experimentId = Long.parseLong(parts[0]);
        String scope;
        String runUuid = null;
        int restFrom;
        if (model) {
            if (write) {
                access.writeExperiment(auth, experimentId);
            } else {
                access.readExperiment(auth, experimentId);
            }
            if (!MODEL_ID.matcher(parts[2]).matches()) {
                throw MlflowException.invalid("A model id is 1 to 64 letters, digits, '-' or '_'.");
            }
            tracking.requireExperiment(experimentId);
            scope = PREFIX + parts[0] + "/models/" + parts[2] + "/artifacts";
            restFrom = 4;
        } else {
            runUuid = parts[1];
            if (write) {
                access.write(auth, runUuid);
            } else {
                access.read(auth, runUuid);
            }
            Tracking.RunInfo run = tracking.requireRun(runUuid);
            if (run.experimentId() != experimentId) {
                throw MlflowException.notFound("Run " + runUuid + " is not in experiment " + parts[0] + ".");
            }
            scope = PREFIX + parts[0] + "/" + runUuid + "/artifacts";
            restFrom = 3;
        }
        Deque<String> rest = new ArrayDeque<>();
        for (int i = restFrom; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (rest.isEmpty()) {
                    throw MlflowException.invalid(
                            "Artifact path '" + abbreviate(path) + "' leaves the run's artifact folder.");
                }
                rest.removeLast();
                continue;
            }
            if (p.contains("\\") || p.chars().anyMatch(Character::isISOControl)) {
                throw MlflowException.invalid("An artifact path must not contain backslashes or control characters.");
            }
            rest.addLast(p);
        }
        return new Target(scope, String.join("/", rest), runUuid, experimentId);
    }

    /** Lengths of an uploaded artifact's path. */
    private static void checkPath(String path) {
        String p = strip(path);
        if (p.length() > MAX_PATH) {
            throw MlflowException.invalid(
                    "The artifact path is " + p.length() + " characters long; the limit is " + MAX_PATH + ".");
        }
        for (String part : p.split("/")) {
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
                throw MlflowException.invalid("A file or folder name of the artifact path is longer than " + MAX_NAME
                        + " bytes: '" + abbreviate(part) + "'.");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    private static String strip(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String runScope(Tracking.RunInfo run) {
        return PREFIX + run.experimentId() + "/" + run.uuid() + "/artifacts";
    }

    // ---- for the server's own work and the run page ----------------------------------------------------------------

    /** Writes a file into a run's artifact folder (for work the server itself does for a run). */
    void write(Tracking.RunInfo run, String relativePath, byte[] content) throws IOException {
        String rel = strip(relativePath);
        if (rel.isEmpty() || List.of(rel.split("/")).contains("..")) {
            throw new IllegalArgumentException("artifact path leaves the run's folder: " + relativePath);
        }
        store.put(runScope(run) + "/" + rel, content);
    }

    /** One artifact file of the run for the run page, empty when there is none at that path. */
    Optional<Download> download(Tracking.RunInfo run, String relativePath) throws IOException {
        String rel = relativePath == null ? "" : strip(relativePath);
        if (rel.isEmpty()
                || List.of(rel.split("/", -1)).stream().anyMatch(p -> p.isEmpty() || p.equals("..") || p.equals("."))) {
            return Optional.empty();
        }
        String key = runScope(run) + "/" + rel;
        var size = store.size(key);
        if (size.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Download(name(rel), size.getAsLong(), store.get(key)));
    }

    /** Files of a run's artifact folder (relative paths), for the run page. */
    Stream<Path> filesOf(Tracking.RunInfo run) throws IOException {
        String prefix = runScope(run) + "/";
        return store.list(prefix).stream().map(o -> Path.of(o.key().substring(prefix.length())));
    }
}
