package org.stainbench.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Extractors;
import org.stainbench.evaluation.Protocol;
import org.stainbench.review.ReviewSummaries;
import org.stainbench.support.Browser;
import org.stainbench.support.Demo;
import org.stainbench.support.WithBrowser;

/**
 * The supervisor's acceptance test of issue 10. Real Chromium on the demo project: a member loads the demo (datasets, two baselines, a CPU training run of four
 * epochs, each applied to the demo H&amp;E, and the demo's evaluation of those epochs against the demo CK7 dataset) and
 * then evaluates the two baselines against the demo CK7 dataset from the form. A supervisor signs in, lands on the dashboard, sees the best checkpoint and the charts drawn, follows
 * the best figure to its evaluation page, searches from the navigation box with live results, opens the demo report
 * and downloads its PDF (a PDF with the report's title and the comparison table's rows), and finds no form or
 * button on the pages visited that would change anything (the logout form aside).
 */
// an application of its own: the test counts what the demo project creates, with the demo's CPU training run on
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"stainbench.test.application=dashboard", "stainbench.demo.training=true"})
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardInBrowserIT extends WithBrowser {

    static final String DEMO_REPORT = "Demo: how close to CK7?";

    /** Baselines (2) and the demo run's epochs (4). */
    static final int DEMO_CHECKPOINTS = 6;
    /** The demo's review session (created once the demo's evaluation finished; DemoAgreementInBrowserIT answers it). */
    static final String DEMO_SESSION = "Demo: which tile is real?";

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Extractors extractors;

    @Autowired
    Evaluations evaluations;

    @Autowired
    ReviewSummaries reviewSummaries;

    @BeforeAll
    void createAccounts() {
        accounts.createAccount("dora", Role.MEMBER, "member-password");
        accounts.createAccount("sven", Role.SUPERVISOR, "supervisor-password");
    }

    @Test
    void aSupervisorReadsTheDashboardFollowsAFigureAndSearches() {
        // the member's part: the demo project and two evaluations of it
        browser.signIn("dora", "member-password");
        Demo.load(browser, catalog);
        Demo.awaitGenerated(checkpoints, catalog, "demo checkpoints", DEMO_CHECKPOINTS);
        // the demo evaluates its run's epochs itself (with its random-weight extractor); then the member evaluates the
        // baselines, which finishes later
        GeneratedFixtures.await(
                "the demo's epoch evaluation", () -> !evaluations.finished().isEmpty());
        GeneratedFixtures.await("the demo's review session", () -> reviewSummaries.latest(50).stream()
                .anyMatch(s -> s.name().equals(DEMO_SESSION)));
        Evaluation demo = evaluations.finished().get(0);
        int epochs = evaluations
                .comparison(demo.id())
                .epochRuns()
                .values()
                .iterator()
                .next()
                .size();
        extractors.demo("dora");
        // under the demo evaluation's protocol (same fingerprint), so the dashboard ranks the two together
        evaluate(
                "baselines vs demo CK7",
                List.of("Reinhard (demo)", "Stain remap (demo)"),
                Protocol.parse(demo.protocol()));
        assertThat(evaluations.finished()).hasSize(2);
        // the member freezes the demo report: the supervisor's latest frozen report
        browser.go("/reports");
        browser.driver.findElement(By.linkText(DEMO_REPORT)).click();
        browser.waitFor(By.id("freeze-confirm"));
        browser.driver.findElement(By.id("freeze-confirm")).click();
        browser.driver.findElement(By.id("freeze")).click();
        browser.waiting(Duration.ofSeconds(10))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent())
                .accept();
        browser.waiting(Duration.ofSeconds(60))
                .until(d -> !d.findElements(By.id("frozen-badge")).isEmpty());
        browser.go("/datasets"); // leave the evaluation page, which polls and reloads itself
        browser.signOut();

        // every demo checkpoint is applied to the real-tissue H&E too (issue 18): the strip shows the best one's set
        // there
        Demo.awaitGenerated(
                checkpoints,
                catalog,
                "demo checkpoints on real tissue",
                () -> checkpoints.all().stream()
                        .filter(c -> checkpoints.sets(c.id()).stream()
                                .anyMatch(g -> catalog.dataset(g.sourceDatasetId())
                                        .map(d -> d.name().equals("Real tissue H&E (demo)"))
                                        .orElse(false)))
                        .toList(),
                n -> n >= DEMO_CHECKPOINTS);

        // the supervisor's part
        browser.signIn("sven", "supervisor-password");
        assertThat(browser.path()).isEqualTo("/dashboard");
        WebElement stain = browser.driver.findElement(By.cssSelector("article.stain[data-target='CK7']"));
        String best = stain.findElement(By.cssSelector(".best-checkpoint")).getText();
        assertThat(checkpoints.all().stream().map(Checkpoint::name)).contains(best);
        assertThat(stain.getText())
                .contains("2 finished evaluations")
                .contains("FID")
                .contains("±")
                .contains("seed-invariant");
        // the charts are drawn with data: two best-so-far steps, one run with its four epochs, and no GPU job (CPU
        // demo)
        browser.waiting(Duration.ofSeconds(10))
                .until(d -> js().executeScript("return window.stainbenchDashboard != null"));
        assertThat(browser.driver.findElements(By.cssSelector("canvas.best-chart")))
                .hasSize(1);
        assertThat(((Number) js().executeScript(
                                        "return window.stainbenchDashboard.best[0].data.datasets[0].data.length"))
                        .intValue())
                .isEqualTo(2);
        assertThat(((Number) js().executeScript("return window.stainbenchDashboard.epochs[0].data.datasets.length"))
                        .intValue())
                .isEqualTo(1);
        assertThat(((Number) js().executeScript(
                                        "return window.stainbenchDashboard.epochs[0].data.datasets[0].data.length"))
                        .intValue())
                .isEqualTo(epochs);
        assertThat(browser.driver.findElement(By.id("no-gpu-use")).getText()).contains("No job with GPUs ran");
        // the demo's review session is listed (answered or not: DemoAgreementInBrowserIT shares this application)
        assertThat(browser.driver.findElement(By.id("reviews")).getText()).contains(DEMO_SESSION);
        assertNothingChangesAnything();
        assertMorningBoard(best, epochs);
        browser.screenshot("dashboard");
        js().executeScript("document.getElementById('best-chart-0').scrollIntoView();");
        browser.screenshot("dashboard-charts");
        js().executeScript("window.scrollTo(0, 0);");

        // a figure leads to the evaluation it comes from
        String value = stain.findElement(By.cssSelector(".best-value strong")).getText();
        stain.findElement(By.cssSelector("a.best-value")).click();
        browser.waitFor(By.id("comparison"));
        assertThat(browser.path()).matches("/evaluations/\\d+");
        assertThat(browser.driver.findElement(By.id("comparison")).getText())
                .contains(best)
                .contains(value);
        assertNothingChangesAnything();

        // the search box: "/" focuses it, typing shows live results, Enter opens the full page
        browser.go("/dashboard");
        new org.openqa.selenium.interactions.Actions(browser.driver)
                .sendKeys("/")
                .perform();
        WebElement box = browser.driver.switchTo().activeElement();
        assertThat(box.getAttribute("id")).isEqualTo("search-input");
        box.sendKeys("demo ck7");
        browser.waiting(Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector("#search-live .search-hit"))
                .isEmpty());
        assertThat(browser.driver.findElement(By.id("search-live")).getText()).contains("Demo CK7 (synthetic)");
        assertThat(browser.path()).isEqualTo("/dashboard");
        browser.driver.findElement(By.id("search-input")).sendKeys(Keys.ENTER);
        browser.waiting(Duration.ofSeconds(10)).until(d -> browser.path().startsWith("/search?"));
        browser.waitFor(By.cssSelector("section #search-results"));
        assertThat(browser.driver
                        .findElement(By.cssSelector("section #search-results [data-kind='datasets']"))
                        .getText())
                .contains("Demo CK7 (synthetic)");
        assertNothingChangesAnything();
        browser.driver
                .findElement(By.cssSelector("section #search-results [data-kind='datasets'] a"))
                .click();
        browser.waitForPath("/datasets/\\d+");

        // the demo report (composed when the demo's evaluation finished): read it, nothing to change, its PDF
        browser.go("/reports");
        assertNothingChangesAnything();
        browser.driver.findElement(By.linkText(DEMO_REPORT)).click();
        browser.waitFor(By.id("download-pdf"));
        assertThat(browser.path()).matches("/reports/\\d+");
        assertNothingChangesAnything();
        String page = browser.driver.findElement(By.tagName("section")).getText();
        String pdf = Browser.pdfText(browser.download(
                browser.driver.findElement(By.id("download-pdf")).getAttribute("href")));
        assertThat(pdf).contains(DEMO_REPORT).contains("FID");
        // the comparison table's rows: every checkpoint the demo evaluation compared, on the page and in the PDF
        for (var s : evaluations.subjects(demo.id())) {
            assertThat(page).contains(s.label());
            // a cell may wrap anywhere in the PDF's text: compare without white space
            assertThat(pdf.replaceAll("\\s+", "")).contains(s.label().replaceAll("\\s+", ""));
        }
        browser.screenshot("dashboard-report");
        browser.signOut();
    }

    /**
     * Issue 18: the sections a supervisor reads every morning, each with its images loaded: what changed since the
     * last visit (here the first: the last 7 days), the latest frozen report, running and queued work, per stain the
     * leaderboard of every evaluated checkpoint (the demo's two classical baselines as dashed reference lines, the
     * colour-map epochs as ranked bars) and the best checkpoint's tiles beside their H&amp;E sources and real CK7
     * tiles, and the review trend; the GPU part is one line when no GPU ran.
     */
    void assertMorningBoard(String best, int epochs) {
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 900));
        WebElement changes = browser.driver.findElement(By.id("changes"));
        assertThat(changes.getText())
                .contains("The last 7 days")
                .contains("finished")
                .contains(DEMO_REPORT);
        assertThat(browser.driver
                        .findElement(By.cssSelector("#latest-report a.latest-report-link"))
                        .getText())
                .isEqualTo(DEMO_REPORT);
        assertThat(browser.driver.findElement(By.id("work-now")).getText())
                .contains("running")
                .contains("queued");
        WebElement stain = browser.driver.findElement(By.cssSelector("article.stain[data-target='CK7']"));
        WebElement board = stain.findElement(By.cssSelector("section.leaderboard"));
        assertThat(board.findElements(By.cssSelector("g.lb-reference"))).hasSize(2);
        assertThat(board.findElements(By.cssSelector("g.lb-line"))).hasSize(epochs);
        assertThat(board.findElements(By.cssSelector("g.lb-reference a")))
                .allSatisfy(a -> assertThat(a.getDomAttribute("href")).matches("/evaluations/\\d+"));
        WebElement strip = stain.findElement(By.cssSelector("section.tile-strip"));
        assertThat(strip.getText())
                .contains(best)
                .contains("Real tissue H&E (demo)")
                .contains("Demo CK7");
        for (String kind : List.of("source-tile", "generated-tile", "real-tile")) {
            assertThat(strip.findElements(By.cssSelector("img." + kind)))
                    .as(kind)
                    .isNotEmpty();
        }
        assertThat(browser.driver.findElements(By.id("review-trend"))).hasSize(1);
        // no GPU use and no node: one line, not two paragraphs of empty-state text
        assertThat(browser.driver.findElement(By.id("no-gpu-use")).getText()).contains("no node agent has registered");
        assertThat(browser.driver.findElement(By.tagName("section")).getText())
                .doesNotContain("An admin issues a node token");
        // every image on the page loads
        List<WebElement> images = browser.driver.findElements(By.cssSelector("section#dashboard img"));
        assertThat(images).hasSizeGreaterThanOrEqualTo(3);
        for (WebElement img : images) {
            js().executeScript("arguments[0].scrollIntoView()", img);
            browser.waiting(Duration.ofSeconds(20)).until(d ->
                    (Boolean) js().executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img));
        }
        js().executeScript("window.scrollTo(0, 0);");
        browser.screenshot("dashboard-supervisor");
        js().executeScript("arguments[0].scrollIntoView();", board);
        browser.screenshot("dashboard-leaderboard-strip");
        js().executeScript("window.scrollTo(0, 0);");
    }

    /** As the member: an evaluation of the named sets (all ready sets when none named) against the demo CK7, to its end. */
    void evaluate(String name, List<String> checkpointNames, Protocol protocol) {
        Demo.startEvaluation(
                browser,
                name,
                label -> checkpointNames.isEmpty() || checkpointNames.stream().anyMatch(label::contains),
                protocol);
        long id = Long.parseLong(browser.path().replaceAll(".*/", ""));
        GeneratedFixtures.await("evaluation " + name, () -> List.of("DONE", "FAILED")
                .contains(evaluations.find(id).orElseThrow().status()));
        assertThat(evaluations.find(id).orElseThrow().status())
                .as(evaluations.find(id).orElseThrow().error())
                .isEqualTo("DONE");
    }

    /** No form that posts (but the logout), and no htmx attribute that would send a change. */
    void assertNothingChangesAnything() {
        @SuppressWarnings("unchecked")
        List<String> posting = (List<String>)
                js().executeScript("return Array.from(document.querySelectorAll('form')).filter(function (f) {"
                        + " return (f.getAttribute('method') || 'get').toLowerCase() !== 'get'; })"
                        + ".map(function (f) { return f.getAttribute('action'); });");
        assertThat(posting).as("forms that post on " + browser.path()).containsExactly("/logout");
        Number htmx = (Number) js().executeScript(
                        "return document.querySelectorAll('[hx-post],[hx-put],[hx-patch],[hx-delete]').length;");
        assertThat(htmx.intValue()).as("htmx changes on " + browser.path()).isZero();
        @SuppressWarnings("unchecked")
        List<String> buttons = (List<String>)
                js().executeScript("return Array.from(document.querySelectorAll('button, input[type=submit]'))"
                        + ".filter(function (b) { return !b.form || b.form.getAttribute('action') !== '/logout'; })"
                        + ".filter(function (b) { return b.offsetParent !== null; })"
                        + ".map(function (b) { return b.outerHTML; });");
        assertThat(buttons).as("buttons on " + browser.path()).isEmpty();
    }
}
