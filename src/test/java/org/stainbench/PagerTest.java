package org.stainbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.util.HtmlUtils;

/**
 * One pager fragment that keeps the filters (issue 20): every paged list uses {@code fragments/paging :: pager}, and its
 * page-2 link keeps every query parameter of the list, on the full page and on its htmx twin.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagerTest {

    static final Path TEMPLATES = Path.of("src", "main", "resources", "templates");

    @Autowired
    MockMvc mvc;

    @BeforeAll
    void reports() throws Exception {
        // 51 reports by one member: three pages of reports and, filtered to them, two pages of activity
        for (int i = 0; i < 51; i++) {
            mvc.perform(post("/reports")
                            .with(user("pager-mem").roles("MEMBER", "SUPERVISOR"))
                            .with(csrf())
                            .param("title", "pager report " + i)
                            .param("markdown", "text"))
                    .andExpect(status().is3xxRedirection());
        }
    }

    static MockHttpServletRequestBuilder as(MockHttpServletRequestBuilder b) {
        return b.with(user("pager-sup").roles("SUPERVISOR", "ADMIN"));
    }

    String page(MockHttpServletRequestBuilder b) throws Exception {
        return mvc.perform(as(b))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    static String link(String html, String rel) {
        Matcher m = Pattern.compile("<a href=\"([^\"]*)\" rel=\"" + rel + "\"").matcher(html);
        assertThat(m.find()).as("a rel=" + rel + " link").isTrue();
        return HtmlUtils.htmlUnescape(m.group(1));
    }

    @Test
    void theActivityPagerKeepsItsFiltersOnTheFullPageAndTheHtmxTwin() throws Exception {
        String query = "actor=pager-mem&type=report&action=created";
        for (boolean hx : List.of(false, true)) {
            MockHttpServletRequestBuilder first = get("/activity?" + query);
            String html = page(hx ? first.header("HX-Request", "true") : first);
            assertThat(html.contains("<ul id=\"nav\"")).isEqualTo(!hx);
            String next = link(html, "next");
            assertThat(next).isEqualTo("/activity?" + query + "&page=1");
            String second = page(hx ? get(next).header("HX-Request", "true") : get(next));
            assertThat(link(second, "prev")).isEqualTo("/activity?" + query + "&page=0");
            assertThat(second).contains("Page <strong>2</strong> of <span>2</span>");
        }
    }

    @Test
    void theReportsPagerKeepsTheListsParametersOnTheFullPageAndTheHtmxTwin() throws Exception {
        for (boolean hx : List.of(false, true)) {
            MockHttpServletRequestBuilder first = get("/reports?page=0&view=compact");
            String html = page(hx ? first.header("HX-Request", "true") : first);
            assertThat(link(html, "next")).isEqualTo("/reports?view=compact&page=1");
            String second = page(get("/reports?view=compact&page=1"));
            assertThat(link(second, "prev")).isEqualTo("/reports?view=compact&page=0");
            assertThat(link(second, "next")).isEqualTo("/reports?view=compact&page=2");
        }
    }

    @Test
    void everyPagedListUsesTheOnePagerFragment() throws IOException {
        List<Path> lists;
        try (Stream<Path> s = Files.walk(TEMPLATES)) {
            lists = s.filter(p -> p.toString().endsWith(".html")).toList();
        }
        int users = 0;
        for (Path p : lists) {
            String t = Files.readString(p);
            String name = TEMPLATES.relativize(p).toString().replace('\\', '/');
            if (name.equals("fragments/paging.html") || name.equals("tiles/view.html")) {
                continue; // the fragment itself; a tile page's previous / next tile is not a list pager
            }
            assertThat(t).as(name + ": a pager of its own").doesNotContain("class=\"pager\"");
            assertThat(t).as(name + ": page links of its own").doesNotContainPattern("page=\\$\\{|'\\?page='");
            users += t.contains("fragments/paging :: pager(") ? 1 : 0;
        }
        assertThat(users).as("lists using the fragment").isGreaterThanOrEqualTo(13);
    }
}
