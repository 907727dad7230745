package org.stainbench.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The one pager's links keep every query parameter of the list and change only {@code page}. */
class PageLinksTest {

    final PageLinks pages = new PageLinks();

    @AfterEach
    void clear() {
        RequestContextHolder.resetRequestAttributes();
    }

    static void request(String method, String uri, String query) {
        MockHttpServletRequest r = new MockHttpServletRequest(method, uri);
        r.setQueryString(query);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(r));
    }

    @Test
    void filtersSortAndColumnsStayAndOnlyThePageChanges() {
        request("GET", "/jobs", "show=all&state=FAILED&type=ingest&col=params.lr&col=metrics.a%20b&page=1&sort=x");
        assertThat(pages.href("/jobs", 2))
                .isEqualTo("/jobs?show=all&state=FAILED&type=ingest&col=params.lr&col=metrics.a%20b&sort=x&page=2");
        assertThat(pages.href("/jobs", 0)).contains("state=FAILED").endsWith("&page=0");
    }

    @Test
    void aBaseWithAQueryKeepsItsParametersFirst() {
        request("GET", "/runs", "experiment=4&sort=metrics.score&dir=asc&extra=1");
        assertThat(pages.href("/runs?experiment=4&sort=metrics.score&dir=asc", 1))
                .isEqualTo("/runs?experiment=4&sort=metrics.score&dir=asc&extra=1&page=1");
    }

    @Test
    void anHtmxRequestThatIsNotAGetKeepsTheFiltersOfThePageItCameFrom() {
        MockHttpServletRequest r = new MockHttpServletRequest("POST", "/jobs/4/cancel");
        r.addHeader("HX-Current-URL", "http://localhost:8080/jobs?state=RUNNING&page=3");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(r));
        assertThat(pages.href("/jobs", 1)).isEqualTo("/jobs?state=RUNNING&page=1");
    }

    @Test
    void withoutARequestTheLinkIsTheBaseAndThePage() {
        assertThat(pages.href("/reports", 1)).isEqualTo("/reports?page=1");
    }
}
