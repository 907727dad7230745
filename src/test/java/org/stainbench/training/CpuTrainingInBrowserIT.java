package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobState;
import org.stainbench.support.Browser;
import org.stainbench.tiles.SyntheticTiles;

/**
 * A member, with two synthetic datasets from the demo's generator, launches the CPU colour-map training from its form, watches the loss
 * chart grow while the run is live, and sees the epoch checkpoints appear on the run page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CpuTrainingInBrowserIT {

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    JobQueue jobs;

    Browser browser;

    @BeforeAll
    void start() {
        Browser.require();
        accounts.register("tess", null, Role.MEMBER, "member-password");
        browser = Browser.open(port);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void launchFromTheFormAndWatchItLearn() {
        browser.signIn("tess", "member-password");
        long he = catalog.createDataset("Synthetic H&E", Stain.HE, null, "synthetic", 512, null, "tess");
        long ck7 = catalog.createDataset("Synthetic CK7", Stain.IHC, "CK7", "synthetic", 512, null, "tess");
        upload(he, "he_1_1.npz", SyntheticTiles.Stain.HE, 11);
        upload(he, "he_2_1.npz", SyntheticTiles.Stain.HE, 12);
        upload(ck7, "ihc_3_1.npz", SyntheticTiles.Stain.CK7, 21);
        long end = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < end && !java.util.stream.LongStream.of(he, ck7)
                .allMatch(d -> catalog.archives(d).stream().allMatch(a -> a.status() == ArchiveStatus.READY))) {
            sleep(500);
        }
        browser.go("/runs");
        browser.driver.findElement(By.id("new-cpu-training")).click();
        new Select(browser.driver.findElement(By.id("sourceDatasetId"))).selectByVisibleText("Synthetic H&E");
        new Select(browser.driver.findElement(By.id("targetDatasetId"))).selectByIndex(1);
        new Select(browser.driver.findElement(By.id("split"))).selectByValue("all");
        set("epochs", "3");
        set("steps", "400");
        browser.driver.findElement(By.id("launch-cpu")).click();
        assertThat(browser.path()).startsWith("/runs/");
        long jobId = Long.parseLong(browser.driver.findElement(By.id("run-job")).getText().substring(1));
        browser.waiting(Duration.ofSeconds(300)).until(d -> jobs.find(jobId).orElseThrow().state() != JobState.QUEUED);
        assertThat(jobs.find(jobId).orElseThrow().state()).as("job " + jobs.find(jobId).orElseThrow().error())
                .isIn(JobState.RUNNING, JobState.SUCCEEDED);
        // the demo's own jobs (ingest, baselines) may still hold the embedded workers: the run waits its turn
        browser.waiting(Duration.ofSeconds(300)).until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#charts canvas[data-metric='loss']")));
        long first = points();
        browser.waiting(Duration.ofSeconds(120)).until(d -> points() > first);
        browser.screenshot("cpu-training-live");
        browser.waiting(Duration.ofSeconds(240)).until(d -> {
            browser.driver.navigate().refresh();
            return browser.driver.findElement(By.id("run-status")).getText().equals("FINISHED");
        });
        assertThat(browser.driver.findElements(By.cssSelector("#run-checkpoints tr[data-epoch]"))).hasSize(3);
        assertThat(browser.driver.findElement(By.id("params")).getText()).contains("sliced Wasserstein");
        browser.screenshot("cpu-training-done");
        browser.signOut();
    }

    private void upload(long dataset, String name, SyntheticTiles.Stain stain, long seed) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            SyntheticTiles.writeLabArchive(out, stain, 8, 512, seed, 0.1, 0.1, true);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        catalog.registerUpload(dataset, name, new java.io.ByteArrayInputStream(out.toByteArray()), "tess");
    }

    private long points() {
        Object n = ((JavascriptExecutor) browser.driver).executeScript(
                "var c = Chart.getChart(document.querySelector(\"#charts canvas[data-metric='loss']\"));"
                        + "return c ? c.data.labels.length : 0;");
        return ((Number) n).longValue();
    }

    private void set(String id, String value) {
        var e = browser.driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
