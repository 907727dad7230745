package org.stainbench.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.support.Demo;
import org.stainbench.support.DemoApplicationTest;
import org.stainbench.support.Layout;
import org.stainbench.support.WithBrowser;

/**
 * Real Chromium on the demo project: a member creates a 2AFC session with both demo baselines and real CK7 controls;
 * two pathologists score it with the arrow keys on a tablet-sized window (one signs out half-way and resumes); the
 * results page shows agreement statistics equal to those computed here, independently, from the exported CSV.
 */
// the demo application shared by the demo browser tests (one Spring context, one demo load); counts relative to what
// it finds
@DemoApplicationTest
class ReviewInBrowserIT extends WithBrowser {

    static final int PER_CHECKPOINT = 4;

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    ReviewStore store;

    @BeforeAll
    void createAccounts() {
        accounts.createAccount("rina", Role.MEMBER, "member-password");
        accounts.createAccount("pat-one", Role.PATHOLOGIST, "pathologist-pw");
        accounts.createAccount("pat-two", Role.PATHOLOGIST, "pathologist-pw");
    }

    List<Checkpoint> demoBaselines() {
        return checkpoints.all().stream()
                .filter(c -> c.name().endsWith("(demo)"))
                .toList();
    }

    /** Rater one picks the real tile except on every third step; rater two on even steps only. */
    static boolean wantsCorrect(String rater, int step) {
        return rater.equals("pat-one") ? step % 3 != 0 : step % 2 == 0;
    }

    /** Answers with the arrow keys until {@code stopAfter} answers were given here or the session is done. */
    int score(String rater, int stopAfter) {
        int given = 0;
        while (given < stopAfter && browser.driver.findElements(By.id("done")).isEmpty()) {
            WebElement form = browser.driver.findElement(By.id("answer-form"));
            int step = Integer.parseInt(form.getAttribute("data-step"));
            ReviewItem item = store.itemByToken(form.getAttribute("data-item")).orElseThrow();
            boolean correct = wantsCorrect(rater, step);
            boolean left = correct == item.realLeft();
            new Actions(browser.driver)
                    .sendKeys(left ? Keys.ARROW_LEFT : Keys.ARROW_RIGHT)
                    .perform();
            // read the swapped fragment in one script: no element handle that htmx could replace under us
            browser.waiting(Duration.ofSeconds(10)).until(d -> !("" + step)
                    .equals(js().executeScript("const f = document.getElementById('answer-form');"
                            + " return document.getElementById('done') ? 'done' : (f ? f.dataset.step : null);")));
            given++;
        }
        return given;
    }

    @Test
    void aMemberCreatesASessionTwoPathologistsScoreItWithTheKeyboardAndTheResultsMatch() {
        browser.signIn("rina", "member-password");
        Demo.load(browser, catalog);
        Demo.awaitGenerated(checkpoints, catalog, "demo baselines", this::demoBaselines, n -> n == 2);

        // the member creates the session with the form
        browser.go("/review");
        browser.driver.findElement(By.id("new-session")).click();
        browser.waitFor(By.id("session-form"));
        browser.driver.findElement(By.id("name")).sendKeys("Demo 2AFC");
        new Select(browser.driver.findElement(By.id("mode"))).selectByValue("TWO_AFC");
        new Select(browser.driver.findElement(By.id("source"))).selectByVisibleText("Demo H&E (synthetic)");
        WebElement per = browser.driver.findElement(By.id("perCheckpoint"));
        per.clear();
        per.sendKeys("" + PER_CHECKPOINT);
        new Select(browser.driver.findElement(By.id("realDataset"))).selectByVisibleText("Demo CK7 (synthetic)");
        // tick exactly the demo's two baselines and this test's two pathologists
        for (Checkpoint c : demoBaselines()) {
            browser.driver
                    .findElement(By.cssSelector(".checkpoint-choice input[value='" + c.id() + "']"))
                    .click();
        }
        for (String p : List.of("pat-one", "pat-two")) {
            browser.driver
                    .findElement(By.cssSelector(".rater-choice input[value='" + p + "']"))
                    .click();
        }
        browser.driver.findElement(By.id("create-session")).click();
        browser.waitFor(By.id("session-name"));
        long id = Long.parseLong(browser.path().replaceAll(".*/", ""));
        assertThat(browser.driver.findElement(By.id("item-count")).getText()).isEqualTo("" + 2 * PER_CHECKPOINT);
        browser.signOut();

        // a tablet-sized screen for the raters
        browser.driver.manage().window().setSize(new Dimension(1024, 768));

        // pathologist one: four answers, then signs out (a closed laptop)
        browser.signIn("pat-one", "pathologist-pw");
        browser.waitFor(By.id("assigned"));
        assertThat(browser.path()).isEqualTo("/review");
        browser.driver.findElement(By.cssSelector(".rate-link")).click();
        browser.waitFor(By.id("answer-form"));
        assertThat(browser.driver.findElements(By.cssSelector("#rater img"))).hasSize(2);
        assertThat((Boolean) js().executeScript("return document.documentElement.scrollWidth <= window.innerWidth;"))
                .as("no horizontal scrolling on a tablet")
                .isTrue();
        browser.waiting(Duration.ofSeconds(10))
                .until(
                        d -> (Boolean)
                                js().executeScript(
                                                "return Array.from(document.querySelectorAll('#rater img')).every(i => i.complete && i.naturalWidth > 0);"));
        browser.driver.findElement(By.id("image-left")).click();
        assertThat(browser.driver.findElement(By.cssSelector(".zoom.zoomed"))).isNotNull();
        browser.driver.findElement(By.id("image-left")).click();
        browser.screenshot("review-2afc-tablet");
        assertThat(score("pat-one", 4)).isEqualTo(4);
        assertThat(browser.driver.findElement(By.id("answered")).getText()).isEqualTo("4");
        browser.signOut();

        // pathologist two: everything at once
        browser.signIn("pat-two", "pathologist-pw");
        browser.waitFor(By.id("assigned"));
        browser.driver.findElement(By.cssSelector(".rate-link")).click();
        browser.waitFor(By.id("answer-form"));
        int total = Integer.parseInt(
                browser.driver.findElement(By.id("answer-form")).getAttribute("data-total"));
        assertThat(total).isEqualTo(2 * PER_CHECKPOINT + 1);
        assertThat(score("pat-two", 100)).isEqualTo(total);
        browser.waitFor(By.id("done"));
        browser.signOut();

        // pathologist one resumes where she left off
        browser.signIn("pat-one", "pathologist-pw");
        browser.waitFor(By.id("assigned"));
        WebElement resume = browser.driver.findElement(By.cssSelector(".rate-link"));
        assertThat(resume.getText()).isEqualTo("Resume");
        resume.click();
        browser.waitFor(By.id("answer-form"));
        assertThat(browser.driver.findElement(By.id("answer-form")).getAttribute("data-step"))
                .isEqualTo("5");
        assertThat(score("pat-one", 100)).isEqualTo(total - 4);
        browser.waitFor(By.id("done"));
        browser.signOut();

        // the member reads the results and the CSV
        browser.driver.manage().window().setSize(new Dimension(1366, 900));
        browser.signIn("rina", "member-password");
        browser.go("/review/sessions/" + id + "/results");
        browser.waitFor(By.id("agreement"));
        browser.screenshot("review-results");
        String csv = (String) js().executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(r => r.text()).then(done);",
                        "/review/sessions/" + id + "/answers.csv");
        List<String> lines = csv.lines().toList();
        List<String> head = List.of(lines.get(0).split(","));
        int rater = head.indexOf("rater");
        int token = head.indexOf("item_token");
        int repeat = head.indexOf("repeat");
        int correct = head.indexOf("correct");
        assertThat(lines).hasSize(1 + 2 * total);
        Map<String, Map<String, Integer>> first = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f[repeat].equals("0")) {
                first.computeIfAbsent(f[rater], k -> new HashMap<>())
                        .put(f[token], Boolean.parseBoolean(f[correct]) ? 1 : 0);
            }
        }
        List<String> tokens = new ArrayList<>(first.get("pat-one").keySet());
        assertThat(first.get("pat-two").keySet()).containsExactlyInAnyOrderElementsOf(tokens);
        int n = tokens.size();
        int[] a = tokens.stream().mapToInt(t -> first.get("pat-one").get(t)).toArray();
        int[] b = tokens.stream().mapToInt(t -> first.get("pat-two").get(t)).toArray();

        // independent computation: Cohen's kappa from the 2x2 table
        double agree = 0;
        double a1 = 0;
        double b1 = 0;
        for (int i = 0; i < n; i++) {
            agree += a[i] == b[i] ? 1 : 0;
            a1 += a[i];
            b1 += b[i];
        }
        double po = agree / n;
        double pe = (a1 / n) * (b1 / n) + (1 - a1 / n) * (1 - b1 / n);
        double cohen = (po - pe) / (1 - pe);
        // Fleiss' kappa with two ratings per item
        double pBar = 0;
        for (int i = 0; i < n; i++) {
            pBar += a[i] == b[i] ? 1 : 0; // sum n_ij(n_ij - 1) / (2 * 1) is 1 when both agree, else 0
        }
        pBar /= n;
        double p1 = (a1 + b1) / (2.0 * n);
        double peF = p1 * p1 + (1 - p1) * (1 - p1);
        double fleiss = (pBar - peF) / (1 - peF);
        // Krippendorff's alpha, nominal, two coders, no missing: 1 - (m - 1) * disagreements / (n_0 * n_1), m = 2n
        // values
        double ones = a1 + b1;
        double zeros = 2.0 * n - ones;
        double alpha = 1 - (2.0 * n - 1) * (n - agree) / (zeros * ones);
        // pooled accuracy, Wilson 95 % and the exact two-sided binomial test against 0.5
        long k = (long) (a1 + b1);
        long m = 2L * n;
        double z = 1.959963984540054;
        double p = (double) k / m;
        double centre = (p + z * z / (2 * m)) / (1 + z * z / m);
        double half = z / (1 + z * z / m) * Math.sqrt(p * (1 - p) / m + z * z / (4.0 * m * m));
        double tail = 0;
        for (long i = 0; i <= Math.min(k, m - k); i++) {
            tail += Math.exp(logChoose(m, i) - m * Math.log(2));
        }
        double pValue = Math.min(1, 2 * tail);

        WebElement row = browser.driver.findElement(By.cssSelector("#agreement tbody tr"));
        assertThat(row.findElement(By.cssSelector(".cohen")).getText()).isEqualTo(f3(cohen));
        assertThat(row.findElement(By.cssSelector(".fleiss")).getText()).isEqualTo(f3(fleiss));
        assertThat(row.findElement(By.cssSelector(".alpha-nominal")).getText()).isEqualTo(f3(alpha));
        WebElement pooled = browser.driver.findElement(By.cssSelector("#accuracy tr[data-rater=pooled]"));
        assertThat(pooled.findElement(By.cssSelector(".acc")).getText()).isEqualTo(f3(p));
        assertThat(pooled.findElement(By.cssSelector(".wilson")).getText())
                .isEqualTo(f3(centre - half) + " – " + f3(centre + half));
        assertThat(pooled.findElement(By.cssSelector(".p")).getText())
                .isEqualTo(String.format(Locale.ROOT, "%.4f", pValue));
        // both raters' repeats are in the intra-rater table
        assertThat(browser.driver.findElements(By.cssSelector("#intra tbody tr")))
                .hasSize(2);
        // and the page links back to the checkpoints and tiles
        assertThat(browser.driver.findElements(By.cssSelector("#items a[href^='/tiles/']")))
                .hasSizeGreaterThanOrEqualTo(2 * n);
        assertThat(browser.driver.findElements(By.cssSelector("#items a[href^='/checkpoints/']")))
                .hasSize(n);
        // the methods paragraph states the CSV's counts and the pooled accuracy
        String methods = browser.driver.findElement(By.id("methods-text")).getText();
        long firsts = lines.stream()
                .skip(1)
                .filter(l -> l.split(",", -1)[repeat].equals("0"))
                .count();
        assertThat(methods)
                .contains("giving " + (lines.size() - 1) + " answers: " + firsts + " first showings")
                .contains("was " + f3(p) + " (" + k + " of " + m + " answers");

        // the session's pages keep to the window's width at 1440 and 1024 px (the layout walk has no session to visit)
        Layout.assertFits(browser, "/review/sessions/" + id + "/results", "layout-review-results");
        Layout.assertFits(browser, "/review/sessions/" + id, "layout-review-session");
        Layout.assertFits(browser, "/review", "layout-review");
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static double logChoose(long n, long k) {
        double s = 0;
        for (long i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }
}
