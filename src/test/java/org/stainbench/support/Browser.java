package org.stainbench.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium, never touching the network for drivers.
 * Skips (or under CI fails) where Chromium is not installed.
 */
public final class Browser implements AutoCloseable {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File DRIVER = new File("/usr/bin/chromedriver");

    public final WebDriver driver;
    private final String base;
    private final Path profile;

    private Browser(WebDriver driver, String base, Path profile) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
    }

    public static void require() {
        if (!CHROMIUM.canExecute() || !DRIVER.canExecute()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("Chromium/chromedriver missing under CI: .ci/run must install them");
            }
            Assumptions.abort("Browser tests skipped: apt-get install chromium chromium-driver");
        }
    }

    public static Browser open(int port) {
        require();
        try {
            Path profile = Files.createTempDirectory("sb-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            // the browser console is read after every page (cspViolations): a Content-Security-Policy violation fails
            options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-quic",
                    "--window-size=1366,900",
                    "--user-data-dir=" + profile.toAbsolutePath());
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER)
                    .usingAnyFreePort()
                    .build();
            WebDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new Browser(driver, "http://127.0.0.1:" + port, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Browser go(String path) {
        assertNoCspViolations();
        driver.get(base + path);
        return this;
    }

    private final java.util.List<String> cspViolations = new java.util.ArrayList<>();

    /**
     * Content-Security-Policy violations the browser console reported since the last {@link #assertNoCspViolations()}
     * (an inline script or style, an eval, an event-handler attribute, a resource from elsewhere).
     */
    public java.util.List<String> cspViolations() {
        for (var entry : driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER)) {
            String m = entry.getMessage();
            if (m != null && m.contains("Content Security Policy")) {
                cspViolations.add(m);
            } else if (m != null && entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                consoleErrors.add(m);
            }
        }
        return java.util.List.copyOf(cspViolations);
    }

    private final java.util.List<String> consoleErrors = new java.util.ArrayList<>();

    /**
     * The errors (level SEVERE, Content-Security-Policy violations aside) the browser console reported since the last
     * call: an uncaught script error, a resource that failed to load; and forgets them.
     */
    public java.util.List<String> takeConsoleErrors() {
        cspViolations();
        java.util.List<String> found = java.util.List.copyOf(consoleErrors);
        consoleErrors.clear();
        return found;
    }

    /** As {@link #cspViolations()}, and forgets them. */
    public java.util.List<String> takeCspViolations() {
        java.util.List<String> found = cspViolations();
        cspViolations.clear();
        return found;
    }

    /** Fails the test when a page broke the Content-Security-Policy; called on every navigation and after each test. */
    public void assertNoCspViolations() {
        java.util.List<String> found = takeCspViolations();
        if (!found.isEmpty()) {
            throw new AssertionError("the page broke the Content-Security-Policy (" + driver.getCurrentUrl() + "):\n"
                    + String.join("\n", found));
        }
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    public String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    /** A wait that retries when htmx swapped an element between finding and reading it. */
    public org.openqa.selenium.support.ui.FluentWait<WebDriver> waiting(Duration d) {
        return new WebDriverWait(driver, d).ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** Waits until the current path matches: a click that navigates can return before the next page has loaded. */
    public String waitForPath(String regex) {
        waiting(Duration.ofSeconds(30)).until(d -> path().matches(regex));
        return path();
    }

    public void waitFor(By by) {
        waiting(Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public void signIn(String user, String password) {
        go("/login");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        String login = driver.getCurrentUrl();
        driver.findElement(By.id("sign-in")).click();
        // on a loaded machine the click can return before the form post navigates away
        waiting(Duration.ofSeconds(30)).until(ExpectedConditions.not(ExpectedConditions.urlToBe(login)));
    }

    public void signOut() {
        assertNoCspViolations();
        driver.findElement(By.id("logout")).click();
    }

    /**
     * Downloads {@code url} with the browser's own session (its cookies), as the page's link would, and returns the
     * bytes; an HTTP error fails the test with its status.
     */
    public byte[] download(String url) {
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(180));
        String b64 = (String) ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeAsyncScript(
                        "var done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(function (r) { if (!r.ok) { return done('HTTP ' + r.status); }"
                                + " return r.arrayBuffer().then(function (b) { var s = ''; var a = new Uint8Array(b);"
                                + " for (var i = 0; i < a.length; i++) { s += String.fromCharCode(a[i]); } done(btoa(s)); }); });",
                        url);
        if (b64 == null || b64.startsWith("HTTP ")) {
            throw new AssertionError("download of " + url + " failed: " + b64);
        }
        return java.util.Base64.getDecoder().decode(b64);
    }

    /** The text of a PDF (Apache PDFBox), after checking it is one. */
    public static String pdfText(byte[] pdf) {
        if (pdf.length < 5 || !new String(pdf, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("%PDF-")) {
            throw new AssertionError("not a PDF: it starts with "
                    + new String(pdf, 0, Math.min(pdf.length, 16), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        try (var d = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            return new org.apache.pdfbox.text.PDFTextStripper().getText(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a PNG of the current page under target/screenshots/. */
    public Path screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path to = dir.resolve(name + ".png");
            Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
