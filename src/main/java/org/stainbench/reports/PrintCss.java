package org.stainbench.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The print document's stylesheet (classpath {@code reports/print.css}), inlined into it. */
final class PrintCss {

    static final String CSS = read();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private PrintCss() {}

    private static String read() {
        try (InputStream in = PrintCss.class.getResourceAsStream("/reports/print.css")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }
}
