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
        // the chart: drawn by Chart.js in the printing Chromium before it printed (its caption is text; its bars and
        // seed points are pixels of the palette's chart colours, the bars at the 0.35 opacity charts.js gives them)
        assertThat(text).contains("CropFID per checkpoint");
        int bar = paletteColour("chart-bar");
        assertThat(pixelsNear(pdf, blend(bar, 0.35), 6)).as("bar pixels").isGreaterThan(500);
        assertThat(pixelsNear(pdf, paletteColour("chart-seed"), 30))
                .as("seed point pixels")
                .isGreaterThan(20);
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

    /** A colour of the palette in stainbench.css ({@code --sb-<name>: #rrggbb}) as 0xRRGGBB. */
    static int paletteColour(String name) throws Exception {
        String css = Files.readString(Path.of("frontend", "css", "stainbench.css"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--sb-" + name + ":\\s*#([0-9a-fA-F]{6})\\s*;")
                .matcher(css);
        assertThat(m.find()).as("--sb-" + name + " in the palette").isTrue();
        return Integer.parseInt(m.group(1), 16);
    }

    /** The colour at that opacity over white. */
    static int blend(int rgb, double alpha) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int c = (rgb >> shift) & 255;
            out |= ((int) Math.round(255 - alpha * (255 - c))) << shift;
        }
        return out;
    }

    /** Pixels of the PDF's pages (rendered at 100 dpi) within {@code tolerance} of the colour in every channel. */
    static long pixelsNear(byte[] pdf, int rgb, int tolerance) throws Exception {
        long n = 0;
        try (PDDocument d = Loader.loadPDF(pdf)) {
            org.apache.pdfbox.rendering.PDFRenderer r = new org.apache.pdfbox.rendering.PDFRenderer(d);
            for (int p = 0; p < d.getNumberOfPages(); p++) {
                java.awt.image.BufferedImage img = r.renderImageWithDPI(p, 100);
                for (int y = 0; y < img.getHeight(); y++) {
                    for (int x = 0; x < img.getWidth(); x++) {
                        int c = img.getRGB(x, y);
                        boolean near = true;
                        for (int shift = 16; shift >= 0; shift -= 8) {
                            near &= Math.abs(((c >> shift) & 255) - ((rgb >> shift) & 255)) <= tolerance;
                        }
                        n += near ? 1 : 0;
                    }
                }
            }
        }
        return n;
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
