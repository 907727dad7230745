package org.stainbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.evaluation.Evaluations;

/**
 * One htmx idiom (issue 20): every page that answers htmx with a fragment does so through an {@code @HxRequest} twin of
 * its full-page handler (htmx-spring-boot), never a hand-read {@code HX-Request} header. Each converted endpoint is
 * asked with and without the header: the full page carries the layout, the fragment does not. htmx POSTs get their
 * CSRF token from the page (the dialect's {@code hx:post} writes it into {@code hx-headers}), not from page script.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HtmxTwinsTest {

    static final Path SHEET = Path.of("..", "shared", "data", "lab", "quantitative_results.xlsx");

    @Autowired
    MockMvc mvc;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Catalog catalog;

    @Autowired
    Evaluations evaluations;

    long checkpoint;
    long dataset;
    long evaluation;
    long report;

    @BeforeAll
    void data() throws Exception {
        checkpoint = checkpoints
                .createBaseline(CheckpointKind.STAIN_REMAP, "hx-twins remap", null, 1.0, 1.1, null, "hx")
                .id();
        dataset = catalog.createDataset("hx-twins tiles", Stain.HE, null, null, 256, null, "hx");
        try (InputStream in = Files.newInputStream(SHEET)) {
            evaluation = evaluations.importSheet("hx-twins.xlsx", in, "hx").id();
        }
        String to = mvc.perform(member(post("/reports"))
                        .with(csrf())
                        .param("title", "hx-twins report")
                        .param("markdown", "Some *text*."))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        report = Long.parseLong(to.substring(to.lastIndexOf('/') + 1));
    }

    static MockHttpServletRequestBuilder sup(MockHttpServletRequestBuilder b) {
        return b.with(user("hx-sup").roles("SUPERVISOR"));
    }

    static MockHttpServletRequestBuilder member(MockHttpServletRequestBuilder b) {
        return b.with(user("hx-mem").roles("MEMBER", "SUPERVISOR"));
    }

    String body(MockHttpServletRequestBuilder b) throws Exception {
        return mvc.perform(b)
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    /** The full page (layout, navigation) without the header; the fragment {@code marker} alone with it. */
    void twins(String url, String marker) throws Exception {
        // the layout's top navigation is <ul id="nav">; a paged fragment may hold its own pager <nav>
        assertThat(body(sup(get(url))))
                .as(url + " full page")
                .contains("id=\"nav\"")
                .contains(marker);
        assertThat(body(sup(get(url)).header("HX-Request", "true")))
                .as(url + " fragment")
                .doesNotContain("id=\"nav\"")
                .doesNotContain("<html")
                .contains(marker);
    }

    @Test
    void everyConvertedPageAnswersWithTheFullPageOrItsFragment() throws Exception {
        twins(
                "/checkpoints",
                "id=\"checkpoint-table\""); // the list pages oldest first: in a shared context the new one may be on a
        // later page
        twins("/checkpoints/" + checkpoint, "id=\"sets\"");
        twins("/evaluations", "hx-twins.xlsx");
        twins("/evaluations/" + evaluation, "id=\"eval-status\"");
        twins("/reports", "hx-twins report");
        twins("/reports/" + report, "id=\"blocks\"");
        twins("/search?q=hx-twins", "hx-twins");
        twins("/datasets/" + dataset + "/progress", "id=\"progress\"");
        twins("/datasets/" + dataset + "/tiles", "id=\"tile-grid\"");
    }

    @Test
    void anHtmxPostCarriesItsCsrfTokenInHxHeadersAndIsRefusedWithoutOne() throws Exception {
        String page = body(member(get("/reports/" + report)));
        Matcher m = Pattern.compile("hx-post=\"/reports/" + report
                        + "/title\"[^>]*hx-headers=\"([^\"]+)\"|hx-headers=\"([^\"]+)\"[^>]*hx-post=\"/reports/"
                        + report + "/title\"")
                .matcher(page);
        assertThat(m.find()).as("the title form's hx-headers").isTrue();
        String headers = (m.group(1) != null ? m.group(1) : m.group(2)).replace("&quot;", "\"");
        assertThat(headers).contains("\"X-CSRF-TOKEN\":\"");
        // the page script no longer adds it by hand
        assertThat(Files.readString(Path.of("frontend", "js", "stainbench.js"))).doesNotContain("htmx:configRequest");
        // htmx twin: the blocks fragment; full-page twin: a redirect with the flash; no token: refused, nothing changed
        String fragment = body(member(post("/reports/" + report + "/title"))
                .with(csrf())
                .header("HX-Request", "true")
                .param("title", "hx-twins renamed"));
        assertThat(fragment).contains("id=\"blocks\"").contains("Title saved.").doesNotContain("id=\"nav\"");
        mvc.perform(member(post("/reports/" + report + "/title")).with(csrf()).param("title", "hx-twins report"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", "/reports/" + report));
        mvc.perform(member(post("/reports/" + report + "/title"))
                        .header("HX-Request", "true")
                        .param("title", "forged"))
                .andExpect(status().isForbidden());
        assertThat(body(sup(get("/reports/" + report))))
                .contains("hx-twins report")
                .doesNotContain("forged");
    }
}
