package org.stainbench.training;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Any other path under {@code /api/2.0/mlflow/}: 404 with MLflow's {@code ENDPOINT_NOT_FOUND} (as MLflow's server
 * answers), so a client of a newer MLflow sees which call is missing instead of an HTML page or an empty error.
 * Every mapped endpoint is more specific than this pattern and wins over it. The caller is authenticated first
 * (the API's security chain), like every other MLflow path.
 */
@RestController
class MlflowFallback {

    @RequestMapping("/api/2.0/mlflow/**")
    Object unknown(HttpServletRequest request) {
        String path = request.getRequestURI();
        throw MlflowException.endpointNotFound("No endpoint " + request.getMethod() + " "
                + (path.length() > 200 ? path.substring(0, 200) + "…" : path) + " in this MLflow-compatible API.");
    }
}
