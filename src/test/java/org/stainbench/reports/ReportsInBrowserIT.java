package org.stainbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.support.Browser;
import org.stainbench.support.Demo;
import org.stainbench.support.DemoApplicationTest;
import org.stainbench.support.WithBrowser;

/**
 * Real Chromium on the demo project: once an evaluation of the two baselines against the demo CK7 finishes (started from
 * the evaluation form with a tiny ONNX extractor), the demo report exists. A member composes a report with a text, a
 * table and a chart block through the htmx forms, moves a block, freezes it (confirmed) and downloads its PDF through
 * the page's link; a supervisor opens the demo report, finds no control that changes anything, and its PDF holds the
 * title and the table.
 */
// the demo application shared by the demo browser tests (one Spring context, one demo load); counts relative to what
// it finds
@DemoApplicationTest
class ReportsInBrowserIT extends WithBrowser {

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Reports reports;

    @Autowired
    org.stainbench.evaluation.Evaluations evaluations;

    @BeforeAll
    void createAccounts() {
        accounts.createAccount("rb-mem", Role.MEMBER, "member-password");
        accounts.createAccount("rb-sup", Role.SUPERVISOR, "supervisor-password");
    }

    /** Fetches a link's target in the signed-in page, as bytes. */
    byte[] download(String url) {
        return browser.download(url);
    }

    static String pdfText(byte[] pdf) {
        return Browser.pdfText(pdf);
    }

    /** What a Chart.js chart on a canvas shows (null: none drawn): labels, datasets with values and colours, y title. */
    static final String CHART = "var c = Chart.getChart(arguments[0]); if (!c) { return null; }"
            + " return JSON.stringify({labels: c.data.labels, datasets: c.data.datasets.map(function (d) {"
            + " return {type: d.type, label: d.label, data: d.data, background: d.backgroundColor,"
            + " border: d.borderColor}; }), y: c.options.scales.y.title.text});";

    void waitForBlocks(int n) {
        browser.waiting(Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector("#blocks article.report-block"))
                                .size()
                        == n);
    }

    @Test
    void aMemberComposesAndFreezesAReportAndASupervisorReadsTheDemoReport() throws Exception {
        browser.signIn("rb-mem", "member-password");
        Demo.load(browser, catalog);
        Demo.awaitGenerated(checkpoints, catalog, "demo baselines", 2);

        // the demo evaluation: both baselines against the demo CK7 with a tiny extractor, from the forms
        browser.go("/evaluations/extractors");
        Demo.registerExtractor(browser, "random8 (reports)");
        Demo.startEvaluation(browser, "demo baselines vs CK7", Demo::isDemoBaselineSet);
        // the demo report may be there already (another test sharing the application evaluated the baselines first):
        // wait for this evaluation itself, which the table and chart blocks below choose
        long evaluation = Long.parseLong(browser.path().replaceAll(".*/", ""));
        GeneratedFixtures.await("evaluation " + evaluation, () -> List.of("DONE", "FAILED")
                .contains(evaluations.find(evaluation).orElseThrow().status()));
        GeneratedFixtures.await(
                "the demo report", () -> reports.byTitle(DemoReport.TITLE).isPresent());
        Report demo = reports.byTitle(DemoReport.TITLE).orElseThrow();
        assertThat(reports.blocks(demo.id()))
                .extracting(Block::kind)
                .containsExactly(BlockKind.TEXT, BlockKind.TABLE, BlockKind.CHART, BlockKind.GALLERY);

        // a member composes a report in the browser: text, table, chart
        browser.go("/reports");
        browser.driver.findElement(By.id("new-report")).click();
        browser.waitFor(By.id("new-report-form"));
        browser.driver.findElement(By.id("title")).sendKeys("Browser report: baselines");
        browser.driver.findElement(By.id("markdown")).sendKeys("Both **baselines** on the demo data.");
        browser.driver.findElement(By.id("create-report")).click();
        browser.waitFor(By.id("report-title"));
        assertThat(browser.driver.findElement(By.id("report-title")).getText()).isEqualTo("Browser report: baselines");
        assertThat(browser.driver.findElement(By.id("live-badge")).getText()).isEqualTo("live");
        waitForBlocks(1);
        String path = browser.path();

        WebElement table = browser.driver.findElement(By.id("add-table"));
        new Select(table.findElement(By.name("evaluation"))).selectByVisibleText("demo baselines vs CK7 (done)");
        table.findElement(By.cssSelector("input[name=metrics][value=fid]")).click();
        table.findElement(By.cssSelector("input[name=metrics][value=kid_mean]")).click();
        table.findElement(By.id("add-table-button")).click();
        waitForBlocks(2);
        WebElement chart = browser.driver.findElement(By.id("add-chart"));
        new Select(chart.findElement(By.name("evaluation"))).selectByVisibleText("demo baselines vs CK7 (done)");
        String evaluationId = new Select(chart.findElement(By.name("evaluation")))
                .getFirstSelectedOption()
                .getAttribute("value");
        new Select(chart.findElement(By.name("metrics"))).selectByValue("fid");
        chart.findElement(By.id("add-chart-button")).click();
        waitForBlocks(3);
        // htmx swapped the blocks in place: the page did not reload
        assertThat(browser.path()).isEqualTo(path);
        assertThat(browser.driver
                        .findElement(By.cssSelector("#blocks .flash.ok"))
                        .getText())
                .isEqualTo("Chart block added.");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("article[data-kind=table] tr.report-row"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getText() + rows.get(1).getText())
                .contains("Reinhard (demo)")
                .contains("Stain remap (demo)");
        // the chart block is drawn by Chart.js from the same definitions as the evaluation page's chart (charts.js):
        // the same labels, datasets, values, colours and axis title
        browser.waiting(Duration.ofSeconds(10))
                .until(d -> js().executeScript(CHART, d.findElement(By.cssSelector("article[data-kind=chart] canvas")))
                        != null);
        String reportChart = (String) js().executeScript(
                        CHART, browser.driver.findElement(By.cssSelector("article[data-kind=chart] canvas")));
        assertThat(reportChart).contains("Reinhard (demo)").contains("FID (mean over seeds)");
        // its colours are the palette's (stainbench.css), read from the computed style
        assertThat(reportChart)
                .contains("\"border\":\"" + String.format("#%06x", ReportPdfTest.paletteColour("chart-bar")) + "\"")
                .contains("\"border\":\"" + String.format("#%06x", ReportPdfTest.paletteColour("chart-seed")) + "\"");
        browser.go("/evaluations/" + evaluationId);
        browser.waitFor(By.id("chart-metric"));
        new Select(browser.driver.findElement(By.id("chart-metric"))).selectByValue("fid");
        String pageChart = (String) js().executeScript(CHART, browser.driver.findElement(By.id("metric-chart")));
        assertThat(reportChart).isEqualTo(pageChart);
        browser.go(path);
        waitForBlocks(3);
        // move the chart above the table
        browser.driver
                .findElements(By.cssSelector("article[data-kind=chart] button.move-up"))
                .get(0)
                .click();
        browser.waiting(Duration.ofSeconds(15))
                .until(d -> d.findElements(By.cssSelector("#blocks article.report-block"))
                        .get(1)
                        .getAttribute("data-kind")
                        .equals("chart"));

        // freeze, confirmed
        browser.driver.findElement(By.id("freeze-confirm")).click();
        browser.driver.findElement(By.id("freeze")).click();
        browser.waiting(Duration.ofSeconds(10))
                .until(ExpectedConditions.alertIsPresent())
                .accept();
        browser.waiting(Duration.ofSeconds(30))
                .until(d -> !d.findElements(By.id("frozen-badge")).isEmpty());
        assertThat(browser.driver.findElement(By.id("frozen-badge")).getText())
                .startsWith("frozen at")
                .contains("rb-mem");
        assertThat(browser.driver.findElements(By.id("add-blocks"))).isEmpty();
        // the frozen chart is drawn from the snapshot
        browser.waiting(Duration.ofSeconds(15))
                .until(d -> js().executeScript(CHART, d.findElement(By.cssSelector("article[data-kind=chart] canvas")))
                        != null);
        assertThat((String) js().executeScript(
                                CHART, browser.driver.findElement(By.cssSelector("article[data-kind=chart] canvas"))))
                .isEqualTo(reportChart);
        js().executeScript("window.scrollTo(0, 0)");
        browser.screenshot("report");

        // clicking "Download PDF" shows the rendering state while the server prints, then says the PDF is ready
        js().executeScript("window.__pdfStates = []; var s = document.getElementById('pdf-state');"
                + "new MutationObserver(function () { window.__pdfStates.push(s.hidden ? '' : s.textContent); })"
                + ".observe(s, {childList: true, characterData: true, subtree: true, attributes: true});");
        browser.driver.findElement(By.id("download-pdf")).click();
        browser.waiting(Duration.ofSeconds(60))
                .until(d -> d.findElement(By.id("pdf-state")).getText().startsWith("PDF ready"));
        @SuppressWarnings("unchecked")
        List<Object> states = (List<Object>) js().executeScript("return window.__pdfStates");
        assertThat(states).anySatisfy(s -> assertThat(s.toString()).startsWith("Rendering the PDF"));
        assertThat(browser.driver.findElement(By.id("download-pdf")).getAttribute("aria-busy"))
                .isNull();

        // the PDF through the page's link
        String pdfLink = browser.driver.findElement(By.id("download-pdf")).getAttribute("href");
        String text = pdfText(download(pdfLink));
        assertThat(text)
                .contains("Browser report: baselines")
                .contains("Reinhard (demo)")
                .contains("Stain remap (demo)")
                .contains("frozen at");
        browser.signOut();

        // a supervisor opens the demo report: the blocks, no control that changes anything, the PDF
        browser.signIn("rb-sup", "supervisor-password");
        browser.go("/reports");
        assertThat(browser.driver.findElements(By.id("new-report"))).isEmpty();
        browser.driver.findElement(By.linkText(DemoReport.TITLE)).click();
        browser.waitFor(By.id("report-title"));
        assertThat(browser.driver.findElements(By.cssSelector("#blocks article.report-block")).stream()
                        .map(a -> a.getAttribute("data-kind"))
                        .toList())
                .containsExactly("text", "table", "chart", "gallery");
        assertThat(browser.driver.findElements(By.cssSelector("article[data-kind=gallery] img")))
                .isNotEmpty();
        // forms that send something (the navigation's search box only reads)
        List<WebElement> forms = browser.driver.findElements(By.cssSelector("form")).stream()
                .filter(f -> !"get".equalsIgnoreCase(f.getAttribute("method")))
                .toList();
        assertThat(forms).isNotEmpty().allMatch(f -> f.getAttribute("action").endsWith("/logout"));
        assertThat(browser.driver.findElements(By.cssSelector("[hx-post], [hx-delete], [hx-put]")))
                .isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("button")).stream()
                        .map(b -> b.getAttribute("id"))
                        .toList())
                .containsExactly("logout");
        String demoText = pdfText(
                download(browser.driver.findElement(By.id("download-pdf")).getAttribute("href")));
        assertThat(demoText)
                .contains(DemoReport.TITLE)
                .contains("Reinhard (demo)")
                .contains("Stain remap (demo)")
                .contains("FID");
    }

    /** The demo report, composed once an evaluation of the demo baselines against the demo CK7 finished (started here if none did). */
    Report demoReport() {
        if (reports.byTitle(DemoReport.TITLE).isEmpty()) {
            browser.signIn("rb-mem", "member-password");
            Demo.load(browser, catalog);
            Demo.awaitGenerated(checkpoints, catalog, "demo baselines", 2);
            browser.go("/evaluations/extractors");
            Demo.registerExtractor(browser, "random8 (reports print)");
            Demo.startEvaluation(browser, "demo baselines vs CK7 (print)", Demo::isDemoBaselineSet);
            GeneratedFixtures.await(
                    "the demo report", () -> reports.byTitle(DemoReport.TITLE).isPresent());
            browser.go("/reports");
            browser.signOut();
        }
        return reports.byTitle(DemoReport.TITLE).orElseThrow();
    }

    /** Where an image is drawn on a PDF page (points, from the bottom left) and its pixel size. */
    record Placed(
            int page,
            double cx,
            double cy,
            double width,
            double height,
            int pixelWidth,
            int pixelHeight,
            String suffix) {

        /** A gallery tile: a JPEG thumbnail (tiles are at most 256 px a side; the charts are wider PNGs). */
        boolean tile() {
            return suffix.equals("jpg") || (pixelWidth <= 256 && pixelHeight <= 256);
        }
    }

    static List<Placed> images(byte[] pdf) throws java.io.IOException {
        List<Placed> out = new java.util.ArrayList<>();
        try (org.apache.pdfbox.pdmodel.PDDocument d = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            for (int i = 0; i < d.getNumberOfPages(); i++) {
                int page = i;
                org.apache.pdfbox.pdmodel.PDPage p = d.getPage(i);
                new org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine(p) {
                    @Override
                    public void drawImage(org.apache.pdfbox.pdmodel.graphics.image.PDImage image) {
                        org.apache.pdfbox.util.Matrix m = getGraphicsState().getCurrentTransformationMatrix();
                        String suffix = image instanceof org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject x
                                ? x.getSuffix()
                                : "";
                        java.awt.geom.Point2D.Float c = m.transformPoint(0.5f, 0.5f);
                        out.add(new Placed(
                                page,
                                c.x,
                                c.y,
                                m.getScalingFactorX(),
                                m.getScalingFactorY(),
                                image.getWidth(),
                                image.getHeight(),
                                suffix == null ? "" : suffix));
                    }

                    @Override
                    public void appendRectangle(
                            java.awt.geom.Point2D p0,
                            java.awt.geom.Point2D p1,
                            java.awt.geom.Point2D p2,
                            java.awt.geom.Point2D p3) {}

                    @Override
                    public void clip(int windingRule) {}

                    @Override
                    public void moveTo(float x, float y) {}

                    @Override
                    public void lineTo(float x, float y) {}

                    @Override
                    public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {}

                    @Override
                    public java.awt.geom.Point2D getCurrentPoint() {
                        return new java.awt.geom.Point2D.Float();
                    }

                    @Override
                    public void closePath() {}

                    @Override
                    public void endPath() {}

                    @Override
                    public void strokePath() {}

                    @Override
                    public void fillPath(int windingRule) {}

                    @Override
                    public void fillAndStrokePath(int windingRule) {}

                    @Override
                    public void shadingFill(org.apache.pdfbox.cos.COSName shadingName) {}

                    void run() throws java.io.IOException {
                        processPage(getPage());
                    }
                }.run();
            }
        }
        return out;
    }

    static String run(java.nio.file.Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
                .as(String.join(" ", command))
                .isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    /**
     * Issue 18, deliverable 1: the demo report prints. On the page (1440 × 900) the gallery's tiles keep their true
     * aspect ratio at the gallery page's size (no 30 × 120 slivers) and the random gallery's columns do not say
     * "(ranked)"; "Download PDF" shows its progress (a stage, a percentage and a progress bar) until the file is
     * saved. The PDF, read back with poppler: {@code pdftotext -layout} shows each compared checkpoint's name on one
     * line of the table (the text runs horizontally, not a letter per line), the four blocks flow on fewer pages than
     * blocks (no forced break per block), every tile is drawn at its pixels' aspect ratio at a readable size (PDFBox
     * reads where each image is placed), and {@code pdftoppm} rasterises the pages: where the tiles are drawn the
     * raster is painted, and the first page and the gallery's page go to target/screenshots/.
     */
    @Test
    void theDemoReportPrintsWithTablesThatFitAndTilesAtTheirTrueAspectRatio() throws Exception {
        if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/pdftoppm"))
                || !java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/pdftotext"))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(
                        "pdftoppm/pdftotext missing under CI: .ci/run must install poppler-utils");
            }
            org.junit.jupiter.api.Assumptions.abort("PDF raster test skipped: apt-get install poppler-utils");
        }
        Report demo = demoReport();
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 900));
        browser.signIn("rb-sup", "supervisor-password");
        browser.go("/reports/" + demo.id());
        browser.waitFor(By.id("report-title"));
        List<WebElement> tiles =
                browser.driver.findElements(By.cssSelector("article[data-kind=gallery] table.report-gallery img"));
        assertThat(tiles).isNotEmpty();
        for (WebElement img : tiles) {
            browser.waiting(Duration.ofSeconds(15)).until(d ->
                    (Boolean) js().executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img));
            @SuppressWarnings("unchecked")
            List<Number> box = (List<Number>) js().executeScript(
                            "var r = arguments[0].getBoundingClientRect();"
                                    + "return [r.width, r.height, arguments[0].naturalWidth, arguments[0].naturalHeight];",
                            img);
            double w = box.get(0).doubleValue();
            double h = box.get(1).doubleValue();
            assertThat(w).as("tile width on the page").isGreaterThanOrEqualTo(100);
            assertThat(h / w)
                    .as("tile aspect on the page")
                    .isCloseTo(
                            box.get(3).doubleValue() / box.get(2).doubleValue(),
                            org.assertj.core.api.Assertions.within(0.02));
        }
        String columns = browser.driver
                .findElement(By.cssSelector("article[data-kind=gallery] table.report-gallery thead"))
                .getText();
        assertThat(columns).isNotBlank().doesNotContain("(ranked)");
        // the column titles stand over their tiles (a table, not the head beside the body)
        @SuppressWarnings("unchecked")
        List<List<Number>> cols = (List<List<Number>>) js().executeScript("var t = document.querySelector("
                + "'article[data-kind=gallery] table.report-gallery');"
                + "var heads = Array.from(t.querySelectorAll('thead th.gallery-col'));"
                + "var cells = Array.from(t.querySelectorAll('tbody tr:first-child td'));"
                + "return heads.map(function (h, i) { var a = h.getBoundingClientRect(), b = cells[i].getBoundingClientRect();"
                + " return [a.left, a.right, b.left, b.right, a.bottom, b.top]; });");
        assertThat(cols).hasSizeGreaterThanOrEqualTo(2);
        for (List<Number> c : cols) {
            assertThat(c.get(0).doubleValue())
                    .as("column title over its tiles " + c)
                    .isCloseTo(c.get(2).doubleValue(), org.assertj.core.api.Assertions.within(1.0));
            assertThat(c.get(4).doubleValue())
                    .as("title above the first row " + c)
                    .isLessThanOrEqualTo(c.get(5).doubleValue() + 1);
        }
        js().executeScript("window.scrollTo(0, 0)");
        browser.screenshot("report-demo");
        js().executeScript("document.querySelector('article[data-kind=gallery]').scrollIntoView()");
        browser.screenshot("report-demo-gallery");
        js().executeScript("window.scrollTo(0, 0)");

        // Download PDF: the stage and a percentage while the server composes and prints, then the file
        js().executeScript(
                        "window.__pdfStates = []; var s = document.getElementById('pdf-state');"
                                + "var bar = document.getElementById('pdf-progress');"
                                + "new MutationObserver(function () { window.__pdfStates.push((s.hidden ? '' : s.textContent) + ' | ' + bar.value"
                                + " + ' | ' + bar.hidden); }).observe(s, {childList: true, characterData: true, subtree: true, attributes: true});");
        browser.driver.findElement(By.id("download-pdf")).click();
        browser.waiting(Duration.ofSeconds(120))
                .until(d -> d.findElement(By.id("pdf-state")).getText().startsWith("PDF ready"));
        @SuppressWarnings("unchecked")
        List<Object> states = (List<Object>) js().executeScript("return window.__pdfStates");
        assertThat(states).anySatisfy(x -> assertThat(x.toString())
                .matches("(?s)Rendering the PDF… \\d+ % — .* \\(\\d+ s\\) \\| \\d+(\\.\\d+)? \\| false"));
        assertThat(browser.driver.findElement(By.id("pdf-progress")).isDisplayed())
                .isFalse();

        byte[] pdf = download(browser.driver.findElement(By.id("download-pdf")).getAttribute("href"));
        java.nio.file.Path dir =
                java.nio.file.Path.of("target", "reports", "demo-pdf").toAbsolutePath();
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve("demo-report.pdf"), pdf);

        // the table's text runs horizontally: each compared checkpoint's name whole on a line of the layout
        String layout = run(dir, "pdftotext", "-layout", "demo-report.pdf", "-");
        // (a row's label is "<checkpoint> on <source>": the checkpoint's name is the model name, the rest may wrap at
        // spaces)
        List<String> names = reports.blocks(demo.id()).stream()
                .filter(b -> b.kind() == BlockKind.TABLE)
                .findFirst()
                .map(b -> reports.data(demo, b).table().lines().stream()
                        .map(l ->
                                checkpoints.find(l.checkpointId()).orElseThrow().name())
                        .toList())
                .orElseThrow();
        assertThat(names).isNotEmpty();
        List<String> lines = List.of(layout.split("\n"));
        for (String name : names) {
            assertThat(lines).as("a line with '" + name + "' whole:\n" + layout).anyMatch(l -> l.contains(name));
        }
        // and no table line is a lone letter (a name printed one letter per line)
        assertThat(lines).noneMatch(l -> l.strip().matches("\\p{L}"));
        assertThat(layout).contains(DemoReport.TITLE);

        // blocks flow: four blocks on fewer pages than blocks
        int pages;
        try (org.apache.pdfbox.pdmodel.PDDocument d = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            pages = d.getNumberOfPages();
        }
        assertThat(pages).isLessThan(reports.blocks(demo.id()).size());

        // every image at its true aspect ratio; the tiles (JPEG) at a readable size, not slivers
        List<Placed> placed = images(pdf);
        List<Placed> tilesPlaced = placed.stream().filter(Placed::tile).toList();
        assertThat(tilesPlaced).as("tiles in the PDF: " + placed).hasSizeGreaterThanOrEqualTo(4);
        for (Placed x : placed) {
            assertThat(x.height() / x.width())
                    .as("aspect of " + x)
                    .isCloseTo((double) x.pixelHeight() / x.pixelWidth(), org.assertj.core.api.Assertions.within(0.02));
        }
        for (Placed x : tilesPlaced) {
            assertThat(x.width()).as("tile width in points " + x).isGreaterThan(56); // 2 cm
        }

        // the raster: painted where the tiles are drawn; the first page and the gallery's page as screenshots
        int dpi = 72;
        run(dir, "pdftoppm", "-r", "" + dpi, "-png", "demo-report.pdf", "page");
        java.nio.file.Path shots = java.nio.file.Path.of("target", "screenshots");
        java.nio.file.Files.createDirectories(shots);
        int galleryPage = tilesPlaced.get(0).page();
        for (int pg : new java.util.TreeSet<>(List.of(0, galleryPage))) {
            java.nio.file.Path png;
            try (var list = java.nio.file.Files.list(dir)) {
                png = list.filter(f -> f.getFileName().toString().matches("page-0*" + (pg + 1) + "\\.png"))
                        .findFirst()
                        .orElseThrow();
            }
            java.nio.file.Files.copy(
                    png,
                    shots.resolve("report-demo-pdf-page" + (pg + 1) + ".png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            if (pg == galleryPage) {
                java.awt.image.BufferedImage raster = javax.imageio.ImageIO.read(png.toFile());
                for (Placed x : tilesPlaced.stream()
                        .filter(t -> t.page() == galleryPage)
                        .toList()) {
                    int cx = (int) Math.round(x.cx() * dpi / 72.0);
                    int cy = raster.getHeight() - (int) Math.round(x.cy() * dpi / 72.0);
                    long sum = 0;
                    int n = 0;
                    for (int dy = -8; dy <= 8; dy++) {
                        for (int dx = -8; dx <= 8; dx++) {
                            int rgb = raster.getRGB(cx + dx, cy + dy);
                            sum += ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
                            n += 3;
                        }
                    }
                    assertThat((double) sum / n)
                            .as("the raster is painted at the tile " + x)
                            .isLessThan(245);
                }
            }
        }
        browser.signOut();
    }
}
