package org.stainbench.review;

import java.util.ArrayList;
import java.util.List;

/**
 * The rating and practice form, bound as one record: the choice, the confidence, the marker fraction, a note and one
 * score per Likert criterion ({@code scores[0]}, {@code scores[1]}, …; an unanswered criterion is a gap). Numbers stay
 * text until {@link #confidenceValue()} / {@link #fractionValue()} / {@link #scoreValues(int)}, so a wrong one is an
 * {@link IllegalArgumentException} shown next to the item, not a binding error.
 */
record AnswerForm(String choice, String confidence, String fraction, String note, List<String> scores) {

    Integer confidenceValue() {
        return integer(confidence);
    }

    Double fractionValue() {
        return decimal(fraction);
    }

    /** One score per criterion, in order; {@code null} for an unanswered one. */
    List<Integer> scoreValues(int criteria) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < criteria; c++) {
            out.add(integer(scores != null && c < scores.size() ? scores.get(c) : null));
        }
        return out;
    }

    static Integer integer(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number.");
        }
    }

    static Double decimal(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a number.");
        }
    }
}
