package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.accounts.TokenScope;
import org.stainbench.support.WithBrowser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A script logs two seeds of a run over real HTTP, as the mlflow client would; a supervisor then
 * opens the runs page, a run's curves and the seed-group comparison in Chromium; a member deletes one seed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunsInBrowserIT extends WithBrowser {

    @Autowired
    Accounts accounts;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();
    String token;

    @BeforeAll
    void createAccounts() {
        accounts.register("trainer", null, Role.MEMBER, "Walnut-Prism-6614");
        accounts.register("boss", null, Role.SUPERVISOR, "supervisor-password");
        token = accounts.newToken("gpu-script", "trainer", TokenScope.API);
    }

    JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/2.0/mlflow" + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    @Test
    void loggedRunsAreBrowsableAndComparable() throws Exception {
        String exp = post("/experiments/create", "{\"name\": \"lora-browser\"}")
                .get("experiment_id")
                .asString();
        String[] ids = new String[2];
        for (int seed = 0; seed < 2; seed++) {
            ids[seed] = post(
                            "/runs/create",
                            "{\"experiment_id\": \"%s\", \"run_name\": \"lora-seed%d\", \"start_time\": %d}"
                                    .formatted(exp, seed, 1_764_000_000_000L + seed))
                    .get("run")
                    .get("info")
                    .get("run_id")
                    .asString();
            StringBuilder metrics = new StringBuilder();
            for (int step = 0; step < 50; step++) {
                double loss = 1.0 / (1 + step * 0.2) + 0.02 * seed;
                metrics.append(step == 0 ? "" : ",")
                        .append("{\"key\": \"loss\", \"value\": %s, \"timestamp\": %d, \"step\": %d}"
                                .formatted(loss, 1000 + step, step));
            }
            post(
                    "/runs/log-batch",
                    "{\"run_id\": \"%s\", \"metrics\": [%s], \"params\": [{\"key\": \"seed\", \"value\": \"%d\"}, {\"key\": \"lora_rank\", \"value\": \"4\"}]}"
                            .formatted(ids[seed], metrics, seed));
            post(
                    "/runs/update",
                    "{\"run_id\": \"%s\", \"status\": \"FINISHED\", \"end_time\": 1764000100000}".formatted(ids[seed]));
        }

        browser.signIn("boss", "supervisor-password");
        browser.go("/runs");
        assertThat(browser.driver.findElement(By.id("runs")).getText())
                .contains("lora-seed0", "lora-seed1", "FINISHED");
        // the runs table with the latest loss and the seed as columns, sorted by the loss; the view is the URL
        browser.go("/runs?experiment=" + exp);
        browser.driver.findElement(By.cssSelector("#column-chooser summary")).click();
        browser.driver
                .findElement(By.cssSelector("#column-chooser input[value='metrics.loss']"))
                .click();
        browser.driver
                .findElement(By.cssSelector("#column-chooser input[value='params.seed']"))
                .click();
        browser.driver.findElement(By.id("apply-view")).click();
        browser.waiting(Duration.ofSeconds(15))
                .until(d -> d.findElements(By.cssSelector("#runs th.chosen")).size() == 2);
        browser.driver
                .findElement(By.cssSelector("#runs a.sort[data-column='metrics.loss']"))
                .click();
        browser.waiting(Duration.ofSeconds(15)).until(d -> browser.url().contains("sort=metrics.loss&dir=desc"));
        // highest latest loss first: seed 1 ends 0.02 above seed 0
        assertThat(browser.driver.findElements(By.cssSelector("#runs tbody tr[data-run]")).stream()
                        .map(r -> r.getAttribute("data-run"))
                        .toList())
                .containsExactly(ids[1], ids[0]);
        browser.driver
                .findElement(By.cssSelector("#runs a.sort[data-column='metrics.loss']"))
                .click();
        browser.waiting(Duration.ofSeconds(15)).until(d -> browser.url().contains("sort=metrics.loss&dir=asc"));
        assertThat(browser.driver.findElements(By.cssSelector("#runs tbody tr[data-run]")).stream()
                        .map(r -> r.getAttribute("data-run"))
                        .toList())
                .containsExactly(ids[0], ids[1]);
        assertThat(browser.driver
                        .findElement(By.cssSelector("#runs th[aria-sort='ascending']"))
                        .getText())
                .contains("loss");
        assertThat(browser.url()).contains("col=metrics.loss").contains("col=params.seed");
        String loss0 = browser.driver
                .findElement(By.cssSelector("tr[data-run='" + ids[0] + "'] td[data-column='metrics.loss']"))
                .getText();
        assertThat(Double.parseDouble(loss0))
                .isCloseTo(1.0 / (1 + 49 * 0.2), org.assertj.core.data.Offset.offset(1e-3));
        browser.screenshot("runs-sorted-by-metric");
        // a bad filter: the message next to the field, the table still there
        browser.driver.findElement(By.id("filter")).sendKeys("metrics.loss < 'low'");
        browser.driver.findElement(By.id("apply-view")).click();
        browser.waitFor(By.id("filter-error"));
        assertThat(browser.driver.findElement(By.id("filter-error")).getText())
                .contains("must be compared with a number");
        browser.go("/runs");
        browser.driver.findElement(By.linkText("lora-seed0")).click();
        browser.waiting(Duration.ofSeconds(15))
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#charts canvas[data-metric='loss']")));
        assertThat(browser.driver.findElement(By.id("params")).getText()).contains("lora_rank", "4");
        browser.screenshot("run-detail");

        browser.go("/runs");
        for (String id : ids) {
            browser.driver
                    .findElement(By.cssSelector("tr[data-run='" + id + "'] input[type=checkbox]"))
                    .click();
        }
        browser.driver.findElement(By.cssSelector("input[name=seeds]")).click();
        browser.driver.findElement(By.id("compare-selected")).click();
        browser.waiting(Duration.ofSeconds(15))
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#charts canvas[data-metric='loss']")));
        assertThat(browser.driver.findElement(By.id("param-diff")).getText())
                .contains("seed")
                .doesNotContain("lora_rank");
        assertThat(browser.driver.findElement(By.id("metric-table")).getText()).contains("(n=2)");
        browser.screenshot("runs-compare");
        // unticking "group by seed" submits its form by itself (stainbench.js: no inline handler under the CSP)
        browser.driver.findElement(By.id("by-seed")).click();
        browser.waiting(Duration.ofSeconds(15)).until(d -> !browser.url().contains("seeds=true"));
        browser.waiting(Duration.ofSeconds(15))
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#charts canvas[data-metric='loss']")));
        assertThat(browser.driver.findElement(By.id("metric-table")).getText()).doesNotContain("(n=2)");
        browser.signOut();

        // the member deletes seed 1 from its page, confirming with the keyboard (Enter on the focused Delete button)
        browser.signIn("trainer", "Walnut-Prism-6614");
        browser.go("/runs/" + ids[1]);
        browser.driver.findElement(By.id("delete-run")).click();
        browser.waitFor(By.id("confirm-delete"));
        assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("confirm-delete");
        browser.screenshot("run-delete-confirm");
        browser.driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
        browser.waitForPath("/runs");
        assertThat(browser.driver.findElement(By.cssSelector(".flash")).getText())
                .contains("lora-seed1", "deleted");
        assertThat(browser.driver.findElement(By.id("runs")).getText())
                .contains("lora-seed0")
                .doesNotContain("lora-seed1");
        browser.signOut();
    }
}
