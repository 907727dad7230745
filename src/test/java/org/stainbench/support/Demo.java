package org.stainbench.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.stainbench.catalog.Catalog;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.evaluation.Protocol;

/**
 * The demo project in a browser test: loading it from the datasets page, waiting for its checkpoints' generated sets,
 * and the small extractor and evaluation the browser tests start from the forms.
 */
public final class Demo {

    private Demo() {}

    /**
     * Loads the demo project through the datasets page unless it is loaded already, and waits until its datasets
     * exist. The demo upload is synchronous and can outlast the driver's 30 s command timeout on a busy machine, so
     * the form's POST is sent from the page with its CSRF token (fetch, not a navigation) and the test waits for the
     * data instead.
     */
    public static void load(Browser browser, Catalog catalog) {
        if (catalog.datasets().stream().anyMatch(d -> d.name().startsWith("Demo H&E"))) {
            return;
        }
        browser.go("/datasets");
        JavascriptExecutor js = (JavascriptExecutor) browser.driver;
        // the form's POST, sent from the page with its CSRF token, fire and forget: a click on the button would make
        // the page navigate on a synchronous request that can outlast ChromeDriver's 30 s wait for the renderer
        // ("Timed out receiving message from renderer"), and the button is hidden where other datasets exist
        js.executeScript("const h = document.querySelector('meta[name=_csrf_header]').content;"
                + "const t = document.querySelector('meta[name=_csrf]').content;"
                + "window.sbDemo = fetch('/datasets/demo', {method: 'POST', headers: {[h]: t}}).then(r => r.status);");
        GeneratedFixtures.await("demo datasets", () -> catalog.datasets().stream()
                .anyMatch(d -> d.name().startsWith("Demo H&E")));
    }

    /** Waits until there are at least {@code atLeast} checkpoints, then until the generated sets of every one are ready. */
    public static void awaitGenerated(Checkpoints checkpoints, Catalog catalog, String what, int atLeast) {
        awaitGenerated(checkpoints, catalog, what, checkpoints::all, n -> n >= atLeast);
    }

    /**
     * Waits until the number of checkpoints {@code which} gives satisfies {@code enough}, then until the generated sets
     * of every one of them are ready (each wait {@link GeneratedFixtures#await up to 240 s}).
     */
    public static void awaitGenerated(
            Checkpoints checkpoints,
            Catalog catalog,
            String what,
            Supplier<List<Checkpoint>> which,
            IntPredicate enough) {
        GeneratedFixtures.await(what, () -> enough.test(which.get().size()));
        for (Checkpoint c : which.get()) {
            GeneratedFixtures.awaitGenerated(checkpoints, catalog, c.id());
        }
    }

    /**
     * Whether an evaluation form's set label ("checkpoint on source dataset") is one of the demo's two baselines on
     * the demo H&amp;E: what the demo browser tests evaluate, whatever other tests sharing the application added.
     */
    public static boolean isDemoBaselineSet(String label) {
        return label.startsWith("Reinhard (demo) on Demo H&E") || label.startsWith("Stain remap (demo) on Demo H&E");
    }

    /**
     * On the extractors page ({@code /evaluations/extractors}): registers the tiny random-weight ONNX extractor of the
     * test resources (16×16 input, 8 features) under {@code name} through the form, and waits for the list. Tests that
     * share the demo application register it under names of their own.
     */
    public static void registerExtractor(Browser browser, String name) {
        Path model;
        try (InputStream in = Demo.class.getResourceAsStream("/evaluation/random8.onnx")) {
            model = Files.createTempFile("random8-", ".onnx");
            Files.copy(in, model, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WebElement form = browser.driver.findElement(By.id("new-extractor"));
        form.findElement(By.name("name")).sendKeys(name);
        form.findElement(By.name("model")).sendKeys(model.toAbsolutePath().toString());
        set(form, "inputHeight", "16");
        set(form, "inputWidth", "16");
        new Select(form.findElement(By.name("filter"))).selectByValue("BILINEAR_ANTIALIAS");
        set(form, "outputDim", "8");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.waitFor(By.id("extractors"));
    }

    /**
     * Starts an evaluation named {@code name} against the demo CK7 dataset from the form on {@code /evaluations}, with
     * the small protocol of the browser tests (12 tiles per side, 3 archives, 64 px crops, 2 per tile, seeds 0-2, KID
     * 3 × 6, batches of 6; the lab's tile rule, 50 patient-bootstrap resamples), ticking the generated sets whose label {@code tick} accepts; waits for the evaluation's
     * page and returns the labels of all the sets the form offered (but those on the demo's real-tissue H&E, never ticked).
     */
    public static List<String> startEvaluation(Browser browser, String name, Predicate<String> tick) {
        return startEvaluation(
                browser,
                name,
                tick,
                new Protocol(12, 3, 64, 2, List.of(0L, 1L, 2L), 3, 6, 6).with(Protocol.TileRule.FIRST_SPREAD, 50));
    }

    /** As {@link #startEvaluation(Browser, String, Predicate)}, with the protocol's fields typed into the form. */
    public static List<String> startEvaluation(Browser browser, String name, Predicate<String> tick, Protocol p) {
        browser.go("/evaluations");
        WebElement ev = browser.driver.findElement(By.id("new-evaluation"));
        ev.findElement(By.name("name")).sendKeys(name);
        new Select(ev.findElement(By.name("realDataset"))).selectByVisibleText("Demo CK7 (synthetic)");
        List<String> offered = new ArrayList<>();
        for (WebElement box : ev.findElements(By.cssSelector("input[name=sets]"))) {
            String label = box.findElement(By.xpath("..")).getText();
            if (label.contains(" on Real tissue")) {
                continue; // the demo's sets on its real-tissue H&E (issue 18) are not part of these tests' comparisons
            }
            offered.add(label);
            if (tick.test(label)) {
                box.click();
            }
        }
        set(ev, "tilesPerSide", Integer.toString(p.tilesPerSide()));
        set(ev, "archives", Integer.toString(p.archives()));
        set(ev, "cropSize", Integer.toString(p.cropSize()));
        set(ev, "cropsPerTile", Integer.toString(p.cropsPerTile()));
        set(
                ev,
                "seeds",
                String.join(",", p.seeds().stream().map(String::valueOf).toList()));
        set(ev, "kidSubsets", Integer.toString(p.kidSubsets()));
        set(ev, "kidSubsetSize", Integer.toString(p.kidSubsetSize()));
        set(ev, "batchSize", Integer.toString(p.batchSize()));
        ev.findElement(By.cssSelector("input[name=tileRule][value=" + (p.random() ? "random" : "first") + "]"))
                .click();
        set(ev, "bootstrapResamples", Integer.toString(p.bootstrapResamples()));
        ev.findElement(By.id("start-evaluation")).click();
        browser.waitFor(By.id("eval-status"));
        return offered;
    }

    private static void set(WebElement form, String name, String value) {
        WebElement input = form.findElement(By.name(name));
        input.clear();
        input.sendKeys(value);
    }
}
