package org.stainbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.support.Browser;
import org.stainbench.support.Demo;
import org.stainbench.support.WithBrowser;

/**
 * Real Chromium on the demo project: once an evaluation of the two baselines against the demo CK7 finishes (started from
 * the evaluation form with a tiny ONNX extractor), the demo report exists. A member composes a report with a text, a
 * table and a chart block through the htmx forms, moves a block, freezes it (confirmed) and downloads its PDF through
 * the page's link; a supervisor opens the demo report, finds no control that changes anything, and its PDF holds the
 * title and the table.
 */
// the demo application shared by the browser tests that need only the demo's datasets and baselines (evaluation,
// reports, review: same properties, so one Spring context and one demo load); each counts relative to what it finds
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "stainbench.test.application=demo")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsInBrowserIT extends WithBrowser {

    @Autowired
    Accounts accounts;
    @Autowired
    Catalog catalog;
    @Autowired
    Checkpoints checkpoints;
    @Autowired
    Reports reports;

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

    void waitForBlocks(int n) {
        browser.waiting(Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("#blocks article.report-block")).size() == n);
    }

    @Test
    void aMemberComposesAndFreezesAReportAndASupervisorReadsTheDemoReport() {
        browser.signIn("rb-mem", "member-password");
        Demo.load(browser, catalog);
        Demo.awaitGenerated(checkpoints, catalog, "demo baselines", 2);

        // the demo evaluation: both baselines against the demo CK7 with a tiny extractor, from the forms
        browser.go("/evaluations/extractors");
        Demo.registerExtractor(browser, "random8 (reports)");
        Demo.startEvaluation(browser, "demo baselines vs CK7", label -> true);
        GeneratedFixtures.await("the demo report", () -> reports.byTitle(DemoReport.TITLE).isPresent());
        Report demo = reports.byTitle(DemoReport.TITLE).orElseThrow();
        assertThat(reports.blocks(demo.id())).extracting(Block::kind)
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
        new Select(chart.findElement(By.name("metrics"))).selectByValue("fid");
        chart.findElement(By.id("add-chart-button")).click();
        waitForBlocks(3);
        // htmx swapped the blocks in place: the page did not reload
        assertThat(browser.path()).isEqualTo(path);
        assertThat(browser.driver.findElement(By.cssSelector("#blocks .flash.ok")).getText()).isEqualTo("Chart block added.");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("article[data-kind=table] tr.report-row"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getText() + rows.get(1).getText()).contains("Reinhard (demo)").contains("Stain remap (demo)");
        WebElement img = browser.driver.findElement(By.cssSelector("article[data-kind=chart] img.chart"));
        browser.waiting(Duration.ofSeconds(10)).until(d -> (Boolean) js().executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", img));
        // move the chart above the table
        browser.driver.findElements(By.cssSelector("article[data-kind=chart] button.move-up")).get(0).click();
        browser.waiting(Duration.ofSeconds(15)).until(d -> d.findElements(By.cssSelector("#blocks article.report-block")).get(1)
                .getAttribute("data-kind").equals("chart"));

        // freeze, confirmed
        browser.driver.findElement(By.id("freeze-confirm")).click();
        browser.driver.findElement(By.id("freeze")).click();
        browser.waiting(Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
        browser.waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("frozen-badge")).isEmpty());
        assertThat(browser.driver.findElement(By.id("frozen-badge")).getText()).startsWith("frozen at").contains("rb-mem");
        assertThat(browser.driver.findElements(By.id("add-blocks"))).isEmpty();
        // the frozen chart is drawn from the snapshot
        WebElement frozenChart = browser.driver.findElement(By.cssSelector("article[data-kind=chart] img.chart"));
        browser.waiting(Duration.ofSeconds(15)).until(d -> (Boolean) js().executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", frozenChart));
        js().executeScript("window.scrollTo(0, 0)");
        browser.screenshot("report");

        // clicking "Download PDF" shows the rendering state while the server prints, then says the PDF is ready
        js().executeScript("window.__pdfStates = []; var s = document.getElementById('pdf-state');"
                + "new MutationObserver(function () { window.__pdfStates.push(s.hidden ? '' : s.textContent); })"
                + ".observe(s, {childList: true, characterData: true, subtree: true, attributes: true});");
        browser.driver.findElement(By.id("download-pdf")).click();
        browser.waiting(Duration.ofSeconds(60)).until(d -> d.findElement(By.id("pdf-state")).getText().startsWith("PDF ready"));
        @SuppressWarnings("unchecked")
        List<Object> states = (List<Object>) js().executeScript("return window.__pdfStates");
        assertThat(states).anySatisfy(s -> assertThat(s.toString()).startsWith("Rendering the PDF"));
        assertThat(browser.driver.findElement(By.id("download-pdf")).getAttribute("aria-busy")).isNull();

        // the PDF through the page's link
        String pdfLink = browser.driver.findElement(By.id("download-pdf")).getAttribute("href");
        String text = pdfText(download(pdfLink));
        assertThat(text).contains("Browser report: baselines").contains("Reinhard (demo)").contains("Stain remap (demo)")
                .contains("frozen at");
        browser.signOut();

        // a supervisor opens the demo report: the blocks, no control that changes anything, the PDF
        browser.signIn("rb-sup", "supervisor-password");
        browser.go("/reports");
        assertThat(browser.driver.findElements(By.id("new-report"))).isEmpty();
        browser.driver.findElement(By.linkText(DemoReport.TITLE)).click();
        browser.waitFor(By.id("report-title"));
        assertThat(browser.driver.findElements(By.cssSelector("#blocks article.report-block")).stream()
                .map(a -> a.getAttribute("data-kind")).toList()).containsExactly("text", "table", "chart", "gallery");
        assertThat(browser.driver.findElements(By.cssSelector("article[data-kind=gallery] img"))).isNotEmpty();
        // forms that send something (the navigation's search box only reads)
        List<WebElement> forms = browser.driver.findElements(By.cssSelector("form")).stream()
                .filter(f -> !"get".equalsIgnoreCase(f.getAttribute("method"))).toList();
        assertThat(forms).isNotEmpty().allMatch(f -> f.getAttribute("action").endsWith("/logout"));
        assertThat(browser.driver.findElements(By.cssSelector("[hx-post], [hx-delete], [hx-put]"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("button")).stream().map(b -> b.getAttribute("id")).toList())
                .containsExactly("logout");
        String demoText = pdfText(download(browser.driver.findElement(By.id("download-pdf")).getAttribute("href")));
        assertThat(demoText).contains(DemoReport.TITLE).contains("Reinhard (demo)").contains("Stain remap (demo)").contains("FID");
    }
}
