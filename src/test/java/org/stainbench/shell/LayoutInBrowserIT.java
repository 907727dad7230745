package org.stainbench.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
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
import org.stainbench.evaluation.Evaluations;
import org.stainbench.jobs.CommandJob;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.Resources;
import org.stainbench.support.Demo;
import org.stainbench.support.WithBrowser;

/**
 * The layout walk of issue 18: real Chromium on the demo project (datasets, baselines, the demo's CPU training run
 * and its evaluation and report) visits every page reachable from the navigation and the list pages, as a member, a
 * supervisor, an admin and a pathologist, at 1440 and 1024 px wide, and fails on any page that scrolls sideways
 * ({@code document.documentElement.scrollWidth > clientWidth}), logs a script error or a resource that failed to load,
 * breaks the Content-Security-Policy, or is an error page. Every failure is listed at the end (page, width, the
 * widest elements), with a screenshot under target/screenshots/.
 */
// the dashboard test's application (same properties, one Spring context and one demo load): the walk only reads
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"stainbench.test.application=dashboard", "stainbench.demo.training=true"})
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LayoutInBrowserIT extends WithBrowser {

    static final int[] WIDTHS = {1440, 1024};

    /** Links never followed: downloads, images, machine endpoints, and what signs out. */
    static final Pattern SKIP = Pattern.compile(".*(\\.(png|jpe?g|svg|zip|csv|tex|json|pdf|npz|onnx|txt|log)(\\?.*)?$"
            + "|^/(artifacts|api|webjars|css|js|img|experiments|metrics|logout|login)(/.*)?$"
            + "|/(pdf|print|log|image|thumb|images|outputs|artifacts|progress|rate)(/.*)?(\\?.*)?$"
            + "|^/runs/get.*"
            + "|^/review/images/.*).*");

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Evaluations evaluations;

    @Autowired
    JobQueue jobs;

    @BeforeAll
    void createAccounts() {
        accounts.createAccount("lw-mem", Role.MEMBER, "Tulip-Quarry-4471");
        accounts.createAccount("lw-sup", Role.SUPERVISOR, "Heron-Basalt-5823");
        accounts.createAccount("lw-pat", Role.PATHOLOGIST, "Walnut-Fjord-3190");
    }

    private final List<String> failures = new ArrayList<>();
    private int visited;
    private final List<String> walked = new ArrayList<>();
    /** The page where the walk found each link. */
    private final Map<String, String> from = new HashMap<>();

    private boolean demoReady;

    /** Signs the member in and waits for the demo: baselines (2), the run's epochs (3), its evaluation and report. */
    void member() {
        browser.driver.manage().window().setSize(new Dimension(1440, 900));
        browser.signIn("lw-mem", "Tulip-Quarry-4471");
        if (demoReady) {
            return;
        }
        Demo.load(browser, catalog);
        Demo.awaitGenerated(checkpoints, catalog, "demo checkpoints", 5);
        GeneratedFixtures.await(
                "the demo's epoch evaluation", () -> !evaluations.finished().isEmpty());
        GeneratedFixtures.await("the demo report", () -> {
            browser.go("/reports");
            return browser.driver.getPageSource().contains("Demo: how close to CK7?");
        });
        demoReady = true;
    }

    @Test
    @Order(1)
    void noPageOfTheDemoScrollsSidewaysAsAnyRole() {
        member();
        long start = System.nanoTime();
        walk("member", 2);
        browser.signOut();
        browser.signIn("lw-sup", "Heron-Basalt-5823");
        walk("supervisor", 1);
        browser.signOut();
        browser.signIn("admin", "admin-test-pw");
        walk("admin", 1);
        browser.signOut();
        browser.signIn("lw-pat", "Walnut-Fjord-3190");
        walk("pathologist", 1);
        browser.signOut();
        browser.driver.manage().window().setSize(new Dimension(1366, 900));
        System.out.printf(
                "layout walk: %d page views in %d s%n", visited, (System.nanoTime() - start) / 1_000_000_000L);
        try {
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "screenshots"));
            java.nio.file.Files.write(java.nio.file.Path.of("target", "screenshots", "layout-walk.txt"), walked);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(visited).as("pages the walk saw").isGreaterThan(40);
        assertThat(failures).as("pages that broke the layout rules").isEmpty();
    }

    /**
     * A command job with a long one-line command and twenty declared outputs (the job page once scrolled sideways with
     * them): its page keeps to the width at 1024 px. Cancelled at once, so it never waits in the queue.
     */
    @Test
    @Order(2)
    void aJobWithALongCommandAndTwentyOutputsKeepsItsPageToTheWidth() {
        member();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            outputs.add("generated/ihc_tiles_epoch_" + i + "_of_the_colour_map_run_with_a_long_name.npz");
        }
        String command = "python3 -m stainbench.generate --checkpoint=/srv/stainbench/checkpoints/" + "x".repeat(180)
                + " --source=/srv/stainbench/datasets/demo_he/archives/he_0.npz,/srv/stainbench/datasets/demo_he/archives/he_1.npz";
        long id = jobs.submitCommand(new CommandJob(
                "command",
                "Layout: long command",
                command,
                java.util.Map.of(),
                List.of(),
                outputs,
                Resources.cpu(),
                "lw-mem",
                null,
                false));
        jobs.cancel(id, "lw-mem");
        for (int width : WIDTHS) {
            browser.driver.manage().window().setSize(new Dimension(width, 900));
            browser.go("/jobs/" + id);
            browser.waitFor(By.id("job-spec"));
            settled();
            assertThat((Boolean) js().executeScript(
                                    "var de = document.documentElement; return de.scrollWidth <= de.clientWidth;"))
                    .as("the job page at %d px scrolls sideways", width)
                    .isTrue();
            // the command wraps inside its cell
            assertThat(((Number)
                                    js().executeScript(
                                                    "return document.querySelector('#job-spec pre').getBoundingClientRect().right;"))
                            .intValue())
                    .isLessThanOrEqualTo(width);
        }
        browser.screenshot("layout-job-long-command-1024");
        browser.signOut();
    }

    /** The colour map of a CPU run's epoch checkpoint: a 3 × 4 table of numbers, not one unbroken line. */
    @Test
    @Order(3)
    void aColourMapCheckpointShowsItsMatrix() {
        member();
        Checkpoint epoch = checkpoints.all().stream()
                .filter(c -> c.baselineParams() != null && c.baselineParams().startsWith("map="))
                .findFirst()
                .orElseThrow();
        browser.driver.manage().window().setSize(new Dimension(1024, 900));
        browser.go("/checkpoints/" + epoch.id());
        browser.waitFor(By.id("colour-map"));
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#colour-map tbody tr"));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).findElements(By.tagName("td"))).hasSize(4).allSatisfy(td -> assertThat(td.getText())
                .matches("-?\\d+\\.\\d{4}"));
        assertThat(browser.driver.findElement(By.id("checkpoint-fields")).getText())
                .doesNotContain("map=");
        assertThat((Boolean) js().executeScript(
                                "var de = document.documentElement; return de.scrollWidth <= de.clientWidth;"))
                .isTrue();
        browser.screenshot("layout-checkpoint-colour-map");
        browser.signOut();
    }

    /**
     * The dataset page's histograms: each at least 320 × 160 px (they were 227 × 113), the lab's thresholds drawn as
     * a red dashed line over most of the plot's height.
     */
    @Test
    @Order(4)
    void theDatasetHistogramsAreReadableWithVisibleThresholds() {
        member();
        long he = catalog.datasets().stream()
                .filter(d -> d.name().startsWith("Demo H&E"))
                .findFirst()
                .orElseThrow()
                .id();
        for (int width : WIDTHS) {
            browser.driver.manage().window().setSize(new Dimension(width, 900));
            browser.go("/datasets/" + he);
            browser.waiting(Duration.ofSeconds(15))
                    .until(d ->
                            d.findElements(By.cssSelector("#histograms canvas")).size() == 5);
            settled();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> charts = (List<Map<String, Object>>) js().executeScript(
                            "return Array.from(document.querySelectorAll('#histograms canvas')).map(function (c) {"
                                    + " var r = c.getBoundingClientRect(); var ch = Chart.getChart(c); var a = ch.chartArea;"
                                    + " var x = c.getAttribute('data-threshold-x'); var red = 0, rows = 0;"
                                    + " if (x !== null) { var ctx = c.getContext('2d'); var k = c.width / r.width;"
                                    + "   for (var y = Math.ceil(a.top); y < a.bottom; y++) { rows++;"
                                    + "     var found = false; for (var dx = -1; dx <= 1 && !found; dx++) {"
                                    + "       var p = ctx.getImageData(Math.round((+x + dx) * k), Math.round(y * k), 1, 1).data;"
                                    + "       found = p[0] > 150 && p[1] < 90 && p[2] < 90; }"
                                    + "     if (found) { red++; } } }"
                                    + " return {name: c.getAttribute('data-measure'), w: r.width, h: r.height, x: x,"
                                    + "   share: rows ? red / rows : 0}; });");
            for (Map<String, Object> c : charts) {
                assertThat(((Number) c.get("w")).doubleValue())
                        .as("width of %s at %d px", c.get("name"), width)
                        .isGreaterThanOrEqualTo(320);
                assertThat(((Number) c.get("h")).doubleValue())
                        .as("height of %s at %d px", c.get("name"), width)
                        .isGreaterThanOrEqualTo(160);
            }
            // Laplacian variance, saturated fraction and near-white fraction have thresholds: a dashed red line (dashes
            // 6 on, 4 off)
            List<Map<String, Object>> withLine =
                    charts.stream().filter(c -> c.get("x") != null).toList();
            assertThat(withLine).hasSize(3);
            assertThat(withLine).allSatisfy(c -> assertThat(((Number) c.get("share")).doubleValue())
                    .as("share of the plot height the threshold line of %s covers", c.get("name"))
                    .isGreaterThan(0.4));
        }
        js().executeScript("document.getElementById('histograms').scrollIntoView();");
        browser.screenshot("layout-dataset-histograms-1024");
        browser.signOut();
    }

    /**
     * Epochs are whole numbers on every axis that shows them: the run page's per-epoch metric (logged once per
     * epoch) is drawn against the epoch, the run's metric-by-epoch chart and the evaluation's epoch chart tick on
     * integers only.
     */
    @Test
    @Order(5)
    void epochAxesTickOnWholeNumbers() {
        member();
        String run = checkpoints.all().stream()
                .map(Checkpoint::runUuid)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElseThrow();
        browser.go("/runs/" + run);
        browser.waiting(Duration.ofSeconds(15))
                .until(d -> !d.findElements(By.cssSelector("#charts canvas[data-metric=epoch_loss]"))
                        .isEmpty());
        WebElement epochLoss = browser.driver.findElement(By.cssSelector("#charts canvas[data-metric=epoch_loss]"));
        assertThat(epochLoss.getAttribute("data-x-axis")).isEqualTo("epoch");
        assertThat(xTicks("Chart.getChart(document.querySelector('#charts canvas[data-metric=epoch_loss]'))"))
                .isNotEmpty()
                .allMatch(v -> v == Math.rint(v));
        assertThat((String) js().executeScript(
                                "return Chart.getChart(document.querySelector('#charts canvas[data-metric=epoch_loss]'))"
                                        + ".options.scales.x.title.text;"))
                .isEqualTo("epoch");
        assertThat(browser.driver
                        .findElement(By.cssSelector("#charts canvas[data-metric=loss]"))
                        .getAttribute("data-x-axis"))
                .isEqualTo("step");
        if (!browser.driver.findElements(By.id("epoch-chart")).isEmpty()) {
            browser.waiting(Duration.ofSeconds(15)).until(d -> js().executeScript(
                            "return Chart.getChart(document.getElementById('epoch-chart')) != null"));
            assertThat(xTicks("Chart.getChart(document.getElementById('epoch-chart'))"))
                    .isNotEmpty()
                    .allMatch(v -> v == Math.rint(v));
        }
        browser.screenshot("layout-run-epoch-axes");
        browser.go("/evaluations/" + evaluations.finished().get(0).id());
        browser.waiting(Duration.ofSeconds(15))
                .until(d -> js().executeScript("return window.stainbenchEvaluationEpochChart != null"));
        assertThat(xTicks("window.stainbenchEvaluationEpochChart")).isNotEmpty().allMatch(v -> v == Math.rint(v));
        browser.signOut();
    }

    @SuppressWarnings("unchecked")
    List<Double> xTicks(String chart) {
        return ((List<Object>) js().executeScript(
                                "return " + chart + ".scales.x.ticks.map(function (t) { return t.value; });"))
                .stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    /**
     * The live search: results listed one under another, inside the window at 1024 and 1440 px, nothing cut off
     * sideways; the magnifier icon left of the placeholder, not over it.
     */
    @Test
    @Order(6)
    void theLiveSearchListsResultsVerticallyAndItsIconLeavesThePlaceholderFree() {
        browser.driver.manage().window().setSize(new Dimension(1440, 900));
        browser.signIn("lw-sup", "Heron-Basalt-5823");
        for (int width : WIDTHS) {
            browser.driver.manage().window().setSize(new Dimension(width, 900));
            browser.go("/dashboard");
            @SuppressWarnings("unchecked")
            Map<String, Object> icon = (Map<String, Object>)
                    js().executeScript("var i = document.getElementById('search-input'); var s = getComputedStyle(i);"
                            + " var fs = parseFloat(s.fontSize);"
                            + " function px(v) { v = String(v).trim().split(' ').pop(); return v.endsWith('rem') ? parseFloat(v) * parseFloat(getComputedStyle(document.documentElement).fontSize)"
                            + "   : v.endsWith('em') ? parseFloat(v) * fs : parseFloat(v); }"
                            + " return {padding: parseFloat(s.paddingLeft), at: px(s.backgroundPositionX), size: px(s.backgroundSize.split(' ')[0]),"
                            + "   width: i.getBoundingClientRect().width, placeholder: i.placeholder};");
            double iconRight = ((Number) icon.get("at")).doubleValue() + ((Number) icon.get("size")).doubleValue();
            assertThat(((Number) icon.get("padding")).doubleValue())
                    .as("the text starts right of the icon (%s)", icon)
                    .isGreaterThanOrEqualTo(iconRight + 2);
            WebElement box = browser.driver.findElement(By.id("search-input"));
            box.click();
            box.sendKeys("demo");
            browser.waiting(Duration.ofSeconds(10))
                    .until(d -> d.findElements(By.cssSelector("#search-live .search-hit"))
                                    .size()
                            >= 3);
            settled();
            @SuppressWarnings("unchecked")
            Map<String, Object> live = (Map<String, Object>) js().executeScript(
                            "var b = document.getElementById('search-live'); var r = b.getBoundingClientRect();"
                                    + " var hits = Array.from(b.querySelectorAll('.search-hit')).map(function (h) { var q = h.getBoundingClientRect();"
                                    + "   return [q.left, q.top, q.right, q.bottom]; });"
                                    + " return {left: r.left, right: r.right, cw: document.documentElement.clientWidth,"
                                    + "   scroll: b.scrollWidth, client: b.clientWidth, hits: hits};");
            assertThat(((Number) live.get("left")).doubleValue()).isGreaterThanOrEqualTo(0);
            assertThat(((Number) live.get("right")).doubleValue())
                    .isLessThanOrEqualTo(((Number) live.get("cw")).doubleValue());
            assertThat(((Number) live.get("scroll")).intValue())
                    .as("nothing cut off sideways")
                    .isLessThanOrEqualTo(((Number) live.get("client")).intValue());
            @SuppressWarnings("unchecked")
            List<List<Number>> hits = (List<List<Number>>) live.get("hits");
            for (int i = 1; i < hits.size(); i++) {
                assertThat(hits.get(i).get(1).doubleValue())
                        .as("hit %d starts below hit %d", i, i - 1)
                        .isGreaterThanOrEqualTo(hits.get(i - 1).get(3).doubleValue() - 1);
                assertThat(hits.get(i).get(2).doubleValue())
                        .as("hit %d inside the box", i)
                        .isLessThanOrEqualTo(((Number) live.get("right")).doubleValue());
            }
            browser.screenshot("layout-live-search-" + width);
        }
        browser.signOut();
    }

    /** The compare view marks its mode: the active view's button is pressed (and filled), the others not. */
    @Test
    @Order(7)
    void theCompareViewMarksItsActiveMode() {
        member();
        Checkpoint baseline = checkpoints.all().stream()
                .filter(c -> c.name().startsWith("Reinhard"))
                .findFirst()
                .orElseThrow();
        browser.go("/checkpoints/" + baseline.id());
        browser.driver.findElement(By.linkText("random gallery")).click();
        browser.waitFor(By.cssSelector("a.to-compare"));
        browser.driver.findElements(By.cssSelector("a.to-compare")).get(0).click();
        browser.waitFor(By.id("compare"));
        for (String[] step : new String[][] {{"g", "grid"}, {"s", "single"}, {"o", "overlay"}}) {
            new org.openqa.selenium.interactions.Actions(browser.driver)
                    .sendKeys(step[0])
                    .perform();
            browser.waiting(Duration.ofSeconds(5)).until(d -> "true"
                    .equals(d.findElement(By.id("view-" + step[1])).getAttribute("aria-pressed")));
            @SuppressWarnings("unchecked")
            List<String> pressed = (List<String>)
                    js().executeScript(
                                    "return Array.from(document.querySelectorAll('.compare-controls button[data-view]'))"
                                            + ".filter(function (b) { return b.getAttribute('aria-pressed') === 'true'; }).map(function (b) { return b.dataset.view; });");
            assertThat(pressed).containsExactly(step[1]);
            String on = (String) js().executeScript(
                            "return getComputedStyle(document.getElementById('view-' + arguments[0])).backgroundColor;",
                            step[1]);
            String off = (String)
                    js().executeScript(
                                    "return getComputedStyle(document.querySelector('.compare-controls button[aria-pressed=false]')).backgroundColor;");
            assertThat(on).as("the pressed button looks different").isNotEqualTo(off);
        }
        new org.openqa.selenium.interactions.Actions(browser.driver)
                .sendKeys("g")
                .perform();
        browser.screenshot("layout-compare-mode");
        browser.signOut();
    }

    /**
     * Help text of a form (a {@code small}, {@code p}, {@code .muted} or {@code .help} element, a legend, or a label's
     * own words, 60 characters or more) is at least {@value #HELP_MIN_WIDTH} px wide (or as wide as its form, when
     * the form is narrower): the evaluate-epochs, review and training forms once squeezed it into 12rem grid columns,
     * four to seven lines of a few words each. Every form page, closed {@code <details>} opened, at 1440 and 1024 px.
     */
    @Test
    @Order(8)
    void formHelpTextIsNeverSqueezedIntoANarrowColumn() {
        member();
        String run = checkpoints.all().stream()
                .map(Checkpoint::runUuid)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElseThrow();
        List<String> squeezed = new ArrayList<>();
        for (String path : List.of(
                "/runs/" + run,
                "/training/new",
                "/training/cpu",
                "/review/sessions/new",
                "/jobs/new",
                "/reports/new",
                "/evaluations/extractors")) {
            for (int width : WIDTHS) {
                browser.driver.manage().window().setSize(new Dimension(width, 900));
                browser.go(path);
                settled();
                for (String s : squeezedHelp(true)) {
                    squeezed.add(path + " @" + width + ": " + s);
                }
                if (path.startsWith("/runs/") && width == 1024) {
                    assertThat(browser.driver.findElements(By.id("evaluate-epochs")))
                            .as("the evaluate-epochs form")
                            .isNotEmpty();
                    js().executeScript("document.getElementById('evaluate-epochs').scrollIntoView();");
                    browser.screenshot("layout-help-evaluate-epochs-1024");
                }
                if (path.equals("/review/sessions/new") && width == 1024) {
                    js().executeScript("document.getElementById('design').scrollIntoView();");
                    browser.screenshot("layout-help-review-new-1024");
                }
            }
        }
        browser.driver.manage().window().setSize(new Dimension(1366, 900));
        assertThat(squeezed).as("help text narrower than %d px", HELP_MIN_WIDTH).isEmpty();
        browser.signOut();
    }

    static final int HELP_MIN_WIDTH = 300;

    /** The help texts of the page's forms narrower than {@link #HELP_MIN_WIDTH}; {@code open}: opens closed details first. */
    @SuppressWarnings("unchecked")
    List<String> squeezedHelp(boolean open) {
        return (List<String>) js().executeScript(
                        "var min = arguments[1]; if (arguments[0]) { document.querySelectorAll('main details:not([open])').forEach(function (d) { d.open = true; }); }"
                                + "var out = [];"
                                + "document.querySelectorAll('main form').forEach(function (f) {"
                                + "  var fw = f.getBoundingClientRect().width;"
                                + "  f.querySelectorAll('small:not(.field-error), p, .muted, .help, legend, label').forEach(function (e) {"
                                + "    if (e.offsetParent === null) { return; }"
                                + "    var r = e.getBoundingClientRect(); if (r.width === 0) { return; }"
                                + "    var own = Array.from(e.childNodes).filter(function (n) { return n.nodeType === 3 || (n.nodeType === 1"
                                + "      && !n.matches('input, select, textarea, button, small, p, .muted, .help, .field-error, details, fieldset, label')); })"
                                + "      .map(function (n) { return n.textContent; }).join(' ').replace(/\\s+/g, ' ').trim();"
                                + "    if (own.length >= 60 && r.width + 1 < Math.min(min, fw)) {"
                                + "      out.push((f.id || 'form') + ' ' + e.tagName.toLowerCase() + ' ' + Math.round(r.width) + ' px: \"' + own.slice(0, 50) + '\"'); }"
                                + "  });"
                                + "});"
                                + "return out.slice(0, 8);",
                        open,
                        HELP_MIN_WIDTH);
    }

    /**
     * Breadth first from the navigation: every same-site link of every page, at most {@code perShape} pages of one
     * shape (the path with its ids replaced; queries are variants of one shape), each checked at every width.
     */
    void walk(String role, int perShape) {
        Deque<String> queue = new ArrayDeque<>();
        Set<String> seen = new LinkedHashSet<>();
        Map<String, Integer> shapes = new HashMap<>();
        from.clear();
        queue.add(browser.path());
        if (!browser.driver.findElements(By.id("search-input")).isEmpty()) {
            queue.add("/search?q=demo");
            // the runs' comparison is reached by ticking runs in a form, not by a link
            checkpoints.all().stream()
                    .map(Checkpoint::runUuid)
                    .filter(java.util.Objects::nonNull)
                    .findFirst()
                    .ifPresent(run -> queue.add("/runs/compare?run=" + run));
        }
        queue.add("/account");
        // each page is checked first at the width the window has (the last one the previous page was checked at),
        // then at the other: one resize per page instead of two
        int current = WIDTHS[0];
        browser.driver.manage().window().setSize(new Dimension(current, 900));
        while (!queue.isEmpty() && seen.size() < 400) {
            String path = queue.poll();
            if (!seen.add(path)) {
                continue;
            }
            String shape = shape(path);
            if (shapes.merge(shape, 1, Integer::sum) > perShape) {
                continue;
            }
            browser.go(path);
            if (!settled()) {
                continue; // not a page of the site (a download, a fragment)
            }
            for (String link : links()) {
                if (!seen.contains(link)) {
                    queue.add(link);
                    from.putIfAbsent(link, path);
                }
            }
            String errorPage = (String) js().executeScript("var e = document.querySelector('.error-page h1, main h1'); "
                    + "return document.querySelector('.error-page') ? e.textContent : null;");
            if (errorPage != null) {
                fail(role, path, 0, "an error page: " + errorPage.strip(), "error");
            }
            int first = current;
            for (int width : WIDTHS) {
                if (width == first) {
                    check(role, path, width);
                }
            }
            for (int width : WIDTHS) {
                if (width != first) {
                    browser.driver.manage().window().setSize(new Dimension(width, 900));
                    settled();
                    check(role, path, width);
                    current = width;
                }
            }
            visited++;
            walked.add(role + " " + path);
            List<String> errors = browser.takeConsoleErrors();
            if (!errors.isEmpty()) {
                fail(role, path, 0, "console errors: " + String.join(" | ", errors), "console");
            }
            List<String> csp = browser.takeCspViolations();
            if (!csp.isEmpty()) {
                fail(role, path, 0, "Content-Security-Policy violations: " + String.join(" | ", csp), "csp");
            }
        }
    }

    /** The path's shape: numbers, hashes and uuids replaced, without the query. */
    static String shape(String path) {
        return path.split("\\?", 2)[0]
                .replaceAll("/\\d+(?=/|$)", "/{n}")
                .replaceAll("/[0-9a-f]{8}-?[0-9a-f-]{4,}(?=/|$)", "/{id}")
                .replaceAll("/[0-9a-f]{32}(?=/|$)", "/{id}");
    }

    /** Waits for the page to load and its htmx requests to end; false when it is no page of the site. */
    boolean settled() {
        browser.waiting(Duration.ofSeconds(20))
                .until(d -> "complete".equals(js().executeScript("return document.readyState")));
        Boolean page = (Boolean)
                js().executeScript(
                                "return document.contentType === 'text/html' && document.querySelector('header.topbar') !== null;");
        if (!Boolean.TRUE.equals(page)) {
            return false;
        }
        browser.waiting(Duration.ofSeconds(10)).until(d ->
                (Boolean) js().executeScript("return document.querySelectorAll('.htmx-request').length === 0;"));
        // a frame for charts and images that size themselves after load
        js().executeScript(
                        "return new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(r); }); });");
        return true;
    }

    /** Same-site links of the page to follow, without fragments. */
    @SuppressWarnings("unchecked")
    List<String> links() {
        List<String> hrefs = (List<String>) js().executeScript("return Array.from(document.querySelectorAll('a[href]'))"
                + ".filter(function (a) { return a.origin === location.origin && !a.hasAttribute('download'); })"
                + ".map(function (a) { return a.pathname + a.search; });");
        List<String> out = new ArrayList<>();
        for (String h : hrefs) {
            if (!SKIP.matcher(h).matches() && !out.contains(h)) {
                out.add(h);
            }
        }
        return out;
    }

    /** The layout rule at one width: the document does not scroll sideways; the widest culprits are named. */
    @SuppressWarnings("unchecked")
    void check(String role, String path, int width) {
        Map<String, Object> m = (Map<String, Object>)
                js().executeScript(
                                "var de = document.documentElement;"
                                        + "var cw = de.clientWidth, sw = de.scrollWidth;"
                                        + "var out = [];"
                                        + "if (sw > cw) {"
                                        + "  document.querySelectorAll('body *').forEach(function (e) {"
                                        + "    var r = e.getBoundingClientRect();"
                                        + "    if (r.right > cw + 1 && r.width > 0) {"
                                        + "      var inner = Array.from(e.children).some(function (c) { return c.getBoundingClientRect().right > cw + 1; });"
                                        + "      if (!inner) { out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
                                        + "        + (e.className && e.className.baseVal === undefined ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : '')"
                                        + "        + ' right=' + Math.round(r.right) + ' \"' + (e.textContent || '').trim().slice(0, 60) + '\"'); }"
                                        + "    }"
                                        + "  });"
                                        + "}"
                                        + "var cut = [];"
                                        + "var ctx = document.createElement('canvas').getContext('2d');"
                                        + "document.querySelectorAll('main select:not([multiple])').forEach(function (s) {"
                                        + "  if (s.offsetParent === null || s.clientWidth === 0) { return; }"
                                        + "  var cs = getComputedStyle(s); ctx.font = cs.font;"
                                        + "  var room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);"
                                        + "  Array.from(s.options).forEach(function (o) {"
                                        + "    if (ctx.measureText(o.text).width > room + 1) { cut.push((s.name || s.id) + ': \"' + o.text.slice(0, 60) + '\"'); }"
                                        + "  });"
                                        + "});"
                                        + "return {cw: cw, sw: sw, inner: window.innerWidth, culprits: out.slice(0, 6), cut: cut.slice(0, 4)};");
        long cw = ((Number) m.get("cw")).longValue();
        long sw = ((Number) m.get("sw")).longValue();
        assertThat(((Number) m.get("inner")).intValue()).as("viewport width").isBetween(width - 20, width);
        List<String> cut = (List<String>) m.get("cut");
        if (!cut.isEmpty()) {
            fail(role, path, width, "a select cuts its option names: " + String.join("; ", cut), "select");
        }
        List<String> squeezed = squeezedHelp(false);
        if (!squeezed.isEmpty()) {
            fail(role, path, width, "help text squeezed into a narrow column: " + String.join("; ", squeezed), "help");
        }
        if (sw > cw) {
            fail(
                    role,
                    path,
                    width,
                    "scrolls sideways: scrollWidth " + sw + " > clientWidth " + cw + "; "
                            + String.join("; ", (List<String>) m.get("culprits")),
                    "overflow");
        }
    }

    void fail(String role, String path, int width, String what, String kind) {
        String line = role + " " + path + (width > 0 ? " @" + width : "") + " (linked from "
                + from.getOrDefault(path, "the start") + "): " + what;
        failures.add(line);
        System.out.println("layout walk: " + line);
        browser.screenshot("layout-" + kind + "-" + role + "-" + shape(path).replaceAll("[^A-Za-z0-9]+", "_")
                + (width > 0 ? "-" + width : ""));
    }
}
