package org.stainbench.training;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Artifact uploads are raw bytes whatever {@code Content-Type} the client names: MLflow's client sends the type it
 * guesses from the file name, and a {@code .txt} or extension-less file may go as
 * {@code application/x-www-form-urlencoded}. Spring's {@code FormContentFilter} would parse such a PUT body as form
 * parameters and leave the controller an empty stream (the artifact stored empty). Ahead of it, this filter shows the
 * artifact PUTs ({@code /api/2.0/mlflow-artifacts/artifacts/…} and multipart parts) as
 * {@code application/octet-stream}, so the body reaches {@link MlflowArtifacts} untouched.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
class RawArtifactBodies extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        return !"PUT".equals(request.getMethod())
                || !(uri.startsWith("/api/2.0/mlflow-artifacts/artifacts/")
                        || uri.startsWith("/api/2.0/mlflow-artifacts/mpu/part/"))
                || request.getContentType() == null
                || !request.getContentType()
                        .toLowerCase(java.util.Locale.ROOT)
                        .startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(
                new HttpServletRequestWrapper(request) {
                    @Override
                    public String getContentType() {
                        return MediaType.APPLICATION_OCTET_STREAM_VALUE;
                    }

                    @Override
                    public String getHeader(String name) {
                        return "content-type".equalsIgnoreCase(name) ? getContentType() : super.getHeader(name);
                    }

                    @Override
                    public java.util.Enumeration<String> getHeaders(String name) {
                        return "content-type".equalsIgnoreCase(name)
                                ? java.util.Collections.enumeration(java.util.List.of(getContentType()))
                                : super.getHeaders(name);
                    }
                },
                response);
    }
}
