package org.stainbench.reports;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Prints a self-contained HTML page to PDF with headless Chromium, driven over the DevTools protocol ({@link Cdp}):
 * the page is opened, the given scripts (the charts' Chart.js definitions, {@link PrintScripts}) are evaluated in it,
 * the printer waits for the charts' ready flag ({@code <html data-charts-ready="true">}, at most
 * {@code stainbench.reports.chart-wait}) and prints ({@code Page.printToPDF}). The binary is
 * {@code stainbench.reports.chromium}, or the first of chromium, chromium-browser, google-chrome on PATH. Every
 * run has its own temporary folder (page, profile, PDF), removed afterwards, and a time limit.
 * <p>
 * Chromium never reaches the network or other files: the page gets a Content-Security-Policy that allows only
 * inline styles and {@code data:} images (the tiles the application embeds itself), and Chromium runs
 * with every request sent to a dead proxy ({@code --proxy-server=127.0.0.1:9}, loopback included) and no host
 * resolution. One Chromium runs at a time per server: a print waits up to {@code stainbench.reports.pdf-queue-wait}
 * for the one before it, then gives up with {@link Busy}.
 */
@Component
class PdfPrinter {

    private static final Logger log = LoggerFactory.getLogger(PdfPrinter.class);
    static final List<String> CANDIDATES = List.of("chromium", "chromium-browser", "google-chrome");

    /** Printing is not possible here (no Chromium) or failed; the message says why. */
    static final class PrintFailed extends RuntimeException {
        PrintFailed(String message) {
            super(message);
        }
    }

    /** Another report is being printed and the queue wait ran out: try again later. */
    static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    /**
     * The print document's policy: inline styles, images only as data URIs, nothing else (no network, no files, no
     * script of the document's own: the printer's scripts are evaluated through DevTools, outside the policy).
     */
    static final String CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
            + "form-action 'none'; base-uri 'none'";

    static final String CSP_META = "<meta http-equiv=\"Content-Security-Policy\" content=\"" + CSP + "\">";
    private static final Pattern HEAD = Pattern.compile("<head(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);

    private final String configured;
    private final Duration limit;
    private final Duration queueWait;
    private final Duration chartWait;
    private final Semaphore slot = new Semaphore(1, true);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    PdfPrinter(String configured, Duration limit) {
        this(configured, limit, Duration.ofSeconds(60));
    }

    @Autowired
    PdfPrinter(
            @Value("${stainbench.reports.chromium:}") String configured,
            @Value("${stainbench.reports.pdf-timeout:90s}") Duration limit,
            @Value("${stainbench.reports.chart-wait:15s}") Duration chartWait,
            ReportsProperties properties) {
        this(configured, limit, properties.pdfQueueWait(), chartWait);
    }

    PdfPrinter(String configured, Duration limit, Duration queueWait) {
        this(configured, limit, queueWait, Duration.ofSeconds(15));
    }

    PdfPrinter(String configured, Duration limit, Duration queueWait, Duration chartWait) {
        this.configured = configured == null ? "" : configured.trim();
        this.limit = limit;
        this.queueWait = queueWait;
        this.chartWait = chartWait;
    }

    /** Chromium processes printing now (0 or 1). */
    int running() {
        return running.get();
    }

    /** Prints waiting for their turn. */
    int waiting() {
        return waiting.get();
    }

    /** The most Chromium processes that ever printed at the same time. */
    int peak() {
        return peak.get();
    }

    Duration queueWait() {
        return queueWait;
    }

    /** The document with the print policy as the first thing in its head. */
    static String locked(String html) {
        Matcher m = HEAD.matcher(html);
        if (m.find()) {
            return html.substring(0, m.end()) + CSP_META + html.substring(m.end());
        }
        return "<!DOCTYPE html><html><head>" + CSP_META + "</head><body>" + html + "</body></html>";
    }

    /** The Chromium binary to run, if there is one. */
    Optional<String> binary() {
        if (!configured.isEmpty()) {
            File f = new File(configured);
            if (f.isAbsolute() || configured.contains("/")) {
                return f.canExecute() ? Optional.of(f.getAbsolutePath()) : Optional.empty();
            }
            return onPath(configured);
        }
        for (String c : CANDIDATES) {
            Optional<String> p = onPath(c);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.isFile() && f.canExecute()) {
                return Optional.of(f.getAbsolutePath());
            }
        }
        return Optional.empty();
    }

    byte[] print(String html) {
        return print(html, List.of(), () -> {});
    }

    /** As {@link #print(String)}; {@code started} runs once this print has the slot and Chromium starts. */
    byte[] print(String html, Runnable started) {
        return print(html, List.of(), started);
    }

    /** As {@link #print(String)}, with scripts evaluated in the page before it prints ({@link PrintScripts}). */
    byte[] print(String html, List<String> scripts) {
        return print(html, scripts, () -> {});
    }

    /** As {@link #print(String, List)}; {@code started} runs once this print has the slot and Chromium starts. */
    byte[] print(String html, List<String> scripts, Runnable started) {
        binary().orElseThrow(this::missing);
        waiting.incrementAndGet();
        boolean acquired;
        try {
            acquired = slot.tryAcquire(queueWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrintFailed("Printing was interrupted.");
        } finally {
            waiting.decrementAndGet();
        }
        if (!acquired) {
            throw new Busy("The PDF printer is busy with other reports (one prints at a time, and this one waited "
                    + queueWait.toSeconds() + " s, stainbench.reports.pdf-queue-wait): try again in a minute.");
        }
        try {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            started.run();
            return printNow(html, scripts);
        } finally {
            running.decrementAndGet();
            slot.release();
        }
    }

    private PrintFailed missing() {
        return new PrintFailed(
                configured.isEmpty()
                        ? "No Chromium to print with: install chromium (or chromium-browser, google-chrome) on the server's PATH, or "
                                + "set stainbench.reports.chromium to its path."
                        : "The configured Chromium '" + configured
                                + "' (stainbench.reports.chromium) is not an executable file.");
    }

    private byte[] printNow(String html, List<String> scripts) {
        String chromium = binary().orElseThrow(this::missing);
        Instant deadline = Instant.now().plus(limit);
        Path dir = null;
        Process p = null;
        try {
            dir = Files.createTempDirectory("stainbench-pdf-");
            Path page = dir.resolve("report.html");
            Path profile = dir.resolve("profile");
            Files.writeString(page, locked(html), StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-extensions",
                    "--disable-plugins",
                    "--disable-features=Translate,MediaRouter",
                    // no network: every request goes to a dead proxy, loopback included, and no name resolves
                    "--proxy-server=127.0.0.1:9",
                    "--proxy-bypass-list=<-loopback>",
                    "--host-resolver-rules=MAP * ~NOTFOUND",
                    "--user-data-dir=" + profile,
                    // the printer drives Chromium over DevTools on a loopback port of its own choosing (written to
                    // the profile's DevToolsActivePort)
                    "--remote-debugging-port=0",
                    "about:blank");
            pb.redirectErrorStream(true);
            pb.redirectOutput(dir.resolve("chromium.log").toFile());
            p = pb.start();
            URI browser = devTools(profile.resolve("DevToolsActivePort"), p, deadline);
            byte[] pdf;
            try (Cdp cdp = Cdp.connect(browser, deadline)) {
                pdf = printOver(cdp, page, scripts);
                try {
                    cdp.call(null, "Browser.close", Map.of());
                } catch (Cdp.Failed e) {
                    // closing answers by going away
                }
            }
            if (!p.waitFor(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS)) {
                stop(p);
            }
            return pdf;
        } catch (Cdp.Failed e) {
            stop(p);
            if (Instant.now().isAfter(deadline)) {
                throw new PrintFailed("Chromium did not finish printing within " + limit.toSeconds() + " s.");
            }
            log.warn("Chromium printed no PDF: {}; its log: {}", e.getMessage(), chromiumLog(dir));
            throw new PrintFailed("Chromium printed no PDF (" + e.getMessage() + ").");
        } catch (IOException e) {
            stop(p);
            throw new PrintFailed("Could not print the report: " + e.getMessage());
        } catch (InterruptedException e) {
            stop(p);
            Thread.currentThread().interrupt();
            throw new PrintFailed("Printing was interrupted.");
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    /**
     * Opens the page, evaluates the scripts in it (the document's own policy allows none), waits up to
     * {@code chartWait} for {@code <html data-charts-ready="true">} when there were scripts, and prints.
     */
    private byte[] printOver(Cdp cdp, Path page, List<String> scripts) throws Cdp.Failed {
        String target = cdp.call(null, "Target.createTarget", Map.of("url", "about:blank"))
                .path("targetId")
                .asString();
        String session = cdp.call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .path("sessionId")
                .asString();
        cdp.call(session, "Page.enable", Map.of());
        var loaded = cdp.next(session, "Page.loadEventFired");
        JsonNode nav =
                cdp.call(session, "Page.navigate", Map.of("url", page.toUri().toString()));
        if (nav.hasNonNull("errorText") && !nav.path("errorText").asString().isEmpty()) {
            throw new Cdp.Failed("opening the page: " + nav.path("errorText").asString());
        }
        cdp.await(loaded, "loading the page");
        if (!scripts.isEmpty()) {
            for (String script : scripts) {
                JsonNode r = cdp.call(session, "Runtime.evaluate", Map.of("expression", script));
                if (r.has("exceptionDetails")) {
                    log.warn(
                            "A print script failed: {}",
                            r.path("exceptionDetails")
                                    .path("exception")
                                    .path("description")
                                    .asString(""));
                }
            }
            JsonNode ready = cdp.call(
                    session,
                    "Runtime.evaluate",
                    Map.of(
                            "expression",
                            READY.formatted(chartWait.toMillis()),
                            "awaitPromise",
                            true,
                            "returnByValue",
                            true));
            if (!"true".equals(ready.path("result").path("value").asString(""))) {
                log.warn("The report's charts were not ready after {}: printing without them", chartWait);
            }
        }
        JsonNode pdf = cdp.call(
                session,
                "Page.printToPDF",
                Map.of("printBackground", true, "preferCSSPageSize", true, "displayHeaderFooter", false));
        return Base64.getDecoder().decode(pdf.path("data").asString());
    }

    /** Resolves "true" once the charts are drawn, or what the flag says after %d ms. */
    private static final String READY = "new Promise(function (resolve) {"
            + " var until = Date.now() + %d;"
            + " (function check() {"
            + "  var f = document.documentElement.getAttribute('data-charts-ready');"
            + "  if (f === 'true' || Date.now() > until) { resolve(String(f)); } else { setTimeout(check, 25); }"
            + " })(); })";

    /** The browser's DevTools WebSocket, once Chromium has written its port (or the deadline passed). */
    private static URI devTools(Path activePort, Process p, Instant deadline)
            throws Cdp.Failed, IOException, InterruptedException {
        while (Instant.now().isBefore(deadline)) {
            if (Files.isRegularFile(activePort)) {
                List<String> lines = Files.readAllLines(activePort, StandardCharsets.UTF_8);
                if (lines.size() >= 2 && !lines.get(1).isBlank()) {
                    return URI.create("ws://127.0.0.1:" + lines.get(0).trim()
                            + lines.get(1).trim());
                }
            }
            if (!p.isAlive()) {
                throw new Cdp.Failed("Chromium exited with code " + p.exitValue() + " before it could print");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new Cdp.Failed("timed out (starting Chromium)");
    }

    private static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String chromiumLog(Path dir) {
        try {
            return dir == null ? "" : Files.readString(dir.resolve("chromium.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", dir, e.getMessage());
        }
    }
}
