package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.evaluation.Extractors;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobState;
import org.stainbench.support.Demo;
import org.stainbench.support.Waits;
import org.stainbench.support.WithBrowser;

/**
 * A member loads the demo project, launches the CPU colour-map training from its form on the demo data, watches the
 * loss chart grow while the run is live, sees the epoch checkpoints appear on the run page, asks for those epochs
 * to be evaluated ("Evaluate epochs …") and sees the evaluation plotted against epoch once generation and evaluation
 * have run by themselves.
 */
// an application of its own: its epochs' evaluation can be the first against the demo CK7, and the demo report
// is composed from the first (ReportsInBrowserIT checks the demo report on the demo's baselines)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "stainbench.test.application=cpu-training")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CpuTrainingInBrowserIT extends WithBrowser {

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    JobQueue jobs;

    @Autowired
    Extractors extractors;

    static final String HE = "Demo H&E (synthetic)";
    static final String CK7 = "Demo CK7 (synthetic)";

    @BeforeAll
    void createAccounts() {
        accounts.register("tess", null, Role.MEMBER, "member-password");
    }

    @Test
    void launchFromTheFormOnTheDemoDataAndEvaluateItsEpochs() {
        browser.signIn("tess", "member-password");
        Demo.load(browser, catalog);
        Waits.upTo(Duration.ofSeconds(300), "demo datasets ingested").until(() -> demoReady(HE) && demoReady(CK7));
        extractors.demo("tess");
        // real tissue alongside the synthetic demo: linked from the datasets page, its tiles render as images
        Waits.upTo(Duration.ofSeconds(300), "real-tissue datasets ingested")
                .until(() -> demoReady("Real tissue H&E (demo)") && demoReady("Real tissue IHC (demo)"));
        browser.go("/datasets");
        browser.driver.findElement(By.cssSelector("#real-tissue a")).click();
        browser.waitForPath("/datasets/\\d+/tiles");
        assertThat(browser.driver.findElement(By.id("match-count")).getText()).isEqualTo("12");
        browser.waiting(Duration.ofSeconds(30))
                .until(d -> ((Number) js().executeScript(
                                                "return Array.from(document.querySelectorAll('.tile-grid img')).filter(function (i) {"
                                                        + " return i.complete && i.naturalWidth > 0; }).length"))
                                .intValue()
                        == 12);
        browser.screenshot("demo-real-tissue-he");
        browser.go("/datasets");
        browser.driver.findElements(By.cssSelector("#real-tissue a")).get(1).click();
        browser.waitForPath("/datasets/\\d+/tiles");
        browser.waiting(Duration.ofSeconds(30))
                .until(d -> ((Number) js().executeScript(
                                                "return Array.from(document.querySelectorAll('.tile-grid img')).filter(function (i) {"
                                                        + " return i.complete && i.naturalWidth > 0; }).length"))
                                .intValue()
                        == 12);
        browser.screenshot("demo-real-tissue-ihc");

        browser.go("/runs");
        browser.driver.findElement(By.id("new-cpu-training")).click();
        new Select(browser.driver.findElement(By.id("sourceDatasetId"))).selectByVisibleText(HE);
        Select target = new Select(browser.driver.findElement(By.id("targetDatasetId")));
        target.getOptions().stream()
                .filter(o -> o.getText().startsWith(CK7 + " ·"))
                .findFirst()
                .orElseThrow()
                .click();
        new Select(browser.driver.findElement(By.id("split"))).selectByValue("all");
        set("epochs", "3");
        set("steps", "400");
        browser.driver.findElement(By.id("launch-cpu")).click();
        browser.waitForPath("/runs/.+");
        String runPath = browser.path();
        long jobId = Long.parseLong(
                browser.driver.findElement(By.id("run-job")).getText().substring(1));
        browser.waiting(Duration.ofSeconds(300))
                .until(d -> jobs.find(jobId).orElseThrow().state() == JobState.RUNNING
                        || jobs.find(jobId).orElseThrow().state().isFinal());
        assertThat(jobs.find(jobId).orElseThrow().state())
                .as("job " + jobs.find(jobId).orElseThrow().error())
                .isIn(JobState.RUNNING, JobState.SUCCEEDED);
        // the demo's own jobs (ingest, baselines) may still hold the embedded workers: the run waits its turn
        browser.waiting(Duration.ofSeconds(300))
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#charts canvas[data-metric='loss']")));
        long first = points();
        browser.waiting(Duration.ofSeconds(120)).until(d -> points() > first);
        browser.screenshot("cpu-training-live");
        // state, progress and epoch checkpoints follow the run without reloading the page (htmx)
        browser.waiting(Duration.ofSeconds(240))
                .until(d -> browser.driver
                                .findElements(By.cssSelector("#run-checkpoints tr[data-epoch]"))
                                .size()
                        >= 1);
        browser.waiting(Duration.ofSeconds(240)).until(d -> browser.driver
                .findElement(By.id("run-status"))
                .getText()
                .equals("FINISHED"));
        browser.waiting(Duration.ofSeconds(30))
                .until(d -> browser.driver
                                .findElements(By.cssSelector("#run-checkpoints tr[data-epoch]"))
                                .size()
                        == 3);
        // the "Evaluate epochs" form arrived without a reload too, with every epoch to choose from
        browser.waiting(Duration.ofSeconds(30))
                .until(d -> !d.findElements(By.id("evaluate-epochs-open")).isEmpty()
                        && d.findElements(By.cssSelector("#evaluate-epochs input[name=epochs]"))
                                        .size()
                                == 3);
        browser.driver.navigate().refresh();
        assertThat(browser.driver.findElements(By.cssSelector("#run-checkpoints tr[data-epoch]")))
                .hasSize(3);
        assertThat(browser.driver.findElement(By.id("params")).getText()).contains("sliced Wasserstein");
        assertThat(browser.driver.findElement(By.id("run-progress")).getText()).contains("1200 / 1200 steps");
        browser.waitFor(By.cssSelector("#run-log pre.log"));
        assertThat(browser.driver
                        .findElement(By.cssSelector("#run-log pre.log"))
                        .getText())
                .contains("epoch 3: mean loss");
        browser.screenshot("cpu-training-done");

        // evaluate the three epochs: generation of each on the demo H&E, then one evaluation against the demo CK7
        assertThat(browser.driver.findElements(By.id("no-epoch-evaluations"))).hasSize(1);
        browser.driver.findElement(By.id("evaluate-epochs-open")).click();
        var form = browser.driver.findElement(By.id("evaluate-epochs"));
        assertThat(form.findElements(By.cssSelector("input[name=epochs]:checked")))
                .hasSize(3);
        assertThat(new Select(form.findElement(By.id("epoch-source")))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo(HE);
        assertThat(new Select(form.findElement(By.id("epoch-real")))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo(CK7);
        var seeds = form.findElement(By.name("seeds"));
        seeds.clear();
        seeds.sendKeys("0-2");
        form.findElement(By.id("evaluate-epochs-submit")).click();
        // the form posts and redirects back to the section; the click returns before the new page has loaded
        browser.waitForPath(java.util.regex.Pattern.quote(runPath + "#epoch-section"));
        browser.waitFor(By.cssSelector(".flash"));
        assertThat(browser.driver.findElement(By.cssSelector(".flash")).getText())
                .contains("epochs 1, 2, 3 requested");
        assertThat(browser.driver.findElements(By.cssSelector("#epoch-requests tr[data-state]")))
                .hasSize(1);
        // the section refreshes itself (htmx) until the evaluation is plotted: three epochs on the chart
        browser.waiting(Duration.ofSeconds(600))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#epoch-chart[data-points='3']")));
        assertThat(browser.driver
                        .findElement(By.cssSelector("#epoch-requests tr[data-state]"))
                        .getAttribute("data-state"))
                .isEqualTo("LAUNCHED");
        Object xs = js().executeScript("var c = Chart.getChart(document.getElementById('epoch-chart'));"
                + "var d = c.data.datasets.filter(function (x) { return !x.band; })[0];"
                + "return d.data.map(function (p) { return p.x; }).join(',') + ';' + c.options.scales.y.title.text;");
        assertThat(xs.toString()).startsWith("1,2,3;FID (mean ± std over seeds)");
        browser.screenshot("cpu-training-epochs");
        // the tile scrubber: the same tiles as each epoch generated them, stepped with the arrow keys
        browser.go(runPath);
        browser.waitFor(By.id("tile-scrubber"));
        assertThat(browser.driver.findElement(By.id("scrubber-label")).getText())
                .startsWith("3 ·");
        String at3 = scrubbed();
        var section = browser.driver.findElement(By.id("tile-scrubber"));
        js().executeScript("arguments[0].scrollIntoView(); arguments[0].focus();", section);
        new org.openqa.selenium.interactions.Actions(browser.driver)
                .sendKeys(org.openqa.selenium.Keys.ARROW_LEFT)
                .perform();
        browser.waiting(Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("scrubber-label")).getText().startsWith("2 ·"));
        String at2 = scrubbed();
        assertThat(at2).isNotEqualTo(at3);
        browser.waiting(Duration.ofSeconds(20))
                .until(d -> ((Number) js().executeScript(
                                                "return Array.from(document.querySelectorAll('#tile-scrubber img')).filter(function (i) {"
                                                        + " return i.complete && i.naturalWidth > 0; }).length"))
                                .intValue()
                        == 2
                                * browser.driver
                                        .findElements(By.cssSelector("#tile-scrubber img.scrubber-tile"))
                                        .size());
        browser.screenshot("run-tile-scrubber-epoch2");
        new org.openqa.selenium.interactions.Actions(browser.driver)
                .sendKeys(org.openqa.selenium.Keys.ARROW_LEFT)
                .perform();
        browser.waiting(Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("scrubber-label")).getText().startsWith("1 ·"));
        new org.openqa.selenium.interactions.Actions(browser.driver)
                .sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT)
                .perform();
        browser.waiting(Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("scrubber-label")).getText().startsWith("2 ·"));
        assertThat(scrubbed()).isEqualTo(at2);
        // the run compared with itself shows its evaluated epochs' metrics under their protocol
        String uuid = runPath.substring(runPath.lastIndexOf('/') + 1);
        browser.go("/runs/compare?run=" + uuid);
        browser.waitFor(By.cssSelector(".eval-table"));
        assertThat(browser.driver.findElements(By.cssSelector(".eval-table tbody tr[data-epoch]")))
                .hasSize(3);
        assertThat(browser.driver
                        .findElement(By.cssSelector(".eval-table thead"))
                        .getText())
                .contains("FID");
        assertThat(browser.driver
                        .findElement(By.cssSelector(".eval-table tbody tr[data-epoch='1'] td[data-metric='fid']"))
                        .getText())
                .matches("[0-9.e+-]+( ± .*)?");
        js().executeScript("document.getElementById('evaluation-heading').scrollIntoView();");
        browser.screenshot("runs-compare-evaluations");
        browser.go(runPath);
        // the chart's source is one click away
        browser.driver.findElement(By.cssSelector("a.epoch-evaluation")).click();
        browser.waitForPath("/evaluations/\\d+");
        browser.signOut();
    }

    /** The src of every generated tile the scrubber shows now. */
    private String scrubbed() {
        return browser.driver.findElements(By.cssSelector("#tile-scrubber img.scrubber-tile")).stream()
                .map(i -> i.getAttribute("src"))
                .toList()
                .toString();
    }

    private boolean demoReady(String name) {
        return catalog.datasets().stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .map(d -> !catalog.archives(d.id()).isEmpty()
                        && catalog.archives(d.id()).stream().allMatch(a -> a.status() == ArchiveStatus.READY))
                .orElse(false);
    }

    private long points() {
        Object n = js().executeScript(
                        "var c = Chart.getChart(document.querySelector(\"#charts canvas[data-metric='loss']\"));"
                                + "return c ? c.data.datasets[0].data.length : 0;");
        return ((Number) n).longValue();
    }

    private void set(String id, String value) {
        var e = browser.driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }
}
