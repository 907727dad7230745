package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.support.Browser;

/**
 * Real Chromium on the demo project: the two classical baselines (Reinhard, stain remap) are evaluated against the
 * demo CK7 dataset from the UI with a tiny random-weight ONNX extractor registered through the extractor form;
 * the job finishes, the page shows the comparison table (best per column marked, per-seed values on expand), the
 * chart, and both exports download.
 */
// an application of its own (the property makes a separate test context): this test counts what the demo project
// creates, which other browser tests sharing an application would add to
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "stainbench.test.application=evaluation")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationInBrowserIT {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    Catalog catalog;
    @Autowired
    Checkpoints checkpoints;
    @Autowired
    Evaluations evaluations;

    Browser browser;

    @BeforeAll
    void start() {
        Browser.require();
        accounts.createAccount("eva", Role.MEMBER, "member-password");
        browser = Browser.open(port);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    JavascriptExecutor js() {
        return (JavascriptExecutor) browser.driver;
    }

    @Test
    void baselinesAgainstTheDemoCk7FromTheUiWithTableChartAndExports() throws IOException {
        browser.signIn("eva", "member-password");
        browser.go("/datasets");
        // the demo upload is synchronous and can outlast the driver's 30 s command timeout on a busy machine:
        // submit the form from script and wait for the data instead
        js().executeScript("setTimeout(function () { document.getElementById('load-demo').click(); }, 0);");
        GeneratedFixtures.await("demo baselines", () -> checkpoints.all().size() >= 2);
        for (Checkpoint c : checkpoints.all()) {
            GeneratedFixtures.awaitGenerated(checkpoints, catalog, c.id());
        }

        // register the extractor through the form
        Path model = Files.createTempFile("random8-", ".onnx");
        try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
            Files.copy(in, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        browser.go("/evaluations/extractors");
        assertThat(browser.driver.findElements(By.id("fid-unknown"))).hasSize(1);
        WebElement form = browser.driver.findElement(By.id("new-extractor"));
        form.findElement(By.name("name")).sendKeys("random8");
        form.findElement(By.name("model")).sendKeys(model.toAbsolutePath().toString());
        set(form, "inputHeight", "16");
        set(form, "inputWidth", "16");
        new Select(form.findElement(By.name("filter"))).selectByValue("BILINEAR_ANTIALIAS");
        set(form, "outputDim", "8");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.waitFor(By.id("extractors"));
        assertThat(browser.driver.findElement(By.cssSelector(".flash")).getText()).contains("registered");

        // a small protocol, both baselines against the demo CK7 dataset
        browser.go("/evaluations");
        WebElement ev = browser.driver.findElement(By.id("new-evaluation"));
        ev.findElement(By.name("name")).sendKeys("baselines vs demo CK7");
        new Select(ev.findElement(By.name("realDataset"))).selectByVisibleText("Demo CK7 (synthetic)");
        List<WebElement> boxes = ev.findElements(By.cssSelector("input[name=sets]"));
        assertThat(boxes).hasSize(2);
        boxes.forEach(WebElement::click);
        set(ev, "tilesPerSide", "12");
        set(ev, "archives", "3");
        set(ev, "cropSize", "64");
        set(ev, "cropsPerTile", "2");
        set(ev, "seeds", "0-2");
        set(ev, "kidSubsets", "3");
        set(ev, "kidSubsetSize", "6");
        set(ev, "batchSize", "6");
        ev.findElement(By.id("start-evaluation")).click();
        browser.waitFor(By.id("eval-status"));
        assertThat(browser.path()).matches("/evaluations/\\d+");
        // the status polls; once the job is done the page reloads itself with the table
        browser.waiting(Duration.ofSeconds(240)).until(d -> !d.findElements(By.id("comparison")).isEmpty()
                || !d.findElements(By.id("eval-error")).isEmpty());
        assertThat(browser.driver.findElements(By.id("eval-error"))).isEmpty();
        // the page reloaded itself; open it once more so no late poll can replace what the test holds
        browser.go(browser.path());
        browser.waitFor(By.id("comparison"));
        assertThat(browser.driver.findElement(By.id("eval-state")).getText()).isEqualTo("done");

        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#comparison tr.comparison-row"));
        assertThat(rows).hasSize(2);
        assertThat(browser.driver.findElement(By.id("comparison")).getText()).contains("Reinhard (demo)").contains("Stain remap (demo)")
                .contains("n=3");
        int metrics = browser.driver.findElements(By.cssSelector("#comparison thead th[data-metric]")).size();
        assertThat(metrics).isEqualTo(Metric.values().length);
        // exactly one best per column (no ties expected between two different baselines on continuous metrics)
        assertThat(browser.driver.findElements(By.cssSelector("#comparison td.best mark")).size()).isBetween(metrics, 2 * metrics);
        // per-seed values on expand
        rows.get(0).findElement(By.cssSelector("details.seeds summary")).click();
        assertThat(rows.get(0).findElements(By.cssSelector("table.seed-values tbody tr"))).hasSize(3);
        // sorting by FID puts the lower mean first
        browser.driver.findElement(By.cssSelector("#comparison thead th[data-metric=fid]")).click();
        List<Double> fid = browser.driver.findElements(By.cssSelector("#comparison tr.comparison-row")).stream()
                .map(r -> Double.parseDouble(r.findElements(By.cssSelector(":scope > td")).get(2).getAttribute("data-value"))).toList();
        assertThat(fid.get(0)).isLessThanOrEqualTo(fid.get(1));

        // the chart: bars of the two means and one point per seed
        browser.waiting(Duration.ofSeconds(10)).until(d -> js().executeScript("return window.stainbenchEvaluationChart != null"));
        Long bars = (Long) js().executeScript("return window.stainbenchEvaluationChart.data.datasets[0].data.length");
        Long seedSets = (Long) js().executeScript("return window.stainbenchEvaluationChart.data.datasets.length - 1");
        assertThat(bars).isEqualTo(2);
        assertThat(seedSets).isEqualTo(3);
        new Select(browser.driver.findElement(By.id("chart-metric"))).selectByValue("crop_fid");
        assertThat((String) js().executeScript("return window.stainbenchEvaluationChart.data.datasets[0].label")).startsWith("CropFID");
        browser.screenshot("evaluation-baselines");

        // both exports
        String csv = fetch(browser.driver.findElement(By.id("export-csv")).getAttribute("href"));
        assertThat(csv.lines().filter(l -> !l.startsWith("#")).count()).isEqualTo(3);
        assertThat(csv).contains("fid_mean").contains("Reinhard (demo) on Demo H&E (synthetic)");
        String tex = fetch(browser.driver.findElement(By.id("export-tex")).getAttribute("href"));
        assertThat(tex).contains("\\begin{tabular}{l" + "c".repeat(metrics) + "}").contains("\\mathbf{").contains("over 3 seeds");
        assertThat(evaluations.count()).isEqualTo(1);
    }

    void set(WebElement form, String name, String value) {
        WebElement input = form.findElement(By.name(name));
        input.clear();
        input.sendKeys(value);
    }

    String fetch(String url) {
        return (String) js().executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "fetch(arguments[0]).then(function (r) { return r.ok ? r.text() : 'HTTP ' + r.status; }).then(done);", url);
    }
}
