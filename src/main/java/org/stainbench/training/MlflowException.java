package org.stainbench.training;

import org.springframework.http.HttpStatus;

/** An error in MLflow's wire format: {@code {"error_code": "...", "message": "..."}} with its HTTP status. */
class MlflowException extends RuntimeException {

    final String errorCode;
    final HttpStatus status;

    private MlflowException(String errorCode, HttpStatus status, String message) {
        super(message);
        this.errorCode = errorCode;
        this.status = status;
    }

    static MlflowException notFound(String message) {
        return new MlflowException("RESOURCE_DOES_NOT_EXIST", HttpStatus.NOT_FOUND, message);
    }

    static MlflowException invalid(String message) {
        return new MlflowException("INVALID_PARAMETER_VALUE", HttpStatus.BAD_REQUEST, message);
    }

    static MlflowException exists(String message) {
        return new MlflowException("RESOURCE_ALREADY_EXISTS", HttpStatus.BAD_REQUEST, message);
    }

    /** Too much data (an upload over a configured limit): 413, MLflow's RESOURCE_LIMIT_EXCEEDED. */
    static MlflowException tooLarge(String message) {
        return new MlflowException("RESOURCE_LIMIT_EXCEEDED", HttpStatus.CONTENT_TOO_LARGE, message);
    }

    /** A path under the API that names no endpoint: 404, MLflow's ENDPOINT_NOT_FOUND. */
    static MlflowException endpointNotFound(String message) {
        return new MlflowException("ENDPOINT_NOT_FOUND", HttpStatus.NOT_FOUND, message);
    }

    static MlflowException forbidden(String message) {
        return new MlflowException("PERMISSION_DENIED", HttpStatus.FORBIDDEN, message);
    }
}
