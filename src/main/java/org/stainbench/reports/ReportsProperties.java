package org.stainbench.reports;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code stainbench.reports.*} (besides {@code chromium} and {@code pdf-timeout}, read by {@link PdfPrinter}).
 *
 * @param pdfQueueWait how long a PDF request waits for the one Chromium print slot before it is answered 503 "busy"
 */
@ConfigurationProperties("stainbench.reports")
record ReportsProperties(@DefaultValue("60s") Duration pdfQueueWait) {
}
