package org.stainbench.evaluation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a node agent's {@code features --job} command reads and uploads ({@link NodeFeatures}, issue 21). Callers:
 * only the job credential ({@code MLFLOW_TRACKING_TOKEN} of the job's current attempt) of that features job; every
 * other caller — a member's API token, a NODE token, another job's credential — gets 403. Costs are bounded by the
 * evaluation's protocol (the work) and by {@code stainbench.evaluation.features-upload-max-bytes} (the upload).
 */
@RestController
@RequestMapping("/api/evaluations/feature-jobs/{job:\\d+}")
class FeatureJobApiController {

    private final NodeFeatures nodes;

    FeatureJobApiController(NodeFeatures nodes) {
        this.nodes = nodes;
    }

    @GetMapping(value = "/work", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> work(@PathVariable long job, Authentication auth) {
        return nodes.work(nodes.authorise(auth == null ? null : auth.getPrincipal(), job));
    }

    @GetMapping("/model")
    void model(@PathVariable long job, Authentication auth, HttpServletResponse response) throws IOException {
        var file = nodes.model(nodes.authorise(auth == null ? null : auth.getPrincipal(), job));
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        response.setContentLengthLong(Files.size(file));
        Files.copy(file, response.getOutputStream());
    }

    @GetMapping("/tiles")
    void tiles(@PathVariable long job, Authentication auth, HttpServletResponse response) throws IOException {
        NodeFeatures.Caller c = nodes.authorise(auth == null ? null : auth.getPrincipal(), job);
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        nodes.tiles(c, response.getOutputStream());
    }

    @PutMapping("/features")
    Map<String, Object> features(
            @PathVariable long job,
            @RequestParam String work,
            @RequestParam String provider,
            Authentication auth,
            HttpServletRequest request)
            throws IOException {
        NodeFeatures.Caller c = nodes.authorise(auth == null ? null : auth.getPrincipal(), job);
        try (InputStream in = request.getInputStream()) {
            int rows = nodes.upload(c, work, provider, request.getContentLengthLong(), in);
            return Map.of("stored", rows, "computed_on", "node " + c.node() + " (" + provider + ")");
        }
    }

    @ExceptionHandler(NodeFeatures.NotThisJob.class)
    ProblemDetail forbidden(NodeFeatures.NotThisJob e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(NodeFeatures.WorkChanged.class)
    ProblemDetail changed(NodeFeatures.WorkChanged e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
