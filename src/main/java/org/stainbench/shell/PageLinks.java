package org.stainbench.shell;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The links of the one pager fragment ({@code fragments/paging :: pager(page, base)}, as {@code @pages} in templates):
 * another page of the same list keeps every query parameter of the list as the user sees it — its filters, sort and
 * columns — and changes only {@code page}. The parameters are the base's and the current request's (a GET's own
 * query; for an htmx request that is not a GET, the query of the page it came from, {@code HX-Current-URL}).
 */
@Component("pages")
public class PageLinks {

    /** The link to page {@code page} (0-based) of the list at {@code base} (a path, with or without a query). */
    public String href(String base, int page) {
        UriComponentsBuilder b = UriComponentsBuilder.fromUriString(base == null || base.isEmpty() ? "/" : base);
        MultiValueMap<String, String> own = b.build().getQueryParams();
        for (Map.Entry<String, List<String>> e : current().entrySet()) {
            if (!e.getKey().equals("page") && !own.containsKey(e.getKey())) {
                b.queryParam(e.getKey(), e.getValue().toArray());
            }
        }
        return b.replaceQueryParam("page", Math.max(0, page)).build().toUriString();
    }

    /** The current request's list parameters, still encoded as they came. */
    private static MultiValueMap<String, String> current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (!(attributes instanceof ServletRequestAttributes s)) {
            return new org.springframework.util.LinkedMultiValueMap<>();
        }
        HttpServletRequest request = s.getRequest();
        String query = request.getQueryString();
        if (!"GET".equals(request.getMethod()) && request.getHeader("HX-Current-URL") != null) {
            query = UriComponentsBuilder.fromUriString(request.getHeader("HX-Current-URL"))
                    .build()
                    .getQuery();
        }
        return UriComponentsBuilder.newInstance().query(query).build().getQueryParams();
    }
}
