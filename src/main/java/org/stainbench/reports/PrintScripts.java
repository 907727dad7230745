package org.stainbench.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.webjars.WebJarVersionLocator;

/**
 * The scripts the printer evaluates in the print document before it prints (the document itself holds none): Chart.js
 * from its webjar and the pages' own chart definitions ({@code static/js/charts.js}) and report chart drawing
 * ({@code static/js/report-charts.js}), the very files the pages load.
 */
final class PrintScripts {

    static final List<String> CHARTS = List.of(
            read(new WebJarVersionLocator().fullPath("chart.js", "dist/chart.umd.min.js")),
            read("static/js/charts.js"),
            read("static/js/report-charts.js"));

    private PrintScripts() {}

    private static String read(String path) {
        if (path == null) {
            throw new IllegalStateException("The Chart.js webjar is not on the classpath.");
        }
        try (InputStream in = PrintScripts.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("No " + path + " on the classpath.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
