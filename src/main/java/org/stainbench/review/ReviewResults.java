package org.stainbench.review;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.stainbench.review.stats.Agreement;
import org.stainbench.review.stats.Bootstrap;
import org.stainbench.review.stats.BootstrapInterval;
import org.stainbench.review.stats.ClusterBootstrap;
import org.stainbench.review.stats.ItemBootstrap;
import org.stainbench.review.stats.Krippendorff;
import org.stainbench.review.stats.Proportions;
import org.stainbench.review.stats.Quantiles;

/**
 * The statistics of a session's answers, from first showings (repeat 0) except the intra-rater section, which pairs
 * each repeat with its first showing, and time per item, which uses every showing. Ratings per mode: 2AFC "picked
 * the real tile" (1/0); real-or-virtual "answered real" (1/0); Likert each criterion 1–5 (ordinal); marker score
 * 0–3 (ordinal) and positive fraction (%).
 * <p>Intervals (all 95 %, percentile, seeded with the session seed, {@code resamples} = B): per group means by
 * {@link Bootstrap#meanInterval} over answers; agreement coefficients by {@link ItemBootstrap} (raters fixed, items
 * resampled); pooled accuracy by {@link ClusterBootstrap} (raters and items resampled); per-rater accuracy by the
 * Wilson interval.
 */
final class ReviewResults {

    /** B: resamples of every bootstrap of the results (documented in the methods paragraph). */
    static final int RESAMPLES = 2000;

    static final double LEVEL = 0.95;
    /** A time per item above this is a break, not reading time, and is left out. */
    static final Duration BREAK = Duration.ofMinutes(10);

    static final String TIME_SHOWN = "shown → answered";
    static final String TIME_GAP = "between successive answers";

    /** A value or the reason it is undefined, with its bootstrap interval where one was computed. */
    record Stat(Double value, String note, BootstrapInterval ci) {
        Stat(Double value, String note) {
            this(value, note, null);
        }

        static Stat of(java.util.function.DoubleSupplier f) {
            try {
                double v = f.getAsDouble();
                return Double.isNaN(v) ? new Stat(null, "undefined") : new Stat(v, null);
            } catch (IllegalArgumentException e) {
                return new Stat(null, e.getMessage());
            }
        }

        /** The point value with, when asked for, its interval from {@code ci} (only when the point value is defined). */
        static Stat of(
                boolean interval,
                java.util.function.DoubleSupplier f,
                java.util.function.Supplier<BootstrapInterval> ci) {
            Stat s = of(f);
            return s.value() == null || !interval ? s : new Stat(s.value(), null, ci.get());
        }

        public String text() {
            return value == null ? "–" : String.format(java.util.Locale.ROOT, "%.3f", value);
        }

        /** "0.123 – 0.456", or "–" when there is no defined interval. */
        public String ciText() {
            return ci == null || !ci.isDefined()
                    ? "–"
                    : String.format(java.util.Locale.ROOT, "%.3f – %.3f", ci.low(), ci.high());
        }
    }

    record GroupRow(
            String group, Long checkpointId, String variable, int n, double mean, Double sd, double low, double high) {}

    /**
     * Accuracy of one rater (Wilson interval in low/high) or pooled over raters ({@code rater} "pooled"; low/high
     * still the Wilson interval, which ignores clustering, and {@code cluster} the two-way cluster bootstrap
     * interval over {@code clusterRaters} raters and {@code clusterItems} items); {@code group} "all items" or one
     * checkpoint (or the real controls).
     */
    record AccuracyRow(
            String rater,
            String group,
            long correct,
            long n,
            double accuracy,
            double low,
            double high,
            double p,
            BootstrapInterval cluster,
            int clusterRaters,
            int clusterItems) {
        AccuracyRow(
                String rater, String group, long correct, long n, double accuracy, double low, double high, double p) {
            this(rater, group, correct, n, accuracy, low, high, p, null, 0, 0);
        }

        public boolean pooled() {
            return cluster != null;
        }

        public String clusterText() {
            return cluster == null || !cluster.isDefined()
                    ? "–"
                    : String.format(java.util.Locale.ROOT, "%.3f – %.3f", cluster.low(), cluster.high());
        }
    }

    record AgreementRow(
            String variable,
            boolean ordinal,
            int raters,
            int items,
            int completeItems,
            Stat cohen,
            Stat weighted,
            Stat fleiss,
            Stat alphaNominal,
            Stat alphaOrdinal) {

        /** The coefficients with their intervals, in table order, for the interval table and the methods text. */
        public List<Coefficient> coefficients() {
            List<Coefficient> out = new ArrayList<>();
            out.add(new Coefficient("Cohen's κ", cohen, completeItems));
            if (ordinal) {
                out.add(new Coefficient("weighted κ (linear)", weighted, completeItems));
            }
            out.add(new Coefficient("Fleiss' κ", fleiss, completeItems));
            out.add(new Coefficient("Krippendorff's α (nominal)", alphaNominal, items));
            if (ordinal) {
                out.add(new Coefficient("Krippendorff's α (ordinal)", alphaOrdinal, items));
            }
            return out;
        }
    }

    /** One agreement coefficient of a rating, over {@code items} resampled items. */
    record Coefficient(String name, Stat stat, int items) {}

    record IntraRow(String rater, String variable, int pairs, Stat exact, Stat kappa) {}

    /**
     * Time per item of one rater (or "all raters"): median and quartiles (numpy linear) of {@code n} times in
     * seconds; {@code source} says how they were measured; {@code breaks} times above {@link #BREAK} left out.
     */
    record TimeRow(String rater, int n, double median, double q1, double q3, String source, int breaks) {}

    record Results(
            List<GroupRow> groups,
            List<AccuracyRow> accuracy,
            List<AgreementRow> agreement,
            List<IntraRow> intra,
            int answers,
            List<TimeRow> times,
            int resamples,
            long seed) {}

    /** A rated variable: its name, categories (in order) and how to read it off an answer. */
    record Variable(String name, int[] categories, boolean ordinal, Function<ReviewAnswer, Integer> value) {}

    private ReviewResults() {}

    static List<Variable> variables(ReviewSession s, Map<Long, ReviewItem> items) {
        List<Variable> out = new ArrayList<>();
        switch (s.mode()) {
            case TWO_AFC -> out.add(new Variable("picked the real tile", new int[] {0, 1}, false, a -> {
                ReviewItem i = items.get(a.itemId());
                boolean left = "LEFT".equals(a.choice());
                return left == a.realWasLeft(i) ? 1 : 0;
            }));
            case REAL_OR_VIRTUAL -> out.add(
                    new Variable("answered real", new int[] {0, 1}, false, a -> "REAL".equals(a.choice()) ? 1 : 0));
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
            case MARKER -> out.add(new Variable(
                    "marker score (0 negative – 3 strong)",
                    new int[] {0, 1, 2, 3},
                    true,
                    a -> ReviewMode.MARKER_SCORES.indexOf(a.choice())));
            default -> throw new IllegalStateException();
        }
        return out;
    }

    static Results compute(
            ReviewSession s,
            List<ReviewItem> itemList,
            List<String> raters,
            List<ReviewAnswer> answers,
            Function<Long, String> checkpointName) {
        return compute(s, itemList, raters, answers, checkpointName, Map.of(), false);
    }

    /**
     * The statistics; {@code shownAt} maps an answer id to the time its item was shown (where recorded);
     * {@code intervals}: also the bootstrap intervals of the agreement coefficients and of pooled accuracy (the
     * results page; the dashboard and reports use only point values, Wilson and the group means' intervals).
     */
    static Results compute(
            ReviewSession s,
            List<ReviewItem> itemList,
            List<String> raters,
            List<ReviewAnswer> answers,
            Function<Long, String> checkpointName,
            Map<Long, Instant> shownAt,
            boolean intervals) {
        int resamples = RESAMPLES;
        Map<Long, ReviewItem> items = new LinkedHashMap<>();
        for (ReviewItem i : itemList) {
            items.put(i.id(), i);
        }
        List<ReviewAnswer> first =
                answers.stream().filter(a -> a.repeatNo() == 0).toList();
        List<Variable> vars = variables(s, items);

        // per group (checkpoint, or real controls) and variable: mean ± SD with a bootstrap interval
        List<GroupRow> groups = new ArrayList<>();
        Map<String, Long> groupKeys = new LinkedHashMap<>();
        for (ReviewItem i : itemList) {
            groupKeys.putIfAbsent(groupOf(i, checkpointName), i.real() ? null : i.checkpointId());
        }
        List<Variable> groupVars = new ArrayList<>(vars);
        if (s.mode() == ReviewMode.MARKER) {
            groupVars.add(new Variable(
                    "positive fraction (%)",
                    null, false, a -> a.fraction() == null ? null : (int) Math.round(a.fraction() * 1000)));
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
                Proportions.Interval ci = Bootstrap.meanInterval(arr, resamples, LEVEL, s.seed());
                groups.add(new GroupRow(g.getKey(), g.getValue(), v.name(), arr.length, mean, sd, ci.low(), ci.high()));
            }
        }

        // accuracy (2AFC: picked the real tile; real-or-virtual: answer matches the truth): per rater with the Wilson
        // interval; pooled over all items and per group with the two-way cluster bootstrap as well
        List<AccuracyRow> accuracy = new ArrayList<>();
        if (s.mode() == ReviewMode.TWO_AFC || s.mode() == ReviewMode.REAL_OR_VIRTUAL) {
            Function<ReviewAnswer, Boolean> correct = a -> {
                ReviewItem i = items.get(a.itemId());
                if (s.mode() == ReviewMode.TWO_AFC) {
                    return vars.get(0).value().apply(a) == 1;
                }
                return "REAL".equals(a.choice()) == i.real();
            };
            for (String r : raters) {
                long k = 0;
                long n = 0;
                for (ReviewAnswer a : first) {
                    if (r.equals(a.rater()) && items.containsKey(a.itemId())) {
                        n++;
                        k += correct.apply(a) ? 1 : 0;
                    }
                }
                if (n > 0) {
                    Proportions.Interval w = Proportions.wilson(k, n);
                    accuracy.add(new AccuracyRow(
                            r,
                            "all items",
                            k,
                            n,
                            (double) k / n,
                            w.low(),
                            w.high(),
                            Proportions.binomialTestHalf(k, n)));
                }
            }
            List<String> groupNames = new ArrayList<>();
            groupNames.add(null);
            if (groupKeys.size() > 1) {
                groupNames.addAll(groupKeys.keySet());
            }
            for (String g : groupNames) {
                List<Long> ids = itemList.stream()
                        .filter(i -> g == null || groupOf(i, checkpointName).equals(g))
                        .map(ReviewItem::id)
                        .toList();
                AccuracyRow row = pooled(
                        g == null ? "all items" : g, ids, raters, first, correct, s.seed(), resamples, intervals);
                if (row != null) {
                    accuracy.add(row);
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
                cohen = Stat.of(
                        intervals,
                        () -> Agreement.cohenKappa(a, b),
                        () -> ItemBootstrap.weightedKappa(
                                a, b, v.categories(), Agreement.Weights.NONE, s.seed(), resamples, LEVEL));
                if (v.ordinal()) {
                    weighted = Stat.of(
                            intervals,
                            () -> Agreement.weightedKappa(a, b, v.categories(), Agreement.Weights.LINEAR),
                            () -> ItemBootstrap.weightedKappa(
                                    a, b, v.categories(), Agreement.Weights.LINEAR, s.seed(), resamples, LEVEL));
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
                fleiss = Stat.of(
                        intervals,
                        () -> Agreement.fleissKappa(counts),
                        () -> ItemBootstrap.fleissKappa(counts, s.seed(), resamples, LEVEL));
            }
            Stat nominal = new Stat(null, "needs two or more raters");
            Stat ordinal = new Stat(null, "needs two or more raters");
            if (active.size() >= 2) {
                nominal = Stat.of(
                        intervals,
                        () -> Krippendorff.alpha(data, Krippendorff.Level.NOMINAL),
                        () -> ItemBootstrap.alpha(data, Krippendorff.Level.NOMINAL, s.seed(), resamples, LEVEL));
                ordinal = v.ordinal()
                        ? Stat.of(
                                intervals,
                                () -> Krippendorff.alpha(data, Krippendorff.Level.ORDINAL),
                                () -> ItemBootstrap.alpha(data, Krippendorff.Level.ORDINAL, s.seed(), resamples, LEVEL))
                        : Stat.of(() -> Krippendorff.alpha(data, Krippendorff.Level.ORDINAL));
            }
            agreement.add(new AgreementRow(
                    v.name(),
                    v.ordinal(),
                    active.size(),
                    itemIds.size(),
                    complete.size(),
                    cohen,
                    weighted,
                    fleiss,
                    nominal,
                    ordinal));
        }

        // intra-rater consistency: each repeat against its first showing
        List<IntraRow> intra = new ArrayList<>();
        for (String r : raters) {
            Map<Long, ReviewAnswer> firsts = byRater.getOrDefault(r, Map.of());
            List<ReviewAnswer> repeats = answers.stream()
                    .filter(a -> a.repeatNo() == 1 && a.rater().equals(r))
                    .toList();
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
                Stat kappa = v.ordinal()
                        ? Stat.of(() -> Agreement.weightedKappa(a, b, v.categories(), Agreement.Weights.LINEAR))
                        : Stat.of(() -> Agreement.cohenKappa(a, b));
                intra.add(new IntraRow(r, v.name(), pairs.size(), exact, kappa));
            }
        }
        return new Results(
                groups,
                accuracy,
                agreement,
                intra,
                answers.size(),
                times(raters, answers, shownAt),
                resamples,
                s.seed());
    }

    /**
     * Pooled accuracy over the items {@code ids}: the raters with at least one first-showing answer among them (in
     * session order) x the items in session order, with the two-way cluster bootstrap; null without answers.
     */
    private static AccuracyRow pooled(
            String group,
            List<Long> ids,
            List<String> raters,
            List<ReviewAnswer> first,
            Function<ReviewAnswer, Boolean> correct,
            long seed,
            int resamples,
            boolean interval) {
        Map<Long, Integer> col = new HashMap<>();
        for (int u = 0; u < ids.size(); u++) {
            col.put(ids.get(u), u);
        }
        Map<String, Boolean[]> rows = new LinkedHashMap<>();
        for (String r : raters) {
            rows.put(r, null);
        }
        for (ReviewAnswer a : first) {
            Integer u = col.get(a.itemId());
            if (u != null && rows.containsKey(a.rater())) {
                Boolean[] row = rows.get(a.rater());
                if (row == null) {
                    row = new Boolean[ids.size()];
                    rows.put(a.rater(), row);
                }
                row[u] = correct.apply(a);
            }
        }
        Boolean[][] table =
                rows.values().stream().filter(java.util.Objects::nonNull).toArray(Boolean[][]::new);
        if (table.length == 0) {
            return null;
        }
        long k = 0;
        long n = 0;
        for (Boolean[] row : table) {
            for (Boolean b : row) {
                n += b == null ? 0 : 1;
                k += Boolean.TRUE.equals(b) ? 1 : 0;
            }
        }
        BootstrapInterval ci = interval
                ? ClusterBootstrap.accuracy(table, seed, resamples, LEVEL).interval()
                : new BootstrapInterval(Double.NaN, Double.NaN, 0, 0, LEVEL);
        Proportions.Interval w = Proportions.wilson(k, n);
        return new AccuracyRow(
                "pooled",
                group,
                k,
                n,
                (double) k / n,
                w.low(),
                w.high(),
                Proportions.binomialTestHalf(k, n),
                ci,
                table.length,
                ids.size());
    }

    /** How long one answer took: seconds, how it was measured, and whether it counts as a break (left out). */
    record Timed(double seconds, String source, boolean isBreak) {}

    /**
     * Time per answer (every showing). Where the item's shown-at time is recorded, answered-at minus shown-at;
     * otherwise the time since the same rater's previous answer (answers in answered-at order, ties by id), which the
     * rater's first answer lacks. Times above {@link #BREAK} are breaks. Answered-at is the last save of the answer,
     * so a revised answer measures from its previous neighbour to the revision.
     */
    static Map<Long, Timed> timing(List<ReviewAnswer> answers, Map<Long, Instant> shownAt) {
        Map<Long, Timed> out = new HashMap<>();
        Map<String, List<ReviewAnswer>> byRater = new LinkedHashMap<>();
        for (ReviewAnswer a : answers) {
            byRater.computeIfAbsent(a.rater(), x -> new ArrayList<>()).add(a);
        }
        for (List<ReviewAnswer> list : byRater.values()) {
            List<ReviewAnswer> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparing(ReviewAnswer::answeredAt).thenComparingLong(ReviewAnswer::id));
            ReviewAnswer previous = null;
            for (ReviewAnswer a : sorted) {
                Instant shown = shownAt.get(a.id());
                Duration d = null;
                String source = null;
                if (shown != null && !a.answeredAt().isBefore(shown)) {
                    d = Duration.between(shown, a.answeredAt());
                    source = TIME_SHOWN;
                } else if (previous != null) {
                    d = Duration.between(previous.answeredAt(), a.answeredAt());
                    source = TIME_GAP;
                }
                if (d != null) {
                    out.put(a.id(), new Timed(d.toNanos() / 1e9, source, d.compareTo(BREAK) > 0));
                }
                previous = a;
            }
        }
        return out;
    }

    static List<TimeRow> times(List<String> raters, List<ReviewAnswer> answers, Map<Long, Instant> shownAt) {
        Map<Long, Timed> timed = timing(answers, shownAt);
        List<TimeRow> out = new ArrayList<>();
        List<String> rows = new ArrayList<>(raters);
        rows.add(null);
        for (String r : rows) {
            List<Double> xs = new ArrayList<>();
            java.util.Set<String> sources = new java.util.TreeSet<>();
            int breaks = 0;
            for (ReviewAnswer a : answers) {
                Timed t = timed.get(a.id());
                if (t == null || (r != null && !r.equals(a.rater()))) {
                    continue;
                }
                if (t.isBreak()) {
                    breaks++;
                } else {
                    xs.add(t.seconds());
                    sources.add(t.source());
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            Quantiles.Summary q = Quantiles.summary(
                    xs.stream().mapToDouble(Double::doubleValue).toArray());
            out.add(new TimeRow(
                    r == null ? "all raters" : r,
                    q.n(),
                    q.median(),
                    q.q1(),
                    q.q3(),
                    sources.size() == 1 ? sources.iterator().next() : "mixed: " + String.join(" / ", sources),
                    breaks));
        }
        return out;
    }

    static String groupOf(ReviewItem i, Function<Long, String> checkpointName) {
        return i.real() ? "real IHC controls" : checkpointName.apply(i.checkpointId());
    }
}
