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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Prints a self-contained HTML page to PDF with headless Chromium ({@code --print-to-pdf}). The binary is
 * {@code stainbench.reports.chromium}, or the first of chromium, chromium-browser, google-chrome on PATH. Every
 * run has its own temporary folder (page, profile, PDF), removed afterwards, and a time limit.
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

    private final String configured;
    private final Duration limit;

    PdfPrinter(@Value("${stainbench.reports.chromium:}") String configured,
               @Value("${stainbench.reports.pdf-timeout:90s}") Duration limit) {
        this.configured = configured == null ? "" : configured.trim();
        this.limit = limit;
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
        String chromium = binary().orElseThrow(() -> new PrintFailed(configured.isEmpty()
                ? "No Chromium to print with: install chromium (or chromium-browser, google-chrome) on the server's PATH, or "
                + "set stainbench.reports.chromium to its path."
                : "The configured Chromium '" + configured + "' (stainbench.reports.chromium) is not an executable file."));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("stainbench-pdf-");
            Path page = dir.resolve("report.html");
            Path pdf = dir.resolve("report.pdf");
            Files.writeString(page, html, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--no-pdf-header-footer",
                    "--print-to-pdf=" + pdf, page.toUri().toString());
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
