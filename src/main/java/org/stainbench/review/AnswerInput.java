package org.stainbench.review;

import java.util.List;
import java.util.Locale;

/**
 * One answer as a rater gives it, checked against the session's mode: the one rule for study answers
 * ({@link Reviews}) and practice answers ({@link Practice}). Fields hold what is stored: the choice (null for Likert),
 * the confidence (real-or-virtual), the comma-joined scores (Likert) and the positive fraction (marker).
 */
record AnswerInput(String choice, Integer confidence, String scores, Double fraction) {

    static AnswerInput check(
            ReviewSession s, String choice, Integer confidence, List<Integer> scores, Double fraction) {
        String c = choice == null ? null : choice.trim().toUpperCase(Locale.ROOT);
        return switch (s.mode()) {
            case TWO_AFC -> {
                if (!"LEFT".equals(c) && !"RIGHT".equals(c)) {
                    throw new IllegalArgumentException("Choose the left or the right tile (← or →).");
                }
                yield new AnswerInput(c, null, null, null);
            }
            case REAL_OR_VIRTUAL -> {
                if (!"REAL".equals(c) && !"VIRTUAL".equals(c)) {
                    throw new IllegalArgumentException("Answer real (R) or virtual (V).");
                }
                if (confidence == null || confidence < 1 || confidence > 5) {
                    throw new IllegalArgumentException("Give a confidence from 1 to 5.");
                }
                yield new AnswerInput(c, confidence, null, null);
            }
            case LIKERT -> {
                int n = s.criteriaList().size();
                if (scores == null
                        || scores.size() != n
                        || scores.stream().anyMatch(v -> v == null || v < 1 || v > 5)) {
                    throw new IllegalArgumentException("Score each of the " + n + " criteria from 1 to 5.");
                }
                yield new AnswerInput(
                        null,
                        null,
                        String.join(",", scores.stream().map(String::valueOf).toList()),
                        null);
            }
            case MARKER -> {
                if (c == null || !ReviewMode.MARKER_SCORES.contains(c)) {
                    throw new IllegalArgumentException("Choose negative, weak, moderate or strong (1–4).");
                }
                if (fraction == null || !(fraction >= 0 && fraction <= 100)) {
                    throw new IllegalArgumentException("Estimate the positive fraction as a percentage from 0 to 100.");
                }
                yield new AnswerInput(c, null, null, fraction);
            }
        };
    }
}
