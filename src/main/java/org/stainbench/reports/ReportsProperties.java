package org.stainbench.reports;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code stainbench.reports.*} (besides {@code chromium} and {@code pdf-timeout}, read by {@link PdfPrinter}).
 *
 * @param pdfQueueWait how long a PDF request waits for the one Chromium print slot before it is answered 503 "busy"
 * @param pdfJobs      PDF prints started from the report page (with progress) held at once, running, waiting or done
 *                     and not yet fetched; one more is answered 503 "busy"
 * @param pdfKeep      how long a finished PDF waits to be fetched before it is dropped
 */
@ConfigurationProperties("stainbench.reports")
record ReportsProperties(
        @DefaultValue("60s") Duration pdfQueueWait,
        @DefaultValue("8") int pdfJobs,
        @DefaultValue("10m") Duration pdfKeep) {}
