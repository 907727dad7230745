package org.stainbench.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * PDF prints started from the report page, so the page can show how far one is: waiting for the printer (one report
 * prints at a time), composing the print document, Chromium printing (its expected share from the mean of the last
 * prints), ready. A print belongs to who started it; at most {@code stainbench.reports.pdf-jobs} are held (running,
 * waiting, or done and not yet fetched, each kept {@code stainbench.reports.pdf-keep}), so memory and threads are
 * bounded.
 */
@Component
class PdfJobs implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PdfJobs.class);
    /** Before any print finished: what one takes on a small machine. */
    static final Duration FIRST_GUESS = Duration.ofSeconds(8);

    enum Stage {
        QUEUED("queued"),
        COMPOSING("composing the print document (tables, charts, tiles)"),
        WAITING("waiting for the printer (reports print one at a time)"),
        PRINTING("Chromium is printing the pages"),
        READY("ready"),
        FAILED("failed");

        final String words;

        Stage(String words) {
            this.words = words;
        }
    }

    /** A print; its fields change on the print's thread and are read by the status requests. */
    static final class Job {
        final String token;
        final long reportId;
        final String owner;
        final Instant createdAt;
        volatile Stage stage = Stage.QUEUED;
        volatile Instant printingSince;
        volatile Instant finishedAt;
        volatile byte[] pdf;
        volatile String fileName;
        volatile String error;

        Job(String token, long reportId, String owner, Instant createdAt) {
            this.token = token;
            this.reportId = reportId;
            this.owner = owner;
            this.createdAt = createdAt;
        }
    }

    /** What the page shows: the stage in words, a percentage, the seconds since the start; the file's name when ready. */
    record Status(
            String token,
            String stage,
            String message,
            int percent,
            long seconds,
            boolean ready,
            boolean failed,
            String fileName) {}

    /** Too many prints held at once. */
    static final class Full extends RuntimeException {
        Full(String message) {
            super(message);
        }
    }

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService threads;
    private final Clock clock;
    private final int max;
    private final Duration keep;
    /** Mean of the recent Chromium print times (exponentially weighted), in ms. */
    private volatile double expectedMs = FIRST_GUESS.toMillis();

    PdfJobs(ReportsProperties properties, Clock clock) {
        this.clock = clock;
        this.max = Math.max(1, properties.pdfJobs());
        this.keep = properties.pdfKeep();
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "report-pdf");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a print of report {@code reportId} for {@code owner}: {@code compose} makes the print document and
     * {@code print} prints it (with a callback when Chromium starts); {@code fileName} names the PDF.
     */
    Job start(long reportId, String owner, String fileName, Supplier<String> compose, PdfPrint print) {
        expire();
        synchronized (jobs) {
            if (jobs.size() >= max) {
                throw new Full("The PDF printer has " + jobs.size() + " reports in hand (at most " + max
                        + ", stainbench.reports.pdf-jobs): try again in a minute.");
            }
            Job j = new Job(UUID.randomUUID().toString(), reportId, owner, clock.instant());
            j.fileName = fileName;
            jobs.put(j.token, j);
            threads.submit(() -> run(j, compose, print));
            return j;
        }
    }

    /** Prints html; calls {@code started} when Chromium starts. */
    interface PdfPrint {
        byte[] print(String html, Runnable started);
    }

    private void run(Job j, Supplier<String> compose, PdfPrint print) {
        try {
            j.stage = Stage.COMPOSING;
            String html = compose.get();
            j.stage = Stage.WAITING;
            byte[] pdf = print.print(html, () -> {
                j.printingSince = clock.instant();
                j.stage = Stage.PRINTING;
            });
            Instant end = clock.instant();
            if (j.printingSince != null) {
                expectedMs = 0.5 * expectedMs
                        + 0.5
                                * Math.max(
                                        1,
                                        Duration.between(j.printingSince, end).toMillis());
            }
            j.pdf = pdf;
            j.finishedAt = end;
            j.stage = Stage.READY;
        } catch (RuntimeException e) {
            j.error = e instanceof PdfPrinter.PrintFailed || e instanceof PdfPrinter.Busy
                    ? e.getMessage()
                    : "The PDF could not be made.";
            if (!(e instanceof PdfPrinter.PrintFailed || e instanceof PdfPrinter.Busy)) {
                log.warn("PDF of report {} failed", j.reportId, e);
            }
            j.finishedAt = clock.instant();
            j.stage = Stage.FAILED;
        }
    }

    /** The print with that token, if {@code owner} started it and it is still held. */
    Optional<Job> find(String token, long reportId, String owner) {
        expire();
        Job j = token == null ? null : jobs.get(token);
        return j != null && j.reportId == reportId && j.owner.equals(owner) ? Optional.of(j) : Optional.empty();
    }

    Status status(Job j) {
        Instant now = clock.instant();
        long seconds = Duration.between(j.createdAt, j.finishedAt != null ? j.finishedAt : now)
                .toSeconds();
        int percent =
                switch (j.stage) {
                    case QUEUED -> 2;
                    case COMPOSING -> 10;
                    case WAITING -> 20;
                    case PRINTING -> {
                        Instant since = j.printingSince;
                        double share =
                                since == null ? 0 : Duration.between(since, now).toMillis() / expectedMs;
                        yield 25 + (int) Math.round(70 * Math.min(1.0, share));
                    }
                    case READY, FAILED -> 100;
                };
        String message =
                switch (j.stage) {
                    case READY -> "PDF ready: " + j.fileName;
                    case FAILED -> j.error;
                    default -> "Rendering the PDF… " + percent + " % — " + j.stage.words + " (" + seconds + " s)";
                };
        return new Status(
                j.token,
                j.stage.name().toLowerCase(java.util.Locale.ROOT),
                message,
                percent,
                seconds,
                j.stage == Stage.READY,
                j.stage == Stage.FAILED,
                j.stage == Stage.READY ? j.fileName : null);
    }

    /** The finished PDF, handed out once: the print is dropped. */
    Optional<byte[]> take(Job j) {
        if (j.stage != Stage.READY) {
            return Optional.empty();
        }
        jobs.remove(j.token);
        return Optional.ofNullable(j.pdf);
    }

    int held() {
        return jobs.size();
    }

    /** Drops finished prints not fetched within {@code keep}. */
    void expire() {
        Instant limit = clock.instant().minus(keep);
        for (Iterator<Job> it = jobs.values().iterator(); it.hasNext(); ) {
            Job j = it.next();
            if (j.finishedAt != null && j.finishedAt.isBefore(limit)) {
                it.remove();
            }
        }
    }

    @Override
    public void destroy() {
        threads.shutdownNow();
    }
}
