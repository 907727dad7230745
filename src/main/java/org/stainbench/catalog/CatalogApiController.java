package org.stainbench.catalog;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.stainbench.accounts.ApiAccess;
import org.stainbench.accounts.ApiPrincipal;

/**
 * JSON API for scripts (API-scope tokens): datasets, archive registration by upload (multipart field
 * {@code file}, or the raw bytes as {@code application/octet-stream} with {@code ?fileName=}) or by server
 * path ({@code {"path": "..."}}), archive status, split CSV. Errors are problem details with the same
 * messages the pages show.
 */
@RestController
@RequestMapping("/api/datasets")
class CatalogApiController {

    private final Catalog catalog;

    CatalogApiController(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The acting user: the token's owner. */
    static String who(Authentication auth) {
        return auth.getPrincipal() instanceof ApiPrincipal p ? p.username() : auth.getName();
    }

    static Map<String, Object> json(Dataset d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("stain", d.stain().name());
        m.put("marker", d.marker());
        m.put("cohort", d.cohort());
        m.put("tileSize", d.tileSize());
        m.put("kind", d.kind().name());
        m.put("generatedCheckpointId", d.generatedCheckpointId());
        m.put("generatedSourceDatasetId", d.generatedSourceDatasetId());
        m.put("description", d.description());
        m.put("splitSeed", d.splitSeed());
        m.put("splitTrainPercent", d.splitTrainPercent());
        return m;
    }

    static Map<String, Object> json(Archive a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("datasetId", a.datasetId());
        m.put("fileName", a.fileName());
        m.put("stain", a.stainCode());
        m.put("patient", a.patient());
        m.put("replicate", a.replicate());
        m.put("sha256", a.sha256());
        m.put("sizeBytes", a.sizeBytes());
        m.put("source", a.source());
        m.put("status", a.status().name());
        m.put("error", a.error());
        m.put("jobId", a.jobId());
        m.put("layout", a.layout());
        m.put("tilesTotal", a.tilesTotal());
        m.put("tilesDone", a.tilesDone());
        m.put("tileWidth", a.tileWidth());
        m.put("tileHeight", a.tileHeight());
        m.put("splitSide", a.splitSide());
        return m;
    }

    @GetMapping
    List<Map<String, Object>> datasets(Authentication auth) {
        ApiAccess.requireRole(auth, "SUPERVISOR");
        return catalog.datasets().stream().map(CatalogApiController::json).toList();
    }

    record NewDataset(String name, Stain stain, String marker, String cohort, Integer tileSize, String description) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> create(@RequestBody NewDataset body, Authentication auth) {
        ApiAccess.requireRole(auth, "MEMBER");
        long id = catalog.createDataset(
                body.name(),
                body.stain(),
                body.marker(),
                body.cohort(),
                body.tileSize(),
                body.description(),
                who(auth));
        return ResponseEntity.status(HttpStatus.CREATED).body(json(catalog.requireDataset(id)));
    }

    @GetMapping("/{id}/archives")
    List<Map<String, Object>> archives(@PathVariable long id, Authentication auth) {
        ApiAccess.requireRole(auth, "SUPERVISOR");
        catalog.requireDataset(id);
        return catalog.archives(id).stream().map(CatalogApiController::json).toList();
    }

    @GetMapping("/{id}/archives/{archiveId}")
    Map<String, Object> archive(@PathVariable long id, @PathVariable long archiveId, Authentication auth) {
        ApiAccess.requireRole(auth, "SUPERVISOR");
        return json(catalog.requireArchive(id, archiveId));
    }

    @PostMapping(value = "/{id}/archives", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Map<String, Object>> upload(
            @PathVariable long id, @RequestParam("file") MultipartFile file, Authentication auth) throws IOException {
        ApiAccess.requireRole(auth, "MEMBER");
        Archive a = catalog.registerUpload(id, file.getOriginalFilename(), file.getInputStream(), who(auth));
        return ResponseEntity.status(HttpStatus.CREATED).body(json(a));
    }

    /** The request body itself, streamed straight to the store (no multipart parsing, no temporary copy). */
    @PostMapping(value = "/{id}/archives", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    ResponseEntity<Map<String, Object>> uploadRaw(
            @PathVariable long id, @RequestParam String fileName, HttpServletRequest request, Authentication auth)
            throws IOException {
        ApiAccess.requireRole(auth, "MEMBER");
        Archive a = catalog.registerUpload(id, fileName, request.getInputStream(), who(auth));
        return ResponseEntity.status(HttpStatus.CREATED).body(json(a));
    }

    record ServerPath(String path) {}

    @PostMapping(value = "/{id}/archives", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> byPath(
            @PathVariable long id, @RequestBody ServerPath body, Authentication auth) {
        ApiAccess.requireRole(auth, "MEMBER");
        Archive a = catalog.registerPath(id, body.path(), who(auth));
        return ResponseEntity.status(HttpStatus.CREATED).body(json(a));
    }

    record SplitRequest(Long seed, Integer trainPercent) {}

    @PostMapping(value = "/{id}/split", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, String> split(@PathVariable long id, @RequestBody SplitRequest body, Authentication auth) {
        ApiAccess.requireRole(auth, "MEMBER");
        if (body.seed() == null) {
            throw new IllegalArgumentException("Give the split a seed.");
        }
        return catalog.split(id, body.seed(), body.trainPercent() == null ? 70 : body.trainPercent(), who(auth));
    }

    @GetMapping(value = "/{id}/split.csv", produces = "text/csv")
    ResponseEntity<byte[]> splitCsv(@PathVariable long id, Authentication auth) {
        ApiAccess.requireRole(auth, "SUPERVISOR");
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(catalog.exportSplitCsv(id, who(auth)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Soft-deletes a dataset: 204; 409 (problem JSON with {@code dependants}: kind, title, href) when live things
     * use it, and nothing changes; 404 when there is no such live dataset.
     */
    @org.springframework.web.bind.annotation.DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id, Authentication auth) {
        ApiAccess.requireRole(auth, "MEMBER");
        catalog.deleteDataset(id, who(auth));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/tiles")
    Map<String, Object> tiles(
            @PathVariable long id,
            @RequestParam(required = false) Boolean informative,
            @RequestParam(required = false) Double minTissue,
            @RequestParam(required = false) Double label,
            @RequestParam(required = false) Long archive,
            @RequestParam(required = false) String side,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "100") int size,
            Authentication auth) {
        ApiAccess.requireRole(auth, "SUPERVISOR");
        catalog.requireDataset(id);
        TileFilter f = new TileFilter(informative, minTissue, label, archive, side);
        int s = Math.max(1, Math.min(1000, size));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", catalog.countTiles(id, f));
        m.put("page", page);
        m.put("tiles", catalog.tiles(id, f, Math.max(0, page) * s, s));
        return m;
    }
}
