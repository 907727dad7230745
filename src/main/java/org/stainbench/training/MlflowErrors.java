package org.stainbench.training;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Errors of the MLflow-compatible API in MLflow's own format, which its client parses. */
@RestControllerAdvice(
        assignableTypes = {
            MlflowApi.class,
            MlflowArtifacts.class,
            MlflowLoggedModels.class,
            MlflowInputs.class,
            MlflowExperimentUpdate.class,
            MlflowFallback.class
        })
@Order(Ordered.HIGHEST_PRECEDENCE)
class MlflowErrors {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MlflowErrors.class);

    @ExceptionHandler(MlflowException.class)
    ResponseEntity<ObjectNode> mlflow(MlflowException e) {
        return body(e.status, e.errorCode, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ObjectNode> unreadable(HttpMessageNotReadableException e) {
        return body(HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST", "The request body is not valid JSON.");
    }

    /**
     * Anything else: Spring MVC's own errors (wrong method, missing parameter, …) keep their status and their
     * generic text; every other failure is 500 with a generic message (never the exception's text, which can
     * hold SQL), and the details go to the server's log.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ObjectNode> unexpected(Exception e) {
        if (e instanceof org.springframework.web.ErrorResponse r
                && r.getStatusCode().value() < 500) {
            HttpStatus status = HttpStatus.valueOf(r.getStatusCode().value());
            String code =
                    switch (status) {
                        case NOT_FOUND, METHOD_NOT_ALLOWED -> "ENDPOINT_NOT_FOUND";
                        case CONTENT_TOO_LARGE -> "RESOURCE_LIMIT_EXCEEDED";
                        default -> "BAD_REQUEST";
                    };
            String detail = r.getBody().getDetail();
            return body(status, code, detail == null ? status.getReasonPhrase() : detail);
        }
        LOG.error("MLflow API request failed", e);
        return body(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "The server could not complete the request; its log has the details.");
    }

    static ResponseEntity<ObjectNode> body(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status)
                .body(JsonNodeFactory.instance
                        .objectNode()
                        .put("error_code", code)
                        .put("message", message));
    }
}
