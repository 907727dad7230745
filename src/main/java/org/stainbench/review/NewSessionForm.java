package org.stainbench.review;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The new-session form ({@code POST /review/sessions}), bound as one record with the form's own field names. Numbers
 * stay text until {@link #session()} / {@link #design()} read them, so a wrong one is an
 * {@link IllegalArgumentException} naming the field, shown above the re-rendered form (see {@link #echo()}).
 */
record NewSessionForm(
        String name,
        String mode,
        String instructions,
        String criteria,
        String showSource,
        String selection,
        String source,
        List<Long> ck,
        String perCheckpoint,
        String realDataset,
        String realCount,
        String repeatPercent,
        String seed,
        List<String> rater,
        String informativeOnly,
        String minTissue,
        String minCenter,
        String matchTissue,
        String navigation,
        String itemsPerRater,
        String overlap,
        String practiceCount) {

    /** The session the form asks for; absent numbers take the form's defaults. */
    Reviews.NewSession session() {
        ReviewMode m;
        try {
            m = ReviewMode.valueOf(mode == null ? "" : mode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Choose a mode.");
        }
        Long s = longOrNull(seed, "seed");
        return new Reviews.NewSession(
                name,
                m,
                instructions,
                criteria,
                checked(showSource),
                selection == null ? ReviewSession.RANDOM : selection,
                longOrNull(source, "source dataset"),
                ck,
                intOr(perCheckpoint, 10, "tiles per checkpoint"),
                longOrNull(realDataset, "real dataset"),
                intOr(realCount, 0, "real controls"),
                intOr(repeatPercent, 10, "repeated items"),
                s == null ? 1 : s,
                rater,
                eligibility(),
                checked(matchTissue));
    }

    /** The study design the form asks for. */
    StudyDesign design() {
        return StudyDesign.of(
                StudyDesign.Navigation.parse(navigation),
                intOr(itemsPerRater, 0, "items per rater"),
                intOr(overlap, 0, "overlap"),
                intOr(practiceCount, 0, "practice items"));
    }

    /**
     * The form's eligibility rule: the informative box and the two tissue thresholds (fractions). The form preselects
     * {@link Eligibility#DEFAULT} and matched rows; a post without them (a script) gets what it always got: a random
     * sample without thresholds, or matched rows with the galleries' thresholds, and no informative filter.
     */
    Eligibility eligibility() {
        boolean rows = ReviewSession.GALLERY.equals(selection);
        return new Eligibility(
                checked(informativeOnly),
                fraction(minTissue, rows ? Eligibility.DEFAULT.minTissue() : 0, "minTissue", "minimum tissue fraction"),
                fraction(
                        minCenter,
                        rows ? Eligibility.DEFAULT.minCenter() : 0,
                        "minCenter",
                        "minimum tissue fraction of the central crop"));
    }

    /** What the user typed, by field name, for the form shown again after a refusal. */
    Map<String, Object> echo() {
        Map<String, Object> f = new HashMap<>();
        put(f, "name", name);
        put(f, "mode", mode);
        put(f, "instructions", instructions);
        put(f, "criteria", criteria);
        put(f, "showSource", showSource);
        put(f, "selection", selection);
        put(f, "source", source);
        put(f, "perCheckpoint", perCheckpoint);
        put(f, "realDataset", realDataset);
        put(f, "realCount", realCount);
        put(f, "repeatPercent", repeatPercent);
        put(f, "seed", seed);
        put(f, "informativeOnly", informativeOnly);
        put(f, "minTissue", minTissue);
        put(f, "minCenter", minCenter);
        put(f, "matchTissue", matchTissue);
        put(f, "navigation", navigation);
        put(f, "itemsPerRater", itemsPerRater);
        put(f, "overlap", overlap);
        put(f, "practiceCount", practiceCount);
        f.put("ck", ck == null ? List.of() : ck);
        f.put("rater", rater == null ? List.of() : rater);
        return f;
    }

    private static void put(Map<String, Object> f, String key, String value) {
        if (value != null) {
            f.put(key, value);
        }
    }

    static boolean checked(String v) {
        return "on".equals(v) || "true".equals(v);
    }

    private static double fraction(String v, double fallback, String field, String what) {
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= 0 && d <= 1)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "The " + what + " (" + field + ") is a fraction between 0 and 1, not '" + v + "'.");
        }
    }

    static Long longOrNull(String v, String what) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The " + what + " must be a whole number, not '" + v + "'.");
        }
    }

    static int intOr(String v, int fallback, String what) {
        Long l = longOrNull(v, what);
        if (l != null && (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE)) {
            throw new IllegalArgumentException("The " + what + " is out of range.");
        }
        return l == null ? fallback : l.intValue();
    }
}
