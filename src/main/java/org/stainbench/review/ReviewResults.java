package org.stainbench.review;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.stainbench.review.stats.Agreement;
import org.stainbench.review.stats.Bootstrap;
import org.stainbench.review.stats.Krippendorff;
import org.stainbench.review.stats.Proportions;

/**
 * The statistics of a session's answers, from first showings (repeat 0) except the intra-rater section, which pairs
 * each repeat with its first showing. Ratings per mode: 2AFC "picked the real tile" (1/0); real-or-virtual "answered
 * real" (1/0); Likert each criterion 1–5 (ordinal); marker score 0–3 (ordinal) and positive fraction (%).
 */
final class ReviewResults {

    static final int RESAMPLES = 2000;
    static final double LEVEL = 0.95;

    /** A value or the reason it is undefined. */
    record Stat(Double value, String note) {
        static Stat of(java.util.function.DoubleSupplier f) {
            try {
                double v = f.getAsDouble();
                return Double.isNaN(v) ? new Stat(null, "undefined") : new Stat(v, null);
            } catch (IllegalArgumentException e) {
                return new Stat(null, e.getMessage());
            }
        }

        public String text() {
            return value == null ? "–" : String.format(java.util.Locale.ROOT, "%.3f", value);
        }
    }

    record GroupRow(String group, Long checkpointId, String variable, int n, double mean, Double sd, double low,
                    double high) {
    }

    record AccuracyRow(String rater, String group, long correct, long n, double accuracy, double low, double high,
                       double p) {
    }

    record AgreementRow(String variable, boolean ordinal, int raters, int items, int completeItems, Stat cohen,
                        Stat weighted, Stat fleiss, Stat alphaNominal, Stat alphaOrdinal) {
    }

    record IntraRow(String rater, String variable, int pairs, Stat exact, Stat kappa) {
    }

    record Results(List<GroupRow> groups, List<AccuracyRow> accuracy, List<AgreementRow> agreement, List<IntraRow> intra,
                   int answers) {
    }

    /** A rated variable: its name, categories (in order) and how to read it off an answer. */
    record Variable(String name, int[] categories, boolean ordinal, Function<ReviewAnswer, Integer> value) {
    }

    private ReviewResults() {
    }

    static List<Variable> variables(ReviewSession s, Map<Long, ReviewItem> items) {
        List<Variable> out = new ArrayList<>();
        switch (s.mode()) {
            case TWO_AFC -> out.add(new Variable("picked the real tile", new int[] {0, 1}, false, a -> {
                ReviewItem i = items.get(a.itemId());
                boolean left = "LEFT".equals(a.choice());
                return left == a.realWasLeft(i) ? 1 : 0;
            }));
            case REAL_OR_VIRTUAL -> out.add(new Variable("answered real", new int[] {0, 1}, false,
                    a -> "REAL".equals(a.choice()) ? 1 : 0));
            case LIKERT -> {
                List<String> crit = s.criteriaList();
                for (int c = 0; c < crit.size(); c++) {
                    int k = c;
                    out.add(new Variable(crit.get(c), new int[] {1, 2, 3, 4, 5}, true, a -> {
                        List<Integer> v = a.scoreList();
                        return k < v.size() ? v.get(k) : null;
                    }));
                }
            }
            case MARKER -> out.add(new Variable("marker score (0 negative – 3 strong)", new int[] {0, 1, 2, 3}, true,
                    a -> ReviewMode.MARKER_SCORES.indexOf(a.choice())));
            default -> throw new IllegalStateException();
        }
        return out;
    }

    static Results compute(ReviewSession s, List<ReviewItem> itemList, List<String> raters, List<ReviewAnswer> answers,
                           Function<Long, String> checkpointName) {
        Map<Long, ReviewItem> items = new LinkedHashMap<>();
        for (ReviewItem i : itemList) {
            items.put(i.id(), i);
        }
        List<ReviewAnswer> first = answers.stream().filter(a -> a.repeatNo() == 0).toList();
        List<Variable> vars = variables(s, items);

        // per group (checkpoint, or real controls) and variable: mean ± SD with a bootstrap interval
        List<GroupRow> groups = new ArrayList<>();
        Map<String, Long> groupKeys = new LinkedHashMap<>();
        for (ReviewItem i : itemList) {
            groupKeys.putIfAbsent(groupOf(i, checkpointName), i.real() ? null : i.checkpointId());
        }
        List<Variable> groupVars = new ArrayList<>(vars);
        if (s.mode() == ReviewMode.MARKER) {
            groupVars.add(new Variable("positive fraction (%)", null, false,
                    a -> a.fraction() == null ? null : (int) Math.round(a.fraction() * 1000)));
        }
        if (s.mode() == ReviewMode.REAL_OR_VIRTUAL) {
            groupVars.add(new Variable("confidence (1–5)", null, false, ReviewAnswer::confidence));
        }
        for (Map.Entry<String, Long> g : groupKeys.entrySet()) {
            for (Variable v : groupVars) {
                boolean scaled = v.name().startsWith("positive fraction");
                List<Double> xs = new ArrayList<>();
                for (ReviewAnswer a : first) {
                    ReviewItem i = items.get(a.itemId());
                    Integer x = v.value().apply(a);
                    if (i != null && x != null && groupOf(i, checkpointName).equals(g.getKey())) {
                        xs.add(scaled ? x / 1000.0 : x);
                    }
                }
                if (xs.isEmpty()) {
                    continue;
                }
                double[] arr = xs.stream().mapToDouble(Double::doubleValue).toArray();
                double mean = java.util.Arrays.stream(arr).average().orElseThrow();
                Double sd = null;
                if (arr.length > 1) {
                    double ss = 0;
                    for (double x : arr) {
                        ss += (x - mean) * (x - mean);
                    }
                    sd = Math.sqrt(ss / (arr.length - 1));
                }
                Proportions.Interval ci = Bootstrap.meanInterval(arr, RESAMPLES, LEVEL, s.seed());
                groups.add(new GroupRow(g.getKey(), g.getValue(), v.name(), arr.length, mean, sd, ci.low(), ci.high()));
            }
        }

        // accuracy (2AFC: picked the real tile; real-or-virtual: answer matches the truth)
        List<AccuracyRow> accuracy = new ArrayList<>();
        if (s.mode() == ReviewMode.TWO_AFC || s.mode() == ReviewMode.REAL_OR_VIRTUAL) {
            Function<ReviewAnswer, Boolean> correct = a -> {
                ReviewItem i = items.get(a.itemId());
                if (s.mode() == ReviewMode.TWO_AFC) {
                    return vars.get(0).value().apply(a) == 1;
                }
                return "REAL".equals(a.choice()) == i.real();
            };
            List<String> rows = new ArrayList<>(raters);
            rows.add(null);
            for (String r : rows) {
                long k = 0;
                long n = 0;
                for (ReviewAnswer a : first) {
                    if (r == null || r.equals(a.rater())) {
                        n++;
                        k += correct.apply(a) ? 1 : 0;
                    }
                }
                if (n > 0) {
                    Proportions.Interval w = Proportions.wilson(k, n);
                    accuracy.add(new AccuracyRow(r == null ? "pooled" : r, "all items", k, n, (double) k / n, w.low(),
                            w.high(), Proportions.binomialTestHalf(k, n)));
                }
            }
        }

        // inter-rater agreement on first showings
        List<AgreementRow> agreement = new ArrayList<>();
        List<Long> itemIds = new ArrayList<>(items.keySet());
        Map<String, Map<Long, ReviewAnswer>> byRater = new HashMap<>();
        for (ReviewAnswer a : first) {
            byRater.computeIfAbsent(a.rater(), x -> new HashMap<>()).put(a.itemId(), a);
        }
        List<String> active = raters.stream().filter(byRater::containsKey).toList();
        for (Variable v : vars) {
            Integer[][] data = new Integer[active.size()][itemIds.size()];
            for (int r = 0; r < active.size(); r++) {
                for (int u = 0; u < itemIds.size(); u++) {
                    ReviewAnswer a = byRater.get(active.get(r)).get(itemIds.get(u));
                    data[r][u] = a == null ? null : v.value().apply(a);
                }
            }
            List<Integer> complete = new ArrayList<>();
            for (int u = 0; u < itemIds.size(); u++) {
                boolean all = active.size() > 0;
                for (int r = 0; r < active.size(); r++) {
                    all &= data[r][u] != null;
                }
                if (all) {
                    complete.add(u);
                }
            }
            Stat cohen = new Stat(null, "needs exactly two raters");
            Stat weighted = new Stat(null, v.ordinal() ? "needs exactly two raters" : "nominal rating");
            if (active.size() == 2 && !complete.isEmpty()) {
                int[] a = complete.stream().mapToInt(u -> data[0][u]).toArray();
                int[] b = complete.stream().mapToInt(u -> data[1][u]).toArray();
                cohen = Stat.of(() -> Agreement.cohenKappa(a, b));
                if (v.ordinal()) {
                    weighted = Stat.of(() -> Agreement.weightedKappa(a, b, v.categories(), Agreement.Weights.LINEAR));
                }
            } else if (active.size() == 2) {
                cohen = new Stat(null, "no item rated by both");
            }
            Stat fleiss = new Stat(null, "needs two or more raters");
            if (active.size() >= 2 && !complete.isEmpty()) {
                int[][] counts = new int[complete.size()][v.categories().length];
                for (int k = 0; k < complete.size(); k++) {
                    for (int r = 0; r < active.size(); r++) {
                        counts[k][java.util.Arrays.binarySearch(v.categories(), data[r][complete.get(k)])]++;
                    }
                }
                fleiss = Stat.of(() -> Agreement.fleissKappa(counts));
            }
            Stat nominal = new Stat(null, "needs two or more raters");
            Stat ordinal = new Stat(null, "needs two or more raters");
            if (active.size() >= 2) {
                nominal = Stat.of(() -> Krippendorff.alpha(data, Krippendorff.Level.NOMINAL));
                ordinal = Stat.of(() -> Krippendorff.alpha(data, Krippendorff.Level.ORDINAL));
            }
            agreement.add(new AgreementRow(v.name(), v.ordinal(), active.size(), itemIds.size(), complete.size(), cohen,
                    weighted, fleiss, nominal, ordinal));
        }

        // intra-rater consistency: each repeat against its first showing
        List<IntraRow> intra = new ArrayList<>();
        for (String r : raters) {
            Map<Long, ReviewAnswer> firsts = byRater.getOrDefault(r, Map.of());
            List<ReviewAnswer> repeats = answers.stream().filter(a -> a.repeatNo() == 1 && a.rater().equals(r)).toList();
            for (Variable v : vars) {
                List<int[]> pairs = new ArrayList<>();
                for (ReviewAnswer rep : repeats) {
                    ReviewAnswer f = firsts.get(rep.itemId());
                    if (f != null && v.value().apply(f) != null && v.value().apply(rep) != null) {
                        pairs.add(new int[] {v.value().apply(f), v.value().apply(rep)});
                    }
                }
                if (pairs.isEmpty()) {
                    continue;
                }
                int[] a = pairs.stream().mapToInt(p -> p[0]).toArray();
                int[] b = pairs.stream().mapToInt(p -> p[1]).toArray();
                long same = pairs.stream().filter(p -> p[0] == p[1]).count();
                Stat exact = new Stat((double) same / pairs.size(), null);
                Stat kappa = v.ordinal() ? Stat.of(() -> Agreement.weightedKappa(a, b, v.categories(), Agreement.Weights.LINEAR))
                        : Stat.of(() -> Agreement.cohenKappa(a, b));
                intra.add(new IntraRow(r, v.name(), pairs.size(), exact, kappa));
            }
        }
        return new Results(groups, accuracy, agreement, intra, answers.size());
    }

    static String groupOf(ReviewItem i, Function<Long, String> checkpointName) {
        return i.real() ? "real IHC controls" : checkpointName.apply(i.checkpointId());
    }
}
