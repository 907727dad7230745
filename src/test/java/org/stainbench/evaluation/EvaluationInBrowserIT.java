package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.support.Demo;
import org.stainbench.support.DemoApplicationTest;
import org.stainbench.support.WithBrowser;

/**
 * Real Chromium on the demo project: the two classical baselines (Reinhard, stain remap) are evaluated against the
 * demo CK7 dataset from the UI with a tiny random-weight ONNX extractor registered through the extractor form;
 * the job finishes, the page shows the comparison table (best per column marked, per-seed values on expand), the
 * chart, and both exports download.
 */
// the demo application shared by the demo browser tests (one Spring context, one demo load); counts relative to what
// it finds
@DemoApplicationTest
class EvaluationInBrowserIT extends WithBrowser {

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Evaluations evaluations;

    @BeforeAll
    void createAccounts() {
        accounts.createAccount("eva", Role.MEMBER, "member-password");
    }

    @Test
    void baselinesAgainstTheDemoCk7FromTheUiWithTableChartAndExports() {
        browser.signIn("eva", "member-password");
        Demo.load(browser, catalog);
        Demo.awaitGenerated(checkpoints, catalog, "demo baselines", 2);

        // register the extractor through the form
        browser.go("/evaluations/extractors");
        assertThat(browser.driver.findElements(By.id("fid-unknown"))).hasSize(1);
        Demo.registerExtractor(browser, "random8");
        assertThat(browser.driver.findElement(By.cssSelector(".flash")).getText())
                .contains("registered");

        // a small protocol, both baselines against the demo CK7 dataset
        long evaluationsBefore = evaluations.count();
        List<String> offered = Demo.startEvaluation(browser, "baselines vs demo CK7", Demo::isDemoBaselineSet);
        // the form offers every ready set (but those on the real tissue): the demo's two baselines, and what other
        // tests sharing the application generated
        assertThat(offered.stream().filter(Demo::isDemoBaselineSet)).hasSize(2);
        assertThat(offered)
                .containsExactlyInAnyOrderElementsOf(evaluations.readySets().values().stream()
                        .filter(l -> !l.contains(" on Real tissue"))
                        .toList());
        assertThat(browser.path()).matches("/evaluations/\\d+");
        // the status polls; once the job is done the page reloads itself with the table
        browser.waiting(Duration.ofSeconds(240))
                .until(d -> !d.findElements(By.id("comparison")).isEmpty()
                        || !d.findElements(By.id("eval-error")).isEmpty());
        assertThat(browser.driver.findElements(By.id("eval-error"))).isEmpty();
        // the page reloaded itself; open it once more so no late poll can replace what the test holds
        browser.go(browser.path());
        browser.waitFor(By.id("comparison"));
        assertThat(browser.driver.findElement(By.id("eval-state")).getText()).isEqualTo("done");

        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#comparison tr.comparison-row"));
        assertThat(rows).hasSize(2);
        assertThat(browser.driver.findElement(By.id("comparison")).getText())
                .contains("Reinhard (demo)")
                .contains("Stain remap (demo)")
                .contains("n=3");
        int metrics = browser.driver
                .findElements(By.cssSelector("#comparison thead th[data-metric]"))
                .size();
        assertThat(metrics).isEqualTo(Metric.values().length);
        // at least one best per ranked column (every tied row marked); the dispersion column (KID std) never
        assertThat(browser.driver
                        .findElements(By.cssSelector("#comparison td.best mark"))
                        .size())
                .isBetween(metrics - 1, 2 * (metrics - 1));
        assertThat(browser.driver.findElements(By.cssSelector("#comparison td.best[data-metric-key=kid_std]")))
                .isEmpty();
        // FID uses every tile whatever the seed: one value marked seed-invariant (explained in its title), never "±
        // 0.0000"
        assertThat(browser.driver.findElements(By.cssSelector("#comparison .seed-invariant")))
                .isNotEmpty();
        assertThat(browser.driver.findElement(By.id("comparison")).getText()).doesNotContain("± 0.0000");
        assertThat(browser.driver.findElement(By.id("kid-note")).getText()).contains("not better than perfect");
        // per-seed values on expand: rows of the table under the metric columns, the metrics staying on screen
        String subject = rows.get(0).getAttribute("data-subject");
        String seedRows = "#comparison tr.seed-row[data-seed-of='" + subject + "']";
        assertThat(browser.driver.findElements(By.cssSelector(seedRows)).stream()
                        .filter(WebElement::isDisplayed))
                .isEmpty();
        long modelWidth = ((Number)
                        js().executeScript("return arguments[0].cells[1].getBoundingClientRect().width", rows.get(0)))
                .longValue();
        rows.get(0).findElement(By.cssSelector("details.seeds summary")).click();
        browser.waiting(Duration.ofSeconds(5))
                .until(d -> d.findElements(By.cssSelector(seedRows)).stream().allMatch(WebElement::isDisplayed));
        List<WebElement> seeds = browser.driver.findElements(By.cssSelector(seedRows));
        assertThat(seeds).hasSize(3).allMatch(WebElement::isDisplayed);
        assertThat(seeds.get(0).findElements(By.cssSelector("td[data-metric-key]")))
                .hasSize(metrics);
        assertThat(((Number) js().executeScript(
                                        "return arguments[0].cells[1].getBoundingClientRect().width", rows.get(0)))
                        .longValue())
                .as("the Model column keeps its width")
                .isBetween(modelWidth - 20, modelWidth + 20);
        assertThat((Boolean) js().executeScript(
                                "var de = document.documentElement; return de.scrollWidth <= de.clientWidth;"))
                .as("the expanded table does not widen the page")
                .isTrue();
        browser.screenshot("evaluation-per-seed-rows");
        // sorting by FID puts the lower mean first
        browser.driver
                .findElement(By.cssSelector("#comparison thead th[data-metric=fid]"))
                .click();
        List<Double> fid = browser.driver.findElements(By.cssSelector("#comparison tr.comparison-row")).stream()
                .map(r -> Double.parseDouble(
                        r.findElements(By.cssSelector(":scope > td")).get(2).getAttribute("data-value")))
                .toList();
        assertThat(fid.get(0)).isLessThanOrEqualTo(fid.get(1));

        // the chart: bars of the two means and one point per seed
        browser.waiting(Duration.ofSeconds(10))
                .until(d -> js().executeScript("return window.stainbenchEvaluationChart != null"));
        Long bars = (Long) js().executeScript("return window.stainbenchEvaluationChart.data.datasets[0].data.length");
        Long seedSets = (Long) js().executeScript("return window.stainbenchEvaluationChart.data.datasets.length - 1");
        assertThat(bars).isEqualTo(2);
        assertThat(seedSets).isEqualTo(3);
        new Select(browser.driver.findElement(By.id("chart-metric"))).selectByValue("crop_fid");
        assertThat((String) js().executeScript("return window.stainbenchEvaluationChart.data.datasets[0].label"))
                .startsWith("CropFID");
        browser.screenshot("evaluation-baselines");

        // both exports
        String csv = fetch(browser.driver.findElement(By.id("export-csv")).getAttribute("href"));
        assertThat(csv.lines().filter(l -> !l.startsWith("#")).count()).isEqualTo(3);
        assertThat(csv).contains("fid_mean").contains("Reinhard (demo) on Demo H&E (synthetic)");
        String tex = fetch(browser.driver.findElement(By.id("export-tex")).getAttribute("href"));
        assertThat(tex)
                .contains("\\begin{tabular}{l" + "c".repeat(metrics) + "}")
                .contains("\\mathbf{")
                .contains("over 3 seeds");
        assertThat(evaluations.count()).isEqualTo(evaluationsBefore + 1);
    }

    String fetch(String url) {
        return (String) js().executeAsyncScript(
                        "var done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(function (r) { return r.ok ? r.text() : 'HTTP ' + r.status; }).then(done);",
                        url);
    }
}
