package org.stainbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.evaluation.Evaluations;

/**
 * The PDF comes from real headless Chromium printing the report's print document: it is a PDF, and its text (read back
 * with PDFBox) holds the title, the table's checkpoint names and a metric value; the temporary folder is removed; a
 * missing Chromium gives a clear reason.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ReportPdfTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Reports reports;

    @Autowired
    Evaluations evaluations;

    @Autowired
    PdfPrinter printer;

    @Autowired
    JdbcClient jdbc;

    static String text(byte[] pdf) throws Exception {
        try (PDDocument d = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(d);
        }
    }

    static long tempFolders() throws Exception {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("stainbench-pdf-"))
                    .count();
        }
    }

    @Test
    void chromiumPrintsTheReportWithItsTitleAndTable() throws Exception {
        if (printer.binary().isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("Chromium missing under CI: .ci/run must install it");
            }
            Assumptions.abort("PDF test skipped: apt-get install chromium");
        }
        long ev;
        try (InputStream in = Files.newInputStream(ReportsTest.SHEET)) {
            ev = evaluations.importSheet("pdf-sheet.xlsx", in, "pdf-mem").id();
        }
        Report r = reports.create("Virtual CK7 report for the PDF", "Lower is *better*.", "pdf-mem");
        reports.addBlock(r.id(), BlockKind.TABLE, BlockSettings.table(ev, List.of()), "pdf-mem");
        reports.addBlock(r.id(), BlockKind.CHART, BlockSettings.chart(ev, "crop_fid", "bar"), "pdf-mem");
        long before = tempFolders();

        byte[] pdf = mvc.perform(
                        get("/reports/" + r.id() + "/pdf").with(user("pdf-sup").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/pdf"))
                .andExpect(header().string("Content-Disposition", org.hamcrest.Matchers.containsString(".pdf")))
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("%PDF-");
        Files.createDirectories(Path.of("target", "reports"));
        Files.write(Path.of("target", "reports", "report.pdf"), pdf);
        String text = text(pdf);
        // a long model name may wrap inside its table cell (seed-invariant cells are wider): join wrapped lines
        assertThat(text.replace("\n", "")).contains("CUSTOM_NPZ_CK7_lora_20");
        assertThat(text)
                .contains("Virtual CK7 report for the PDF")
                .contains("mist_pr")
                .contains("mist_er")
                .contains("116.56")
                .contains("Lower is better")
                .contains("live");
        assertThat(tempFolders()).isLessThanOrEqualTo(before);
        assertThat(jdbc.sql(
                                "select count(*) from activity where subject_type = 'report' and action = 'exported' and subject_id = ?")
                        .param("" + r.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        // frozen, the PDF says so and keeps the numbers
        reports.freeze(r.id(), "pdf-mem");
        String frozen = text(mvc.perform(
                        get("/reports/" + r.id() + "/pdf").with(user("pdf-sup").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray());
        assertThat(frozen.replace("\n", ""))
                .contains("frozen at")
                .contains("116.56")
                .contains("CUSTOM_NPZ_CK7_lora_20");
    }

    @Test
    void aMissingChromiumGivesAClearReason() {
        PdfPrinter missing = new PdfPrinter("/nonexistent/bin/chromium", Duration.ofSeconds(5));
        assertThat(missing.binary()).isEmpty();
        assertThatThrownBy(() -> missing.print("<html><body>x</body></html>"))
                .isInstanceOf(PdfPrinter.PrintFailed.class)
                .hasMessageContaining("/nonexistent/bin/chromium")
                .hasMessageContaining("stainbench.reports.chromium");
    }
}
