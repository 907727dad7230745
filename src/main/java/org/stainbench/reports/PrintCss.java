package org.stainbench.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The print document's stylesheet, inlined into it: the palette of the pages (the {@code :root} block of
 * {@code static/css/stainbench.css}, which the charts read their colours from) and {@code reports/print.css}.
 */
final class PrintCss {

    static final String CSS = palette() + "\n" + read("/reports/print.css");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private PrintCss() {}

    /** The palette block of the pages' stylesheet (from its {@code :root} rule to the "end of palette" comment). */
    static String palette() {
        String css = read("/static/css/stainbench.css");
        int from = css.indexOf(":root");
        int to = css.indexOf("/* end of palette */");
        if (from < 0 || to < from) {
            throw new IllegalStateException("static/css/stainbench.css has no palette block");
        }
        return css.substring(from, to);
    }

    private static String read(String path) {
        try (InputStream in = PrintCss.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }
}
