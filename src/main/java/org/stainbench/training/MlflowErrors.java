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
@RestControllerAdvice(assignableTypes = {MlflowApi.class, MlflowArtifacts.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class MlflowErrors {

    @ExceptionHandler(MlflowException.class)
    ResponseEntity<ObjectNode> mlflow(MlflowException e) {
        return body(e.status, e.errorCode, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ObjectNode> unreadable(HttpMessageNotReadableException e) {
        return body(HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST", "The request body is not valid JSON.");
    }

    static ResponseEntity<ObjectNode> body(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).body(JsonNodeFactory.instance.objectNode()
                .put("error_code", code).put("message", message));
    }
}
