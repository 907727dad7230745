package org.stainbench.catalog;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.stainbench.shell.TooLarge;

/**
 * Refuses an archive upload whose declared length is over {@code stainbench.catalog.max-upload-bytes} before any of
 * it is read: 413 at once, before the servlet container parses (and stores) a multipart body and before security
 * reads its form fields. Uploads without a declared length are counted while they stream in ({@link Catalog}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ArchiveUploadLimit extends OncePerRequestFilter {

    private static final Pattern UPLOADS = Pattern.compile("(/api)?/datasets/[^/]+/archives/?");

    private final CatalogProperties properties;

    ArchiveUploadLimit(CatalogProperties properties) {
        this.properties = properties;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !UPLOADS.matcher(request.getRequestURI()
                                .substring(request.getContextPath().length()))
                        .matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = properties.maxUploadBytes().toBytes();
        if (request.getContentLengthLong() > limit) {
            response.sendError(
                    HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    new TooLarge("The archive", limit, "stainbench.catalog.max-upload-bytes").getMessage());
            return;
        }
        chain.doFilter(request, response);
    }
}
