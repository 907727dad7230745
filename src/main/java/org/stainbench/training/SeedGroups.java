package org.stainbench.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs that differ only by their seed form a seed group. Pure: groups runs by their parameters
 * without the seed keys, and aggregates their curves step by step and their final metrics as
 * mean, sample standard deviation (n − 1), min, max and n.
 */
final class SeedGroups {

    /** Parameter names that hold a seed. */
    static final Set<String> SEED_KEYS = Set.of("seed", "random_seed", "train_seed");

    private SeedGroups() {}

    /** The parameters that define a group: every parameter but the seed. */
    static Map<String, String> groupKey(Map<String, String> params) {
        Map<String, String> key = new TreeMap<>(params);
        key.keySet().removeIf(k -> SEED_KEYS.contains(k.toLowerCase()));
        return key;
    }

    /** Groups runs by {@link #groupKey}; groups keep the runs' order of first appearance. */
    static List<List<Tracking.Run>> group(List<Tracking.Run> runs) {
        Map<Map<String, String>, List<Tracking.Run>> groups = new LinkedHashMap<>();
        for (Tracking.Run r : runs) {
            groups.computeIfAbsent(groupKey(r.params()), k -> new ArrayList<>()).add(r);
        }
        return new ArrayList<>(groups.values());
    }

    /** Mean, sample std (n − 1; 0 when n = 1), min, max over the finite values given. */
    record Summary(double mean, double std, double min, double max, int n) {

        static Summary of(double[] values) {
            int n = 0;
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    n++;
                    sum += v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            if (n == 0) {
                return new Summary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
            }
            double mean = sum / n;
            double ss = 0;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    ss += (v - mean) * (v - mean);
                }
            }
            double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0;
            return new Summary(mean, std, min, max, n);
        }
    }

    record Point(long step, Summary summary) {}

    /**
     * One metric's curves across runs, aligned by step: at each step where any run has a value, the
     * summary over the runs that have one (a run's last point at that step counts).
     */
    static List<Point> curve(List<List<Tracking.Metric>> histories) {
        List<Map<Long, Double>> perRun = new ArrayList<>();
        Set<Long> steps = new TreeSet<>();
        for (List<Tracking.Metric> h : histories) {
            Map<Long, Double> byStep = new TreeMap<>();
            h.stream()
                    .sorted((a, b) -> Long.compare(a.timestamp(), b.timestamp()))
                    .forEach(m -> byStep.put(m.step(), m.value()));
            perRun.add(byStep);
            steps.addAll(byStep.keySet());
        }
        List<Point> out = new ArrayList<>();
        for (long step : steps) {
            double[] values = perRun.stream()
                    .filter(m -> m.containsKey(step))
                    .mapToDouble(m -> m.get(step))
                    .toArray();
            out.add(new Point(step, Summary.of(values)));
        }
        return out;
    }

    /** Final (latest) metric values of the runs, summarised per key. */
    static Map<String, Summary> finals(List<Tracking.Run> runs) {
        Set<String> keys = new TreeSet<>();
        runs.forEach(r -> r.latestMetrics().forEach(m -> keys.add(m.key())));
        Map<String, Summary> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(
                    k,
                    Summary.of(runs.stream()
                            .map(r -> r.latest(k))
                            .filter(v -> v != null)
                            .mapToDouble(Double::doubleValue)
                            .toArray()));
        }
        return out;
    }

    /** Parameters whose values are not the same in every run (a missing value counts as different). */
    static Map<String, List<String>> differingParams(List<Tracking.Run> runs) {
        Set<String> keys = new TreeSet<>();
        runs.forEach(r -> keys.addAll(r.params().keySet()));
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String k : keys) {
            List<String> values = runs.stream().map(r -> r.params().get(k)).toList();
            if (values.stream().distinct().count() > 1) {
                out.put(k, values);
            }
        }
        return out;
    }
}
