package org.stainbench.shell;

import java.util.Locale;
import java.util.function.Function;

/**
 * The one check for names people give things (datasets, runs, experiments, reports, review sessions, checkpoints,
 * evaluations, extractors, tokens, …): no control characters (Unicode category Cc, e.g. NUL, ESC, newline, tab) and no
 * invisible format or text-direction characters (category Cf: U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, zero-width
 * characters, …), no line or paragraph separators and no unpaired surrogates. Such characters make a name look like
 * another one on screen, in logs and in file names (e.g. U+202E turns "report‮fdp.exe" around).
 */
public final class Names {

    private Names() {}

    /**
     * Refuses {@code value} (null passes: whether a name is required is the caller's rule) with an
     * {@link IllegalArgumentException} whose message names {@code field}, the character and its position.
     */
    public static String check(String field, String value) {
        return check(field, value, IllegalArgumentException::new);
    }

    /** The same check, failing with the caller's exception type (e.g. the MLflow API's INVALID_PARAMETER_VALUE). */
    public static String check(String field, String value, Function<String, ? extends RuntimeException> error) {
        if (value == null) {
            return null;
        }
        int i = 0;
        while (i < value.length()) {
            int cp = value.codePointAt(i);
            if (refused(cp)) {
                String name = Character.getName(cp);
                throw error.apply(field + " contains "
                        + (Character.getType(cp) == Character.CONTROL
                                ? "a control character"
                                : "an invisible formatting or text-direction character")
                        + " (U+"
                        + String.format(Locale.ROOT, "%04X", cp) + (name == null ? "" : " " + name) + ") at position "
                        + (value.codePointCount(0, i) + 1)
                        + ": remove it (names may not hold control, bidi or invisible characters).");
            }
            i += Character.charCount(cp);
        }
        return value;
    }

    /** Whether a name may not hold this code point. */
    public static boolean refused(int cp) {
        int t = Character.getType(cp);
        return t == Character.CONTROL
                || t == Character.FORMAT
                || t == Character.LINE_SEPARATOR
                || t == Character.PARAGRAPH_SEPARATOR
                || t == Character.SURROGATE
                || t == Character.UNASSIGNED && cp > 0x10FFFF;
    }
}
