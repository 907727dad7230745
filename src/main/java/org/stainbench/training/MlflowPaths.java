package org.stainbench.training;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A tracking URI with a trailing slash ({@code MLFLOW_TRACKING_URI=http://host:8080/}) makes the MLflow client ask for
 * {@code //api/2.0/mlflow/...}; some clients also end paths with {@code /}. Before anything else (the security
 * firewall refuses {@code //}), requests whose path is an MLflow API path once repeated leading slashes are dropped (and, under
 * {@code /api/2.0/mlflow/}, one trailing slash; artifact paths keep theirs) are handled as that path. Nothing else is rewritten.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class MlflowPaths extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String context = request.getContextPath();
        String uri = request.getRequestURI();
        String path = uri.substring(Math.min(context.length(), uri.length()));
        String clean = normal(path);
        if (clean == null || clean.equals(path)) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(
                new HttpServletRequestWrapper(request) {
                    @Override
                    public String getRequestURI() {
                        return context + clean;
                    }

                    @Override
                    public StringBuffer getRequestURL() {
                        StringBuffer url = new StringBuffer();
                        url.append(getScheme()).append("://").append(getServerName());
                        int port = getServerPort();
                        if (port > 0
                                && !(getScheme().equals("http") && port == 80
                                        || getScheme().equals("https") && port == 443)) {
                            url.append(':').append(port);
                        }
                        return url.append(context).append(clean);
                    }

                    @Override
                    public String getServletPath() {
                        return clean;
                    }

                    @Override
                    public String getPathInfo() {
                        return null;
                    }
                },
                response);
    }

    /** The MLflow API path meant by {@code path}, or null when it is none. */
    static String normal(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        String p = path.replaceFirst("^/{2,}", "/");
        if (p.startsWith("/api/2.0/mlflow/") && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.contains("//") || !(p.startsWith("/api/2.0/mlflow/") || p.startsWith("/api/2.0/mlflow-artifacts/"))) {
            return null;
        }
        return p;
    }
}
