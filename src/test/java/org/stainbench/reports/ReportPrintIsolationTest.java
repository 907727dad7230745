package org.stainbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.support.Waits;

/**
 * Issue 15 items 8, 9 and 17 for reports: Markdown images never reach the page or the printer (a real local HTTP
 * server counts requests: none arrive), local files never reach the PDF, links keep only http(s)/mailto targets, and
 * Chromium prints one report at a time (a wrapper around the real Chromium logs every start and end).
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ReportPrintIsolationTest {

    /** A secret-looking local file that must never reach a PDF. */
    static final String SECRET = "SECRET-LOCAL-FILE-CONTENT-4471";

    @Autowired
    MockMvc mvc;

    @Autowired
    Reports reports;

    @Autowired
    PdfPrinter printer;

    @Autowired
    org.thymeleaf.ITemplateEngine templates;

    @Autowired
    java.time.Clock clock;

    @Autowired
    PdfJobs pdfJobs;

    @TempDir
    Path tmp;

    HttpServer probe;
    final AtomicInteger probeHits = new AtomicInteger();
    Path secretFile;

    @BeforeEach
    void start() throws Exception {
        probe = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        probe.createContext("/", ex -> {
            probeHits.incrementAndGet();
            byte[] body = ("PROBE-BODY " + SECRET).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        probe.start();
        secretFile = tmp.resolve("secret.txt");
        Files.writeString(secretFile, SECRET + "\n");
    }

    @AfterEach
    void stop() {
        probe.stop(0);
    }

    String probeUrl(String path) {
        return "http://127.0.0.1:" + probe.getAddress().getPort() + path;
    }

    void needChromium() {
        if (printer.binary().isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("Chromium missing under CI: .ci/run must install it");
            }
            Assumptions.abort("PDF test skipped: apt-get install chromium");
        }
    }

    String hostileMarkdown() {
        return "Intro text.\n\n"
                + "![x-alt](" + probeUrl("/probe.png") + ")\n\n"
                + "![y-alt](file:///etc/passwd) ![](" + secretFile + ") ![rel](../../etc/passwd)\n\n"
                + "![beacon](data:image/png;base64,iVBORw0KGgo=)\n\n"
                + "[ok link](https://example.org/paper) [mail](mailto:lab@example.org) [js](javascript:alert(1)) "
                + "[dat](data:text/html;base64,PHNjcmlwdD4=) [local](file:///etc/passwd)\n\n"
                + "[ref img][r]\n\n[r]: " + probeUrl("/ref.png") + "\n\n![ref][r]\n";
    }

    @Test
    void markdownImagesAndUnsafeLinksNeverReachThePageOrThePrintDocument() throws Exception {
        Report r = reports.create("Hostile markdown", hostileMarkdown(), "md-mem");
        for (String url : List.of("/reports/" + r.id(), "/reports/" + r.id() + "/print")) {
            String html = mvc.perform(get(url).with(user("md-sup").roles("SUPERVISOR")))
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            String block = html.substring(html.indexOf("Intro text."));
            assertThat(block)
                    .as(url)
                    .doesNotContain("127.0.0.1:" + probe.getAddress().getPort() + "/probe.png\"")
                    .doesNotContain("<img src=\"http")
                    .doesNotContain("file:")
                    .doesNotContain("src=\"" + secretFile)
                    .doesNotContain("src=\"data:image/png;base64,iVBORw0KGgo=\"")
                    .doesNotContain("javascript:")
                    .doesNotContain("href=\"data:")
                    .doesNotContain("../../etc/passwd\"")
                    .contains("x-alt")
                    .contains("y-alt")
                    .contains(Markdown.IMAGE_REMOVED)
                    .containsPattern("<a [^>]*href=\"https://example.org/paper\">ok link</a>")
                    .containsPattern("<a [^>]*href=\"mailto:lab@example.org\">mail</a>")
                    .contains("> js dat local<");
        }
        assertThat(probeHits.get()).isZero();
    }

    @Test
    void thePdfOfAHostileReportMakesNoRequestAndHoldsNoLocalFile() throws Exception {
        needChromium();
        Report r = reports.create("Hostile markdown PDF", hostileMarkdown(), "md-mem");
        byte[] pdf = mvc.perform(
                        get("/reports/" + r.id() + "/pdf").with(user("md-sup").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        String text = ReportPdfTest.text(pdf);
        assertThat(text)
                .contains("Intro text.")
                .contains("x-alt")
                .doesNotContain(SECRET)
                .doesNotContain("root:x:0");
        assertThat(probeHits.get()).isZero();
    }

    @Test
    void chromiumReachesNoNetworkAndNoFileEvenIfThePrintDocumentAsks() throws Exception {
        needChromium();
        String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title>"
                + "<link rel=\"stylesheet\" href=\"" + probeUrl("/style.css") + "\"></head><body><p>Printed body.</p>"
                + "<img src=\"" + probeUrl("/img.png") + "\" alt=\"\">"
                + "<img src=\"http://localhost:" + probe.getAddress().getPort() + "/by-name.png\" alt=\"\">"
                + "<iframe src=\"" + secretFile.toUri() + "\" width=\"600\" height=\"200\"></iframe>"
                + "<iframe src=\"" + probeUrl("/frame") + "\" width=\"600\" height=\"200\"></iframe>"
                + "<object data=\"" + secretFile.toUri()
                + "\" type=\"text/plain\" width=\"600\" height=\"200\"></object>"
                + "</body></html>";
        String text = ReportPdfTest.text(printer.print(html));
        assertThat(text).contains("Printed body.").doesNotContain(SECRET).doesNotContain("PROBE-BODY");
        assertThat(probeHits.get()).as("requests that reached the local probe").isZero();
    }

    @Test
    void fourConcurrentPrintsRunOneChromiumAtATime() throws Exception {
        needChromium();
        Path log = tmp.resolve("chromium-starts.log");
        Path wrapper = tmp.resolve("chromium-wrapper.sh");
        Files.writeString(
                wrapper,
                "#!/bin/bash\necho start >> '" + log + "'\n'" + printer.binary().orElseThrow()
                        + "' \"$@\"\nrc=$?\necho end >> '" + log + "'\nexit $rc\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        PdfPrinter counted = new PdfPrinter(wrapper.toString(), Duration.ofSeconds(90), Duration.ofSeconds(120));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> prints = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String body = "<html><head></head><body><p>Concurrent print " + i + "</p></body></html>";
                prints.add(pool.submit(() -> counted.print(body)));
            }
            for (int i = 0; i < 4; i++) {
                assertThat(ReportPdfTest.text(prints.get(i).get())).contains("Concurrent print " + i);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> events = Files.readAllLines(log);
        assertThat(events).hasSize(8);
        int now = 0;
        int most = 0;
        for (String e : events) {
            now += e.equals("start") ? 1 : -1;
            most = Math.max(most, now);
        }
        assertThat(most).as("Chromium processes at the same time").isEqualTo(1);
        assertThat(counted.peak()).isEqualTo(1);
    }

    @Test
    void aPrintThatWaitsLongerThanTheQueueWaitIsTurnedAwayAsBusy() throws Exception {
        needChromium();
        // the real Chromium, started only once the test says so: the first print holds the printer until then
        Path started = tmp.resolve("started");
        Path go = tmp.resolve("go");
        Path wrapper = tmp.resolve("held-chromium.sh");
        Files.writeString(
                wrapper,
                "#!/bin/bash\ntouch '" + started + "'\nwhile [ ! -e '" + go + "' ]; do sleep 0.05; done\nexec '"
                        + printer.binary().orElseThrow() + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        PdfPrinter one = new PdfPrinter(wrapper.toString(), Duration.ofSeconds(90), Duration.ofMillis(200));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<byte[]> first = pool.submit(() -> one.print("<html><head></head><body><p>first</p></body></html>"));
            Waits.upTo(Duration.ofSeconds(30), "the first print holds the printer")
                    .until(() -> Files.exists(started));
            assertThat(one.running()).isEqualTo(1);
            assertThatThrownBy(() -> one.print("<html><body>second</body></html>"))
                    .isInstanceOf(PdfPrinter.Busy.class)
                    .hasMessageContaining("busy")
                    .hasMessageContaining("stainbench.reports.pdf-queue-wait");
            // the page answers 503 with the reason and a way to try again
            Report r = reports.create("Busy printer", "text", "md-mem");
            Object answer = new ReportController(reports, one, pdfJobs, templates, clock)
                    .pdf(r.id(), () -> "md-sup", new org.springframework.ui.ExtendedModelMap());
            assertThat(answer).isInstanceOf(org.springframework.web.servlet.ModelAndView.class);
            var mav = (org.springframework.web.servlet.ModelAndView) answer;
            assertThat(mav.getStatus()).isEqualTo(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(mav.getViewName()).isEqualTo("reports/pdf-failed");
            assertThat(mav.getModel().get("reason").toString()).contains("busy").contains("try again");
            assertThat(mav.getModel().get("busy")).isEqualTo(true);
            Files.writeString(go, "go");
            assertThat(ReportPdfTest.text(first.get())).contains("first");
            assertThat(one.running()).isZero();
            assertThat(ReportPdfTest.text(one.print("<html><body>after</body></html>")))
                    .contains("after");
        } finally {
            Files.writeString(go, "go");
            pool.shutdownNow();
        }
    }

    /**
     * Issue 18: a PDF started from the page shows where it is. While Chromium holds the printer the first print says
     * "printing" with a share between 25 and 95 %, a second one waits for the printer; once Chromium finishes both
     * are ready and handed out once, to who started them only. The status answers come from the page's endpoints.
     */
    @Test
    void aPdfStartedFromThePageShowsItsProgressUntilItIsReady(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        needChromium();
        Path started = tmp.resolve("started");
        Path go = tmp.resolve("go");
        Path wrapper = tmp.resolve("held-chromium.sh");
        Files.writeString(
                wrapper,
                "#!/bin/bash\ntouch '" + started + "'\nwhile [ ! -e '" + go + "' ]; do sleep 0.05; done\nexec '"
                        + printer.binary().orElseThrow() + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        PdfPrinter held = new PdfPrinter(wrapper.toString(), Duration.ofSeconds(90), Duration.ofSeconds(60));
        Report r = reports.create("Progress shown", "Two lines.", "md-mem");
        try {
            PdfJobs.Job first =
                    pdfJobs.start(r.id(), "md-sup", "first.pdf", () -> "<html><body>first</body></html>", held::print);
            Waits.upTo(Duration.ofSeconds(30), "Chromium starts the first print")
                    .until(() -> Files.exists(started));
            PdfJobs.Job second = pdfJobs.start(
                    r.id(), "md-sup", "second.pdf", () -> "<html><body>second</body></html>", held::print);
            Waits.upTo(Duration.ofSeconds(10), "the second print waits for the printer")
                    .until(() -> pdfJobs.status(second).stage().equals("waiting"));
            PdfJobs.Status s1 = pdfJobs.status(first);
            assertThat(s1.stage()).isEqualTo("printing");
            assertThat(s1.percent()).isBetween(25, 95);
            assertThat(s1.message()).startsWith("Rendering the PDF… ").contains("Chromium is printing");
            assertThat(pdfJobs.status(second).message()).contains("waiting for the printer");
            // through the page's endpoint, as JSON; another user does not see it
            mvc.perform(get("/reports/" + r.id() + "/pdf/jobs/" + first.token)
                            .with(user("md-sup").roles("SUPERVISOR")))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.stage").value("printing"))
                    .andExpect(jsonPath("$.ready").value(false));
            mvc.perform(get("/reports/" + r.id() + "/pdf/jobs/" + first.token)
                            .with(user("md-other").roles("SUPERVISOR")))
                    .andExpect(status().isNotFound())
                    .andExpect(jsonPath("$.message")
                            .value(org.hamcrest.Matchers.containsString("Click Download PDF again")));
            mvc.perform(get("/reports/" + r.id() + "/pdf/jobs/" + first.token + "/file")
                            .with(user("md-sup").roles("SUPERVISOR")))
                    .andExpect(status().isConflict());
            Files.writeString(go, "go");
            Waits.upTo(Duration.ofSeconds(90), "both prints are ready")
                    .until(() -> pdfJobs.status(first).ready()
                            && pdfJobs.status(second).ready());
            assertThat(pdfJobs.status(first).percent()).isEqualTo(100);
            assertThat(pdfJobs.status(first).message()).isEqualTo("PDF ready: first.pdf");
            byte[] pdf = mvc.perform(get("/reports/" + r.id() + "/pdf/jobs/" + first.token + "/file")
                            .with(user("md-sup").roles("SUPERVISOR")))
                    .andExpect(status().isOk())
                    .andExpect(header().string("Content-Type", "application/pdf"))
                    .andReturn()
                    .getResponse()
                    .getContentAsByteArray();
            assertThat(ReportPdfTest.text(pdf)).contains("first");
            // handed out once
            mvc.perform(get("/reports/" + r.id() + "/pdf/jobs/" + first.token + "/file")
                            .with(user("md-sup").roles("SUPERVISOR")))
                    .andExpect(status().isNotFound());
            assertThat(ReportPdfTest.text(pdfJobs.take(second).orElseThrow())).contains("second");
        } finally {
            Files.writeString(go, "go");
        }
        // the page's start endpoint: a print of the report's document, then its status
        String started2 = mvc.perform(get("/reports/" + r.id() + "/pdf/start")
                        .with(user("md-sup").roles("SUPERVISOR")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.token").isNotEmpty())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String token = started2.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        Waits.upTo(Duration.ofSeconds(90), "the report's PDF is ready")
                .until(() -> mvc.perform(get("/reports/" + r.id() + "/pdf/jobs/" + token)
                                .with(user("md-sup").roles("SUPERVISOR")))
                        .andReturn()
                        .getResponse()
                        .getContentAsString()
                        .contains("\"ready\":true"));
        byte[] pdf = mvc.perform(get("/reports/" + r.id() + "/pdf/jobs/" + token + "/file")
                        .with(user("md-sup").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        assertThat(ReportPdfTest.text(pdf)).contains("Progress shown").contains("Two lines.");
        // a pathologist may not read reports at all
        mvc.perform(get("/reports/" + r.id() + "/pdf/start")
                        .with(user("md-path").roles("PATHOLOGIST")))
                .andExpect(status().isForbidden());
    }
}
