package org.stainbench.training;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * MLflow's artifact proxy ({@code mlflow-artifacts:} URIs): upload, download, list and delete the files of a run
 * ({@code <experiment>/<run_uuid>/artifacts/…}) and of an MLflow 3 logged model
 * ({@code <experiment>/models/<model_id>/artifacts/…}), and MLflow's proxied multipart upload ({@code mpu/create},
 * part uploads, {@code mpu/complete}, {@code mpu/abort}). The HTTP side only: paths, access, limits and the store are
 * {@link RunArtifacts}'s; a file's answer is {@link ArtifactResponses#serve}. Request bodies are read raw whatever
 * their {@code Content-Type} ({@link RawArtifactBodies}).
 */
@RestController
@RequestMapping("/api/2.0/mlflow-artifacts")
class MlflowArtifacts {

    /** The policy of every artifact answer ({@link ArtifactResponses#CSP}). */
    static final String CSP = ArtifactResponses.CSP;

    private final RunArtifacts artifacts;

    MlflowArtifacts(RunArtifacts artifacts) {
        this.artifacts = artifacts;
    }

    @PutMapping("/artifacts/{*path}")
    ObjectNode upload(@PathVariable String path, HttpServletRequest request, Authentication auth) throws IOException {
        artifacts.upload(path, request.getContentLengthLong(), request::getInputStream, auth);
        return JsonNodeFactory.instance.objectNode();
    }

    @GetMapping("/artifacts/{*path}")
    ResponseEntity<?> downloadOrList(
            @PathVariable String path,
            @RequestParam(name = "path", required = false) String listPath,
            Authentication auth)
            throws IOException {
        if (path == null || path.isBlank() || path.equals("/")) {
            return ResponseEntity.ok(artifacts.list(listPath, auth));
        }
        return ArtifactResponses.serve(artifacts.download(path, auth));
    }

    /** MLflow's {@code delete_artifacts}: the file or folder at the path, everything below it included. */
    @DeleteMapping("/artifacts/{*path}")
    ObjectNode delete(@PathVariable String path, Authentication auth) throws IOException {
        artifacts.delete(path, auth);
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * {@code POST mpu/create/<artifact folder>} with {@code {"path": <local file>, "num_parts": n}}: the URL of each
     * part, which the client PUTs with the headers given (the caller's own Authorization).
     */
    @PostMapping("/mpu/create/{*path}")
    ObjectNode createMultipart(
            @PathVariable String path, @RequestBody JsonNode body, HttpServletRequest request, Authentication auth)
            throws IOException {
        return artifacts.createMultipart(
                path,
                body,
                uploadId -> ServletUriComponentsBuilder.fromContextPath(request)
                        .path("/api/2.0/mlflow-artifacts/mpu/part/")
                        .path(uploadId)
                        .build()
                        .toUriString(),
                request.getHeader(HttpHeaders.AUTHORIZATION),
                auth);
    }

    /** One part of a multipart upload; answers its ETag (the SHA-256 of the part). */
    @PutMapping("/mpu/part/{uploadId}/{partNumber}")
    ResponseEntity<ObjectNode> uploadPart(
            @PathVariable String uploadId,
            @PathVariable int partNumber,
            HttpServletRequest request,
            Authentication auth)
            throws IOException {
        String etag = artifacts.uploadPart(
                uploadId, partNumber, request.getContentLengthLong(), request::getInputStream, auth);
        return ResponseEntity.ok().eTag(etag).body(JsonNodeFactory.instance.objectNode());
    }

    /** {@code POST mpu/complete/<folder>} with {@code {"path", "upload_id", "parts": [{"part_number", "etag"}]}}. */
    @PostMapping("/mpu/complete/{*path}")
    ObjectNode completeMultipart(@PathVariable String path, @RequestBody JsonNode body, Authentication auth)
            throws IOException {
        artifacts.completeMultipart(path, body, auth);
        return JsonNodeFactory.instance.objectNode();
    }

    /** {@code POST mpu/abort/<folder>} with {@code {"path", "upload_id"}}: drops the upload's parts. */
    @PostMapping("/mpu/abort/{*path}")
    ObjectNode abortMultipart(@PathVariable String path, @RequestBody JsonNode body, Authentication auth)
            throws IOException {
        artifacts.abortMultipart(body, auth);
        return JsonNodeFactory.instance.objectNode();
    }
}
