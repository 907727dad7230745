package org.stainbench.reports;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
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

/**
 * Prints a self-contained HTML page to PDF with headless Chromium ({@code --print-to-pdf}). The binary is
 * {@code stainbench.reports.chromium}, or the first of chromium, chromium-browser, google-chrome on PATH. Every
 * run has its own temporary folder (page, profile, PDF), removed afterwards, and a time limit.
 * <p>
 * Chromium never reaches the network or other files: the page gets a Content-Security-Policy that allows only
 * inline styles and {@code data:} images (the charts and tiles the application embeds itself), and Chromium runs
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

    /** The print document's policy: inline styles, images only as data URIs, nothing else (no network, no files). */
    static final String CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
            + "form-action 'none'; base-uri 'none'";

    static final String CSP_META = "<meta http-equiv=\"Content-Security-Policy\" content=\"" + CSP + "\">";
    private static final Pattern HEAD = Pattern.compile("<head(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);

    private final String configured;
    private final Duration limit;
    private final Duration queueWait;
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
            ReportsProperties properties) {
        this(configured, limit, properties.pdfQueueWait());
    }

    PdfPrinter(String configured, Duration limit, Duration queueWait) {
        this.configured = configured == null ? "" : configured.trim();
        this.limit = limit;
        this.queueWait = queueWait;
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
        return print(html, () -> {});
    }

    /** As {@link #print(String)}; {@code started} runs once this print has the slot and Chromium starts. */
    byte[] print(String html, Runnable started) {
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
            return printNow(html);
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

    private byte[] printNow(String html) {
        String chromium = binary().orElseThrow(this::missing);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("stainbench-pdf-");
            Path page = dir.resolve("report.html");
            Path pdf = dir.resolve("report.pdf");
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
                    "--user-data-dir=" + dir.resolve("profile"),
                    "--no-pdf-header-footer",
                    "--print-to-pdf=" + pdf,
                    page.toUri().toString());
            pb.redirectErrorStream(true);
            pb.redirectOutput(dir.resolve("chromium.log").toFile());
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new PrintFailed("Chromium did not finish printing within " + limit.toSeconds() + " s.");
            }
            if (!Files.isRegularFile(pdf) || Files.size(pdf) == 0) {
                String out = Files.readString(dir.resolve("chromium.log"), StandardCharsets.UTF_8);
                log.warn("Chromium printed no PDF (exit {}): {}", p.exitValue(), out);
                throw new PrintFailed("Chromium printed no PDF (exit code " + p.exitValue() + ").");
            }
            return Files.readAllBytes(pdf);
        } catch (IOException e) {
            throw new PrintFailed("Could not print the report: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrintFailed("Printing was interrupted.");
        } finally {
            if (dir != null) {
                delete(dir);
            }
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
