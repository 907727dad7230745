package org.stainbench.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
import org.stainbench.support.WithBrowser;

/**
 * Issue 17's acceptance for the study design controls, in Chromium on the demo project: a member creates a 2AFC
 * session with per-rater subsets and a practice block (and a second one whose answers are final); two pathologists do
 * the practice with feedback and the study without, with the keyboard; one goes back to change an answer where the
 * session allows it and is refused where it does not; the session page shows practice, progress and time per item;
 * the results page agrees with the answers CSV (which holds no practice answer).
 */
// the demo application shared by the demo browser tests (one Spring context, one demo load)
@DemoApplicationTest
class StudyDesignInBrowserIT extends WithBrowser {

    static final String MEMBER_PW = "Heron-Basalt-5582";
    static final String PATH_PW = "Tulip-Quarry-4471";

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    ReviewStore store;

    @Autowired
    Practice practice;

    @BeforeAll
    void createAccounts() {
        accounts.createAccount("design-rina", Role.MEMBER, MEMBER_PW);
        accounts.createAccount("design-pat-a", Role.PATHOLOGIST, PATH_PW);
        accounts.createAccount("design-pat-b", Role.PATHOLOGIST, PATH_PW);
    }

    List<Checkpoint> demoBaselines() {
        return checkpoints.all().stream()
                .filter(c -> c.name().endsWith("(demo)"))
                .toList();
    }

    void field(String id, String value) {
        WebElement e = browser.driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    long createSession(
            String name,
            int perCheckpoint,
            String navigation,
            String perRater,
            String overlap,
            String practiceItems,
            List<String> raters) {
        browser.go("/review/sessions/new");
        browser.waitFor(By.id("session-form"));
        field("name", name);
        new Select(browser.driver.findElement(By.id("mode"))).selectByValue("TWO_AFC");
        new Select(browser.driver.findElement(By.id("source"))).selectByVisibleText("Demo H&E (synthetic)");
        field("perCheckpoint", "" + perCheckpoint);
        new Select(browser.driver.findElement(By.id("realDataset"))).selectByVisibleText("Demo CK7 (synthetic)");
        for (Checkpoint c : demoBaselines()) {
            browser.driver
                    .findElement(By.cssSelector(".checkpoint-choice input[value='" + c.id() + "']"))
                    .click();
        }
        for (String p : raters) {
            browser.driver
                    .findElement(By.cssSelector(".rater-choice input[value='" + p + "']"))
                    .click();
        }
        new Select(browser.driver.findElement(By.id("navigation"))).selectByValue(navigation);
        field("itemsPerRater", perRater);
        field("overlap", overlap);
        field("practiceCount", practiceItems);
        if (practiceItems.equals("2")) {
            browser.screenshot("review-design-form");
        }
        browser.driver.findElement(By.id("create-session")).click();
        browser.waitFor(By.id("session-name"));
        return Long.parseLong(browser.path().replaceAll(".*/", ""));
    }

    String current() {
        return (String) js().executeScript("const f = document.getElementById('answer-form');"
                + " return document.getElementById('done') ? 'done' : (f ? f.dataset.step : null);");
    }

    void key(CharSequence k) {
        new Actions(browser.driver).sendKeys(k).perform();
    }

    /** Presses the arrow that picks the real tile (or the other one), waits for the next item. */
    void answer(boolean correct) {
        WebElement form = browser.driver.findElement(By.id("answer-form"));
        String step = form.getAttribute("data-step");
        ReviewItem item = store.itemByToken(form.getAttribute("data-item")).orElseThrow();
        key(correct == item.realLeft() ? Keys.ARROW_LEFT : Keys.ARROW_RIGHT);
        browser.waiting(Duration.ofSeconds(10)).until(d -> !step.equals(current()));
    }

    /** The practice block with the keyboard: answer, read the feedback, Enter; then into the study. */
    void practise(long id, String rater) {
        browser.go("/review/sessions/" + id + "/rate");
        assertThat(browser.waitForPath("/review/sessions/" + id + "/practice(/\\d+)?"))
                .isNotNull();
        int total = practice.items(id).size();
        for (int k = 1; k <= total; k++) {
            browser.waitFor(By.id("answer-form"));
            assertThat(browser.driver.findElement(By.id("step")).getText()).isEqualTo("" + k);
            key(k % 2 == 1 ? Keys.ARROW_LEFT : Keys.ARROW_RIGHT);
            browser.waitFor(By.id("feedback"));
            String said = browser.driver.findElement(By.id("provenance")).getText();
            assertThat(said)
                    .containsPattern("The real tile was on the (left|right); the (right|left) one was generated by"
                            + " checkpoint '.*\\(demo\\)'");
            boolean realLeft = said.contains("on the left");
            assertThat(browser.driver.findElement(By.id("verdict")).getText())
                    .isEqualTo((k % 2 == 1) == realLeft ? "Right" : "Wrong");
            if (k == 1 && rater.equals("design-pat-a")) {
                browser.screenshot("review-practice-feedback");
            }
            key(Keys.ENTER);
            int next = k;
            browser.waiting(Duration.ofSeconds(10))
                    .until(d -> !d.findElements(By.id("practice-done")).isEmpty()
                            || !d.findElements(By.id("answer-form")).isEmpty()
                                    && ("" + (next + 1))
                                            .equals(d.findElement(By.id("step")).getText()));
        }
        browser.waitFor(By.id("practice-done"));
        assertThat(practice.answered(id, rater)).isEqualTo(total);
        browser.driver.findElement(By.id("start-study")).click();
        browser.waitFor(By.id("answer-form"));
        assertThat(browser.driver.findElements(By.id("practice-pill"))).isEmpty();
    }

    @Test
    void aMemberDesignsAStudyTwoPathologistsPractiseAndRateItAndTheResultsMatchTheCsv() {
        browser.signIn("design-rina", MEMBER_PW);
        Demo.load(browser, catalog);
        Demo.awaitGenerated(checkpoints, catalog, "demo baselines", this::demoBaselines, n -> n == 2);
        // session A: 8 pairs, 6 per rater with 4 in common, 2 practice items, going back and changing allowed
        long a = createSession("Design study A", 4, "FREE", "6", "4", "2", List.of("design-pat-a", "design-pat-b"));
        assertThat(browser.driver.findElement(By.id("design-subsets")).getText())
                .contains("6 of 8, 4 of them common");
        assertThat(browser.driver.findElement(By.id("design-practice")).getText())
                .startsWith("2 items with feedback");
        // session B: answers are final
        long b = createSession("Design study B", 2, "LOOK_BACK", "", "", "0", List.of("design-pat-a"));
        assertThat(browser.driver.findElement(By.id("design-navigation")).getText())
                .contains("an answer is final");
        browser.signOut();

        browser.driver.manage().window().setSize(new Dimension(1024, 768));
        // pathologist A: practice with feedback, then the study without; goes back once to change an answer
        browser.signIn("design-pat-a", PATH_PW);
        practise(a, "design-pat-a");
        assertThat(browser.driver.findElements(By.id("feedback"))).isEmpty();
        int total = Integer.parseInt(
                browser.driver.findElement(By.id("answer-form")).getAttribute("data-total"));
        assertThat(total).isEqualTo(6 + RaterSequence.repeats(6, 10));
        answer(true);
        answer(true);
        // back to item 2 with ↑, change the answer with the other arrow: saved, and on to item 3
        ReviewItem second = store.itemByToken(
                        browser.driver.findElement(By.id("answer-form")).getAttribute("data-item"))
                .orElseThrow();
        key(Keys.ARROW_UP);
        browser.waiting(Duration.ofSeconds(10)).until(d -> "2".equals(current()));
        ReviewItem item2 = store.itemByToken(
                        browser.driver.findElement(By.id("answer-form")).getAttribute("data-item"))
                .orElseThrow();
        assertThat(browser.driver.findElement(By.id("saved")).getText()).isEqualTo("answered");
        String before = store.answers(a, "design-pat-a").stream()
                .filter(x -> x.itemId() == item2.id())
                .findFirst()
                .orElseThrow()
                .choice();
        key(before.equals("LEFT") ? Keys.ARROW_RIGHT : Keys.ARROW_LEFT);
        browser.waiting(Duration.ofSeconds(10)).until(d -> "3".equals(current()));
        assertThat(store.answers(a, "design-pat-a").stream()
                        .filter(x -> x.itemId() == item2.id())
                        .findFirst()
                        .orElseThrow()
                        .choice())
                .isNotEqualTo(before);
        assertThat(second.id()).isNotEqualTo(item2.id());
        for (int k = 3; k <= total; k++) {
            answer(k % 3 != 0);
        }
        browser.waitFor(By.id("done"));

        // session B: back with ↑ is allowed to look, but the changed answer is refused with the reason
        browser.go("/review/sessions/" + b + "/rate");
        browser.waitFor(By.id("answer-form"));
        assertThat(browser.driver.findElements(By.id("practice-pill"))).isEmpty();
        answer(true);
        answer(false);
        key(Keys.ARROW_UP);
        browser.waiting(Duration.ofSeconds(10)).until(d -> "2".equals(current()));
        assertThat(browser.driver.findElement(By.id("final")).getText()).isEqualTo("answer final");
        String kept = store.answers(b, "design-pat-a").stream()
                .sorted((x, y) -> x.answeredAt().compareTo(y.answeredAt()))
                .toList()
                .get(1)
                .choice();
        key(kept.equals("LEFT") ? Keys.ARROW_RIGHT : Keys.ARROW_LEFT);
        browser.waiting(Duration.ofSeconds(10))
                .until(d ->
                        d.findElement(By.id("rater-error")).getText().contains("does not allow changing an answer"));
        browser.screenshot("review-change-refused");
        // the radio buttons show the stored answer again
        assertThat(browser.driver
                        .findElement(By.cssSelector("#answer-form input[name=choice][value=" + kept + "]"))
                        .isSelected())
                .isTrue();
        assertThat(current()).isEqualTo("2");
        assertThat(store.answers(b, "design-pat-a")).hasSize(2).anyMatch(x -> x.choice()
                .equals(kept));
        key(Keys.ARROW_DOWN);
        browser.waiting(Duration.ofSeconds(10)).until(d -> "3".equals(current()));
        while (!"done".equals(current())) {
            answer(true);
        }
        browser.signOut();

        // pathologist B: practice and study, straight through
        browser.signIn("design-pat-b", PATH_PW);
        practise(a, "design-pat-b");
        for (int k = 1; k <= total; k++) {
            answer(k % 2 == 0);
        }
        browser.waitFor(By.id("done"));
        browser.signOut();

        // the member: per-rater practice, progress and time per item; then results against the CSV
        browser.driver.manage().window().setSize(new Dimension(1366, 900));
        browser.signIn("design-rina", MEMBER_PW);
        browser.go("/review/sessions/" + a);
        browser.waitFor(By.id("raters"));
        for (String r : List.of("design-pat-a", "design-pat-b")) {
            WebElement row = browser.driver.findElement(By.cssSelector("#raters tr[data-rater='" + r + "']"));
            assertThat(row.findElement(By.cssSelector(".practice")).getText()).isEqualTo("2 / 2");
            assertThat(row.findElement(By.cssSelector(".answered")).getText()).isEqualTo(total + " / " + total);
            assertThat(row.findElement(By.cssSelector(".time")).getText()).matches("\\d+\\.\\d s · \\d+\\.\\d s");
        }
        js().executeScript("document.getElementById('raters').scrollIntoView();");
        browser.screenshot("review-design-session");

        String csv = (String) js().executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(r => r.text()).then(done);",
                        "/review/sessions/" + a + "/answers.csv");
        List<String> lines = csv.lines().toList();
        List<String> head = List.of(lines.get(0).split(","));
        int rater = head.indexOf("rater");
        int token = head.indexOf("item_token");
        int repeat = head.indexOf("repeat");
        int correct = head.indexOf("correct");
        assertThat(lines).as("every study answer, no practice answer").hasSize(1 + 2 * total);
        Map<String, Set<String>> seen = new HashMap<>();
        Map<String, int[]> perRater = new HashMap<>();
        int[] pooled = new int[2];
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f[repeat].equals("0")) {
                seen.computeIfAbsent(f[rater], k -> new HashSet<>()).add(f[token]);
                int c = Boolean.parseBoolean(f[correct]) ? 1 : 0;
                perRater.computeIfAbsent(f[rater], k -> new int[2])[0] += c;
                perRater.get(f[rater])[1]++;
                pooled[0] += c;
                pooled[1]++;
            }
        }
        // the subsets: 6 items each, the 4 common ones shared
        assertThat(seen.get("design-pat-a")).hasSize(6);
        assertThat(seen.get("design-pat-b")).hasSize(6);
        Set<String> both = new HashSet<>(seen.get("design-pat-a"));
        both.retainAll(seen.get("design-pat-b"));
        assertThat(both).hasSizeGreaterThanOrEqualTo(4);
        Set<String> practiceImages = new HashSet<>();
        practice.items(a).forEach(i -> {
            practiceImages.add(i.imageA());
            practiceImages.add(i.imageB());
        });
        assertThat(practiceImages).noneMatch(csv::contains);

        browser.go("/review/sessions/" + a + "/results");
        browser.waitFor(By.id("accuracy"));
        browser.screenshot("review-design-results");
        WebElement pooledRow = browser.driver.findElement(By.cssSelector("#accuracy tr[data-rater=pooled]"));
        assertThat(pooledRow.findElement(By.cssSelector(".acc")).getText())
                .isEqualTo(f3((double) pooled[0] / pooled[1]));
        for (String r : List.of("design-pat-a", "design-pat-b")) {
            WebElement row = browser.driver.findElement(By.cssSelector("#accuracy tr[data-rater='" + r + "']"));
            assertThat(row.findElement(By.cssSelector(".acc")).getText())
                    .isEqualTo(f3((double) perRater.get(r)[0] / perRater.get(r)[1]));
        }
        // the methods text states the design and the CSV's counts and pooled accuracy
        String methods = browser.driver.findElement(By.id("methods-text")).getText();
        assertThat(methods)
                .contains("giving " + (lines.size() - 1) + " answers: " + pooled[1] + " first showings")
                .contains("was " + f3((double) pooled[0] / pooled[1]) + " (" + pooled[0] + " of " + pooled[1]
                        + " answers")
                .contains("Each rater saw 6 of the items (4 common to every rater")
                .contains("answered 2 practice items")
                .contains("Eligibility: every tile");

        // disabling a rater after answers keeps them: same CSV, the page says disabled
        browser.go("/review/sessions/" + a);
        browser.driver
                .findElement(By.cssSelector("#raters tr[data-rater='design-pat-b'] button.disable"))
                .click();
        browser.waitFor(By.cssSelector("#raters tr[data-rater='design-pat-b'] .status"));
        String after = (String) js().executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(r => r.text()).then(done);",
                        "/review/sessions/" + a + "/answers.csv");
        assertThat(after.lines().count()).isEqualTo(lines.size());
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
