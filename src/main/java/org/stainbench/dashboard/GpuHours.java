package org.stainbench.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pure: GPU-hours per UTC day per holder (node) from spans of GPUs held. A span counts {@code gpus} × the part of
 * [start, end) that falls in each day; an open span (end null) runs until {@code now}; nothing after {@code now}
 * counts.
 */
final class GpuHours {

    private GpuHours() {}

    record Span(long jobId, String title, String holder, int gpus, Instant start, Instant end) {}

    /** The days (oldest first) and, per holder (sorted by name), the GPU-hours of each day; per job the total. */
    record Usage(List<LocalDate> days, Map<String, double[]> byHolder, Map<Long, Double> byJob) {

        public double total() {
            return byHolder.values().stream()
                    .flatMapToDouble(java.util.Arrays::stream)
                    .sum();
        }
    }

    /** The {@code days} UTC days ending with the day of {@code now}. */
    static Usage perDay(List<Span> spans, Instant now, int days) {
        LocalDate last = now.atZone(ZoneOffset.UTC).toLocalDate();
        List<LocalDate> dates = new ArrayList<>();
        for (int i = days - 1; i >= 0; i--) {
            dates.add(last.minusDays(i));
        }
        Map<String, double[]> byHolder = new TreeMap<>();
        Map<Long, Double> byJob = new LinkedHashMap<>();
        for (Span s : spans) {
            Instant end = s.end() == null || s.end().isAfter(now) ? now : s.end();
            for (int d = 0; d < dates.size(); d++) {
                Instant from = dates.get(d).atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant to =
                        dates.get(d).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant a = s.start().isAfter(from) ? s.start() : from;
                Instant b = end.isBefore(to) ? end : to;
                if (b.isAfter(a)) {
                    double hours = s.gpus() * Duration.between(a, b).toNanos() / 3.6e12;
                    byHolder.computeIfAbsent(s.holder(), k -> new double[dates.size()])[d] += hours;
                    byJob.merge(s.jobId(), hours, Double::sum);
                }
            }
        }
        return new Usage(List.copyOf(dates), byHolder, byJob);
    }
}
