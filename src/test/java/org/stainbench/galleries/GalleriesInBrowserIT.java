package org.stainbench.galleries;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.beans.factory.annotation.Autowired;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.support.Demo;
import org.stainbench.support.DemoApplicationTest;
import org.stainbench.support.WithBrowser;

/**
 * Real Chromium on the demo project: loading it gives the two baselines; ten more stain-remap checkpoints make
 * twelve columns. Opens the random and best/worst galleries, the compare view (full resolution only for what is
 * shown), moves with the keyboard, and downloads the figure.
 */
// the demo application shared by the demo browser tests (one Spring context, one demo load): the gallery's twelve
// columns are the demo's two baselines and the ten checkpoints made here, whatever other tests added
@DemoApplicationTest
class GalleriesInBrowserIT extends WithBrowser {

    static final int CHECKPOINTS = 12;

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @BeforeAll
    void createAccounts() {
        accounts.createAccount("gil", Role.MEMBER, "member-password");
    }

    @Test
    void bothGalleriesWithTwelveCheckpointsCompareViewKeyboardAndFigure() {
        browser.signIn("gil", "member-password");
        Demo.load(browser, catalog);
        GeneratedFixtures.await("demo baselines", () -> demoCheckpoints().size() >= 2);
        long he = catalog.datasets().stream()
                .filter(d -> d.name().startsWith("Demo H&E"))
                .map(Dataset::id)
                .findFirst()
                .orElseThrow();
        // the demo's checkpoints are its two baselines (other tests sharing the application add checkpoints of
        // their own, never named "(demo)")
        List<Checkpoint> all = new ArrayList<>(demoCheckpoints());
        assertThat(all)
                .extracting(Checkpoint::kind)
                .containsExactlyInAnyOrder(CheckpointKind.REINHARD, CheckpointKind.STAIN_REMAP);
        for (int i = 0; i < CHECKPOINTS - 2; i++) {
            Checkpoint c = checkpoints.createBaseline(
                    CheckpointKind.STAIN_REMAP,
                    "remap h" + (0.6 + 0.1 * i),
                    null,
                    0.6 + 0.1 * i,
                    0.5 + 0.15 * i,
                    null,
                    "gil");
            checkpoints.applyBaseline(c.id(), he, "gil");
            all.add(c);
        }
        List<String> twelve = all.stream().map(c -> Long.toString(c.id())).toList();
        Demo.awaitGenerated(checkpoints, catalog, "the twelve checkpoints", () -> all, n -> n == CHECKPOINTS);

        // random gallery: 6 rows × (source + 12 checkpoints), thumbnails only
        browser.go("/checkpoints");
        browser.driver.findElement(By.linkText("Stain remap (demo)")).click();
        browser.driver.findElement(By.linkText("random gallery")).click();
        browser.waitFor(By.id("gallery-table"));
        // the link chose one checkpoint; tick all twelve (and only them: other tests' checkpoints may be offered too)
        for (WebElement box : browser.driver.findElements(By.cssSelector(".checkpoint-choice input[type=checkbox]"))) {
            if (box.isSelected() != twelve.contains(box.getAttribute("value"))) {
                box.click();
            }
        }
        browser.driver
                .findElement(By.cssSelector("#gallery-form button[type=submit]"))
                .click();
        browser.waiting(Duration.ofSeconds(20))
                .until(d -> d.findElements(By.cssSelector("#gallery-table thead th"))
                                .size()
                        == CHECKPOINTS + 2);
        assertThat(browser.driver.findElements(By.cssSelector("#gallery-table tr.gallery-row")))
                .hasSize(6);
        assertThat(browser.driver.findElements(By.cssSelector("#gallery-table td img")))
                .hasSize(6 * (CHECKPOINTS + 1));
        assertThat(browser.url()).contains("seed=").contains("ck=");
        String seed = browser.driver.findElement(By.id("seed")).getText();
        browser.waiting(Duration.ofSeconds(20))
                .until(
                        d -> (Boolean)
                                js().executeScript(
                                                "return Array.from(document.querySelectorAll('#gallery-table td img')).every(i => i.complete && i.naturalWidth > 0);"));
        assertThat(fullImagesFetched()).isZero();
        browser.screenshot("gallery-random-12");
        String permalink = browser.driver.findElement(By.id("permalink")).getAttribute("href");
        List<String> cells = cellSources();
        browser.driver.findElement(By.id("reshuffle")).click();
        browser.waiting(Duration.ofSeconds(10))
                .until(d -> !d.findElement(By.id("seed")).getText().equals(seed));
        browser.driver.get(permalink);
        browser.waitFor(By.id("gallery-table"));
        assertThat(cellSources()).isEqualTo(cells);

        // figure download
        String figure = browser.driver.findElement(By.id("figure")).getAttribute("href");
        @SuppressWarnings("unchecked")
        Map<String, Object> png = (Map<String, Object>) js().executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done({status: r.status, type: r.headers.get('content-type'),"
                                + " disposition: r.headers.get('content-disposition'), size: b.byteLength, magic: Array.from(new Uint8Array(b.slice(0, 4)))})));",
                        figure);
        assertThat(png.get("status")).isEqualTo(200L);
        assertThat(png.get("type")).isEqualTo("image/png");
        assertThat((String) png.get("disposition")).contains("attachment");
        assertThat(png.get("magic")).isEqualTo(List.of(137L, 80L, 78L, 71L));

        // compare view: single view first, so only the focused panel's full-resolution tile may be fetched
        js().executeScript("sessionStorage.setItem('sb-compare', JSON.stringify({view: 'single', focus: 0}));");
        browser.driver
                .findElements(By.cssSelector("#gallery-table tr.gallery-row"))
                .get(0)
                .findElements(By.cssSelector("a.to-compare"))
                .get(3)
                .click();
        browser.waitFor(By.id("compare"));
        assertThat(browser.driver.findElements(By.cssSelector("#compare .panel")))
                .hasSize(CHECKPOINTS + 1);
        browser.waiting(Duration.ofSeconds(20)).until(d -> fullImagesFetched() == 1);
        assertThat(fullImagesFetched()).isEqualTo(1);
        // next checkpoint with the keyboard: its full tile is fetched now, and only it
        new Actions(browser.driver).sendKeys(Keys.ARROW_DOWN).perform();
        browser.waiting(Duration.ofSeconds(20)).until(d -> fullImagesFetched() == 2);
        assertThat(browser.driver
                        .findElement(By.cssSelector("#compare .panel.focus"))
                        .getAttribute("data-col"))
                .isEqualTo("1");
        // grid view: all visible panels load; zoom applies to all of them
        browser.driver.findElement(By.id("view-grid")).click();
        browser.waiting(Duration.ofSeconds(30)).until(d -> (Boolean) js().executeScript(
                        "return Array.from(document.querySelectorAll('#compare .panel img')).filter(i => i.getBoundingClientRect().top < innerHeight)"
                                + ".every(i => i.dataset.loaded === 'yes');"));
        js().executeScript(
                        "document.getElementById('compare').dispatchEvent(new WheelEvent('wheel', {deltaY: -100, bubbles: true, cancelable: true}));");
        List<?> transforms = (List<?>)
                js().executeScript(
                                "return Array.from(document.querySelectorAll('#compare .panel img')).map(i => i.style.transform);");
        assertThat(transforms).allSatisfy(t -> assertThat(t.toString()).contains("scale(1.25)"));
        browser.screenshot("compare-grid");
        // overlay mode between source and one checkpoint
        new Actions(browser.driver).sendKeys("o").perform();
        browser.waiting(Duration.ofSeconds(10))
                .until(d -> d.findElement(By.cssSelector(".overlay-stage")).isDisplayed());
        browser.screenshot("compare-overlay");
        // next tile with the keyboard
        String index = browser.driver.findElement(By.id("compare-index")).getText();
        String url = browser.url();
        new Actions(browser.driver).sendKeys(Keys.ARROW_RIGHT).perform();
        browser.waiting(Duration.ofSeconds(10)).until(d -> !d.getCurrentUrl().equals(url));
        assertThat(browser.url()).contains("row=1");
        browser.waitFor(By.id("compare-index"));
        browser.screenshot("compare-next");
        new Actions(browser.driver).sendKeys(Keys.ARROW_LEFT).perform();
        browser.waiting(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("row=0"));
        assertThat(browser.driver.findElement(By.id("compare-index")).getText()).isEqualTo(index);

        // best / worst gallery, ranked by one checkpoint, scores on hover
        browser.driver.findElement(By.id("back")).click();
        browser.driver.findElement(By.id("tab-best-worst")).click();
        browser.waitFor(By.id("gallery-table"));
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#gallery-table tr.gallery-row"));
        assertThat(rows).hasSize(6);
        assertThat(rows.get(0).getText()).contains("best 1");
        assertThat(rows.get(5).getText()).contains("worst 3");
        assertThat(browser.driver.findElements(By.cssSelector("#gallery-table thead th")))
                .hasSize(CHECKPOINTS + 2);
        assertThat(browser.driver
                        .findElement(By.cssSelector("#gallery-table thead"))
                        .getText())
                .contains("(ranked)");
        String title = String.join(
                " ",
                browser.driver.findElements(By.cssSelector("#gallery-table tr.gallery-row:first-child img")).stream()
                        .map(i -> i.getAttribute("title"))
                        .toList());
        assertThat(title).contains("badness").contains("saturation std");
        browser.screenshot("gallery-best-worst-12");
    }

    /** The checkpoints the demo made (named "… (demo)"). */
    List<Checkpoint> demoCheckpoints() {
        return checkpoints.all().stream()
                .filter(c -> c.name().endsWith("(demo)"))
                .toList();
    }

    long fullImagesFetched() {
        return (Long)
                js().executeScript(
                                "return performance.getEntriesByType('resource').filter(e => /\\/tiles\\/\\d+\\/image/.test(e.name)).length;");
    }

    List<String> cellSources() {
        return browser.driver.findElements(By.cssSelector("#gallery-table td img")).stream()
                .map(i -> i.getAttribute("src"))
                .toList();
    }
}
