package org.stainbench.slides;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.support.Waits;
import org.stainbench.support.WithBrowser;

/**
 * In Chromium: register a slide (a vips pyramid of a real H&E image) by server path, start a tiling into a
 * dataset, watch the tilings table until it is done, and open a tile from the slide map in the tile browser.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlidesInBrowserIT extends WithBrowser {

    @Autowired
    Slides slides;

    @Autowired
    Catalog catalog;

    Path tif;

    @BeforeAll
    void writePyramid(@TempDir Path tmp) throws Exception {
        SlideFixtures.requireTools();
        Path allowed = slides.allowedRoots().get(0);
        Files.createDirectories(allowed);
        tif = SlideFixtures.pyramid(allowed, "he_tiatoolbox_1.png", 300, 200, 1700, 1500, "he_2200511_1.tif");
    }

    @Test
    void registerTileAndOpenATileFromTheMap() throws InterruptedException {
        long dataset = catalog.createDataset("browser-slides", Stain.HE, null, "renal", 256, null, "admin");
        browser.signIn("admin", "admin-test-pw");
        browser.go("/");
        browser.driver.findElement(By.cssSelector("a[data-nav='slides']")).click();
        browser.driver
                .findElement(By.cssSelector("#slide-by-path input[name=path]"))
                .sendKeys(tif.toString());
        new Select(browser.driver.findElement(By.cssSelector("#slide-by-path select[name=label]")))
                .selectByVisibleText("ccRCC");
        browser.driver.findElement(By.cssSelector("#slide-by-path button")).click();
        browser.waitFor(By.id("slide-label"));
        assertThat(browser.driver.findElement(By.id("slide-label")).getText()).isEqualTo("ccRCC");
        assertThat(browser.driver.findElement(By.tagName("hgroup")).getText()).contains("1700 × 1500", "generic-tiff");

        new Select(browser.driver.findElement(By.cssSelector("#tile-form select[name=dataset]")))
                .selectByVisibleText("browser-slides");
        WebElement size = browser.driver.findElement(By.cssSelector("#tile-form input[name=tileSize]"));
        size.clear();
        size.sendKeys("256");
        browser.driver.findElement(By.id("start-tiling")).click();
        // the tilings table polls until the job is done, then the page reloads with the map
        browser.waiting(Duration.ofSeconds(90))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.show-map")));
        Tiling t = slides.tilings(slides.slides(0, 10).stream()
                        .filter(s -> s.name().equals("he_2200511_1.tif"))
                        .findFirst()
                        .orElseThrow()
                        .id())
                .get(0);
        assertThat(t.tilesKept()).isGreaterThan(0);
        // the catalog indexes the archive with its own ingest job
        Waits.upTo(Duration.ofSeconds(90), "the tiled archive is ingested")
                .until(() -> catalog.archive(t.archiveId()).orElseThrow().status() == ArchiveStatus.READY);
        browser.driver.findElement(By.cssSelector("a.show-map")).click();
        browser.waitFor(By.cssSelector("#slide-map rect#tile-0"));
        assertThat(browser.driver.findElements(By.cssSelector("#slide-map rect")))
                .hasSize(t.tilesKept());
        browser.screenshot("slide-map");
        WebElement rect = browser.driver.findElement(By.cssSelector("#slide-map rect#tile-1"));
        js().executeScript("arguments[0].scrollIntoView()", rect);
        rect.click();
        browser.waitFor(By.id("full-tile"));
        assertThat(browser.path()).matches("/tiles/\\d+");
        assertThat(browser.driver.findElement(By.id("tile-index")).getText()).isEqualTo("1");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).contains("he_2200511_1.npz");
        browser.screenshot("slide-tile");
    }
}
