package org.stainbench.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.evaluation.Agreements;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Metric;
import org.stainbench.evaluation.Subject;
import org.stainbench.support.Demo;
import org.stainbench.support.WithBrowser;

/**
 * Issue 16's acceptance in a browser, on the demo project: the demo's own evaluation (its run's four epochs against
 * the demo CK7, the lab's tile rule chosen explicitly, with the patient bootstrap) shows seed-invariant values and
 * patient-bootstrap intervals; the demo's review session over the same checkpoints has no answers, so the agreement
 * section first says it needs at least 4 checkpoints; a member adds two pathologists, who answer the session on the
 * rating screen with the keyboard; then the evaluation page ranks the metrics by Spearman's rho and Kendall's tau
 * against the share of raters fooled per checkpoint, with intervals. Screenshots under target/screenshots/.
 */
// the application of DashboardInBrowserIT (same properties: one Spring context, one demo load and one demo training run
// for both); this test adds raters and answers only, and counts nothing the dashboard test counts
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"stainbench.test.application=dashboard", "stainbench.demo.training=true"})
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoAgreementInBrowserIT extends WithBrowser {

    static final String MEMBER = "agree-member";
    static final String MEMBER_PW = "Lantern-Fjord-6620";
    static final String PAT_ONE = "agree-pat-one";
    static final String PAT_TWO = "agree-pat-two";
    static final String PAT_PW = "Saffron-Delta-3158";

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Evaluations evaluations;

    @Autowired
    Agreements agreements;

    @Autowired
    ReviewStore store;

    @Autowired
    ReviewSummaries summaries;

    @BeforeAll
    void createAccounts() {
        accounts.createAccount(MEMBER, Role.MEMBER, MEMBER_PW);
        accounts.createAccount(PAT_ONE, Role.PATHOLOGIST, PAT_PW);
        accounts.createAccount(PAT_TWO, Role.PATHOLOGIST, PAT_PW);
    }

    Optional<Evaluation> demoEvaluation() {
        return evaluations.finished().stream()
                .filter(e -> "demo".equals(e.createdBy()))
                .findFirst();
    }

    Optional<Long> demoSession() {
        return summaries.latest(50).stream()
                .filter(s -> s.name().equals(DemoReview.NAME))
                .map(ReviewSummaries.Summary::id)
                .findFirst();
    }

    @Test
    void theDemoEvaluationShowsSeedInvariantValuesBootstrapIntervalsAndAgreementWithItsReviewSession() {
        browser.signIn(MEMBER, MEMBER_PW);
        Demo.load(browser, catalog);
        // the demo evaluates its run's epochs itself; its review session follows when that evaluation finishes
        GeneratedFixtures.await("the demo's evaluation", () -> demoEvaluation().isPresent());
        GeneratedFixtures.await("the demo's review session", () -> demoSession().isPresent());
        Evaluation demo = demoEvaluation().orElseThrow();
        long session = demoSession().orElseThrow();
        List<Long> evaluated = evaluations.subjects(demo.id()).stream()
                .map(Subject::checkpointId)
                .distinct()
                .sorted()
                .toList();
        assertThat(evaluated).hasSize(4);
        List<ReviewItem> items = store.items(session);
        assertThat(items)
                .extracting(ReviewItem::checkpointId)
                .containsOnlyElementsOf(evaluated)
                .hasSize(evaluated.size() * DemoReview.PER_CHECKPOINT);
        assertThat(store.answerCount(session))
                .as("the demo makes up no answers")
                .isZero();

        // before any answer: the values, and the section saying what it lacks
        browser.go("/evaluations/" + demo.id());
        browser.waitFor(By.id("comparison"));
        assertThat(browser.driver.findElements(By.cssSelector("#comparison tr.comparison-row")))
                .hasSize(4);
        assertThat(browser.driver.findElements(By.cssSelector("#comparison td[data-metric-key=fid] .seed-invariant")))
                .hasSize(4);
        assertThat(browser.driver.findElement(By.id("comparison")).getText()).doesNotContain("± 0.0000");
        assertThat(browser.driver.findElements(By.cssSelector("#comparison td[data-metric-key=fid] .boot-interval")))
                .hasSize(4);
        assertThat(browser.driver.findElement(By.id("bootstrap-note")).getText())
                .contains("patient-bootstrap");
        WebElement waiting =
                browser.driver.findElement(By.cssSelector("#agreement article[data-session='" + session + "']"));
        assertThat(waiting.findElement(By.cssSelector(".agreement-note")).getText())
                .startsWith("needs at least 4 checkpoints");

        // the member adds the two pathologists on the session's page
        for (String p : List.of(PAT_ONE, PAT_TWO)) {
            browser.go("/review/sessions/" + session);
            browser.waitFor(By.id("add-rater"));
            new Select(browser.driver.findElement(By.cssSelector("#add-rater select[name=username]"))).selectByValue(p);
            browser.driver
                    .findElement(By.cssSelector("#add-rater button[type=submit]"))
                    .click();
            browser.waiting(Duration.ofSeconds(15))
                    .until(d -> store.rater(session, p).isPresent());
        }
        browser.signOut();

        // each pathologist answers every item on the rating screen; how often each is fooled depends on the checkpoint
        for (String p : List.of(PAT_ONE, PAT_TWO)) {
            browser.signIn(p, PAT_PW);
            browser.waitFor(By.id("assigned"));
            browser.driver
                    .findElement(By.cssSelector(".rate-link[data-session='" + session + "']"))
                    .click();
            browser.waitFor(By.id("answer-form"));
            int total = Integer.parseInt(
                    browser.driver.findElement(By.id("answer-form")).getAttribute("data-total"));
            assertThat(answerAll(p, evaluated)).isEqualTo(total);
            browser.waitFor(By.id("done"));
            browser.signOut();
        }
        assertThat(store.answerCount(session)).isEqualTo(2L * items.size());

        // the evaluation page ranks the metrics by their agreement with the pathologists
        browser.signIn(MEMBER, MEMBER_PW);
        browser.go("/evaluations/" + demo.id());
        browser.waitFor(By.id("agreement"));
        WebElement section =
                browser.driver.findElement(By.cssSelector("#agreement article[data-session='" + session + "']"));
        assertThat(section.getAttribute("data-checkpoints")).isEqualTo("4");
        assertThat(section.getText()).contains("share of raters fooled").contains("4 checkpoints, 2 raters");
        assertThat(section.findElements(By.cssSelector(".agreement-note"))).isEmpty();
        Agreements.OutcomeAgreement expected = agreements.of(demo.id()).stream()
                .filter(a -> a.sessionId() == session)
                .findFirst()
                .orElseThrow();
        List<WebElement> rows = section.findElements(By.cssSelector(".agreement-table tbody tr"));
        assertThat(rows).isNotEmpty().hasSize(expected.metrics().size());
        for (int i = 0; i < rows.size(); i++) {
            Agreements.MetricAgreement m = expected.metrics().get(i);
            WebElement row = rows.get(i);
            assertThat(row.getAttribute("data-metric")).isEqualTo(m.metric().key());
            if (m.rho() != null) {
                assertThat(Double.parseDouble(row.getAttribute("data-rho"))).isEqualTo(m.rho());
                assertThat(Double.parseDouble(row.getAttribute("data-tau"))).isEqualTo(m.tau());
                assertThat(row.getText())
                        .contains(String.format(java.util.Locale.ROOT, "%.3f", m.rho()))
                        .contains("[");
            }
        }
        Agreements.MetricAgreement fid = expected.metrics().stream()
                .filter(m -> m.metric() == Metric.FID)
                .findFirst()
                .orElseThrow();
        assertThat(fid.n()).isEqualTo(4);
        assertThat(fid.rho())
                .as("the outcome varies over the checkpoints, so rho is defined")
                .isNotNull();
        assertThat(fid.rhoInterval()).isNotNull();
        js().executeScript("document.getElementById('comparison').scrollIntoView();");
        browser.screenshot("demo-evaluation-seed-invariant-and-bootstrap");
        js().executeScript("document.getElementById('agreement-heading').scrollIntoView();");
        browser.screenshot("demo-evaluation-agreement");
        browser.signOut();
    }

    /**
     * Answers with the arrow keys until the session is done: a rater is fooled (picks the generated tile) on the first
     * {@code k} items of the k-th checkpoint (rater two: k + 1 on the first checkpoint, k - 1 on the second), so the
     * share of raters fooled rises with the checkpoint. Returns the number of answers given.
     */
    int answerAll(String rater, List<Long> checkpointsInOrder) {
        Map<Long, Integer> seen = new HashMap<>();
        int given = 0;
        while (browser.driver.findElements(By.id("done")).isEmpty()) {
            WebElement form = browser.driver.findElement(By.id("answer-form"));
            int step = Integer.parseInt(form.getAttribute("data-step"));
            ReviewItem item = store.itemByToken(form.getAttribute("data-item")).orElseThrow();
            int k = checkpointsInOrder.indexOf(item.checkpointId());
            if (rater.equals(PAT_TWO) && k < 2) {
                k = 1 - k;
            }
            int n = seen.merge(item.checkpointId(), 1, Integer::sum);
            boolean fooled = n <= k;
            boolean left = !fooled == item.realLeft();
            new Actions(browser.driver)
                    .sendKeys(left ? Keys.ARROW_LEFT : Keys.ARROW_RIGHT)
                    .perform();
            browser.waiting(Duration.ofSeconds(10)).until(d -> !("" + step)
                    .equals(js().executeScript("const f = document.getElementById('answer-form');"
                            + " return document.getElementById('done') ? 'done' : (f ? f.dataset.step : null);")));
            given++;
        }
        return given;
    }
}
