package org.stainbench.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stainbench.evaluation.ComparisonTable;
import org.stainbench.evaluation.Metric;
import tools.jackson.databind.json.JsonMapper;

/**
 * A chart block's charts for the page and the print document: Chart.js draws them in the browser (and in the Chromium
 * that prints the PDF) from the same definitions as the evaluation page ({@code frontend/js/charts.js}), given the
 * block's {@link ComparisonTable} as chart data of the evaluation page's shape: {@code labels}, per metric its
 * {@code key}, {@code label}, {@code mean} and per-seed values ({@code seeds}), per training run its {@code epochs}
 * and each metric's means ({@code values}).
 */
final class ReportCharts {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One chart: its canvas id, kind ({@code bar} or {@code epoch}), metric key, chart data as JSON ({@code null}:
     * nothing to draw, {@code caption} says why) and caption.
     */
    record ChartView(String id, String kind, String metric, String data, String caption) {

        public String fileName(String base) {
            return base + "-" + id + ".png";
        }
    }

    private ReportCharts() {}

    static Metric metric(ComparisonTable t, String key) {
        for (Metric m : t.metrics()) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        return t.metrics().isEmpty() ? null : t.metrics().get(0);
    }

    /** The charts of a chart block: per checkpoint, by epoch or both ({@code chart} setting). */
    static List<ChartView> of(Block b, ComparisonTable t) {
        String chart = b.settings().chart() == null ? "bar" : b.settings().chart();
        Metric m = metric(t, b.settings().metric());
        String data = m == null ? null : JSON.writeValueAsString(data(t));
        List<ChartView> out = new ArrayList<>();
        if (!chart.equals("epoch")) {
            out.add(new ChartView(
                    "chart-" + b.id() + "-bar",
                    "bar",
                    m == null ? null : m.key(),
                    m == null ? null : data,
                    m == null
                            ? "No metric to draw · " + t.evaluationName()
                            : m.label() + " per checkpoint (mean as a bar, every seed as a point) · "
                                    + t.evaluationName()));
        }
        if (!chart.equals("bar")) {
            boolean runs = m != null
                    && t.lines().stream().anyMatch(l -> l.runUuid() != null && l.epoch() != null && l.get(m) != null);
            out.add(new ChartView(
                    "chart-" + b.id() + "-epoch",
                    "epoch",
                    m == null ? null : m.key(),
                    runs ? data : null,
                    runs
                            ? m.label() + " by epoch, one line per training run · " + t.evaluationName()
                            : "No checkpoint of this evaluation carries a training run and an epoch."));
        }
        return out;
    }

    /** The chart data of the evaluation page's shape (see the class comment). */
    static Map<String, Object> data(ComparisonTable t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("labels", t.lines().stream().map(ComparisonTable.Line::label).toList());
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (Metric m : t.metrics()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("key", m.key());
            mm.put("label", m.label());
            List<Double> mean = new ArrayList<>();
            List<List<Double>> seeds = new ArrayList<>();
            for (ComparisonTable.Line l : t.lines()) {
                ComparisonTable.Cell c = l.get(m);
                mean.add(c == null ? null : c.mean());
                seeds.add(c == null ? List.of() : c.seeds());
            }
            mm.put("mean", mean);
            mm.put("seeds", seeds);
            metrics.add(mm);
        }
        out.put("metrics", metrics);
        Map<String, List<ComparisonTable.Line>> byRun = new LinkedHashMap<>();
        for (ComparisonTable.Line l : t.lines()) {
            if (l.runUuid() != null && l.epoch() != null) {
                byRun.computeIfAbsent(l.runUuid(), k -> new ArrayList<>()).add(l);
            }
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        byRun.forEach((run, lines) -> {
            List<ComparisonTable.Line> sorted = lines.stream()
                    .sorted((a, b) -> Integer.compare(a.epoch(), b.epoch()))
                    .toList();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("run", run);
            r.put("name", run.length() <= 8 ? run : run.substring(0, 8));
            r.put("epochs", sorted.stream().map(ComparisonTable.Line::epoch).toList());
            Map<String, List<Double>> values = new LinkedHashMap<>();
            for (Metric m : t.metrics()) {
                values.put(
                        m.key(),
                        sorted.stream()
                                .map(x -> x.get(m) == null ? null : x.get(m).mean())
                                .toList());
            }
            r.put("values", values);
            runs.add(r);
        });
        out.put("runs", runs);
        return out;
    }
}
