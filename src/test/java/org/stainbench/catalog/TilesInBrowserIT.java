package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.support.WithBrowser;
import org.stainbench.tiles.SyntheticTiles;

/**
 * Real Chromium: create a dataset, upload an archive in the lab's format, watch the ingest finish on the
 * dataset page, browse and filter the tiles, open one at full resolution and step with the arrow keys.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TilesInBrowserIT extends WithBrowser {

    @Autowired
    Accounts accounts;

    @BeforeAll
    void createAccounts() {
        accounts.createAccount("bea", Role.MEMBER, "member-password");
    }

    @Test
    void uploadIngestBrowseAndOpenAFullTile(@TempDir Path dir) {
        Path archive = CatalogFixtures.labArchive(dir, "he_1811474_3.npz", SyntheticTiles.Stain.HE, 14, 512, 77);
        browser.signIn("bea", "member-password");
        browser.go("/");
        browser.driver.findElement(By.cssSelector("#nav a[data-nav=datasets]")).click();
        browser.waitFor(By.id("no-datasets"));
        browser.driver.findElement(By.xpath("//summary[text()='New dataset']")).click();
        browser.waitFor(By.id("new-dataset"));
        browser.driver.findElement(By.name("name")).sendKeys("Browser H&E");
        browser.driver.findElement(By.name("cohort")).sendKeys("site A");
        WebElement size = browser.driver.findElement(By.name("tileSize"));
        size.clear();
        size.sendKeys("512");
        browser.driver
                .findElement(By.cssSelector("#new-dataset button[type=submit]"))
                .click();
        browser.waitFor(By.id("upload"));
        assertThat(browser.driver.findElement(By.cssSelector(".flash.ok")).getText())
                .contains("created");

        browser.driver
                .findElement(By.cssSelector("#upload input[type=file]"))
                .sendKeys(archive.toAbsolutePath().toString());
        browser.driver
                .findElement(By.cssSelector("#upload button[type=submit]"))
                .click();
        browser.waitFor(By.cssSelector("#archives tr[data-archive='he_1811474_3.npz']"));
        // htmx polls the progress and reloads the page when the ingest is done
        browser.waiting(Duration.ofSeconds(60))
                .until(ExpectedConditions.textToBe(
                        By.cssSelector("#archives tr[data-archive='he_1811474_3.npz'] .pill"), "ready"));
        WebElement row = browser.driver.findElement(By.cssSelector("#archives tr[data-archive='he_1811474_3.npz']"));
        assertThat(row.getText()).contains("1811474").contains("14");
        assertThat(browser.driver.findElement(By.id("tile-count")).getText()).contains("14");
        // Chart.js drew the histograms
        browser.waiting(Duration.ofSeconds(10))
                .until(d -> d.findElements(By.cssSelector("#histograms canvas")).size() == 5);
        browser.screenshot("dataset-detail");

        browser.driver.findElement(By.id("browse-tiles")).click();
        browser.waitFor(By.cssSelector("#tile-grid a.tile"));
        List<WebElement> tiles = browser.driver.findElements(By.cssSelector("#tile-grid a.tile"));
        assertThat(tiles).hasSize(14);
        // the thumbnails load after the grid is in: wait for them (on a busy machine they take a moment)
        browser.waiting(Duration.ofSeconds(10)).until(d -> thumbnailsLoaded());
        // filter: informative only (htmx swaps the grid)
        String all = browser.driver.findElement(By.id("match-count")).getText();
        browser.driver.findElement(By.name("informative")).click();
        // htmx replaces the grid (and pushes the URL): read the count once the new grid is in
        int informative = Integer.parseInt(browser.waiting(Duration.ofSeconds(10))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    String n = d.findElement(By.id("match-count")).getText();
                    return d.getCurrentUrl().contains("informative=true") && !n.equals(all) ? n : null;
                }));
        assertThat(informative).isLessThan(14).isGreaterThan(0);
        assertThat(browser.url()).contains("informative=true");
        browser.screenshot("tile-browser");

        browser.driver.findElements(By.cssSelector("#tile-grid a.tile")).get(0).click();
        browser.waitFor(By.id("full-tile"));
        browser.waiting(Duration.ofSeconds(10)).until(d -> (Boolean) ((JavascriptExecutor) d)
                .executeScript(
                        "var i = document.getElementById('full-tile'); return i.complete && i.naturalWidth === 512;"));
        assertThat(browser.driver.findElement(By.id("measures")).getText())
                .contains("Laplacian variance")
                .contains("yes");
        String first = browser.driver.findElement(By.id("tile-index")).getText();
        new Actions(browser.driver).sendKeys(Keys.ARROW_RIGHT).perform();
        browser.waiting(Duration.ofSeconds(10))
                .until(d -> !d.findElement(By.id("tile-index")).getText().equals(first));
        assertThat(browser.driver.findElement(By.id("measures")).getText()).contains("yes"); // still within the filter
        browser.screenshot("tile-view");
        new Actions(browser.driver).sendKeys(Keys.ARROW_LEFT).perform();
        browser.waiting(Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("tile-index")).getText().equals(first));
    }

    private boolean thumbnailsLoaded() {
        return (Boolean)
                js().executeScript(
                                "return Array.from(document.querySelectorAll('#tile-grid img')).every(i => i.complete && i.naturalWidth === 256);");
    }
}
