package org.stainbench.shell;

import java.util.Locale;

/**
 * SQL LIKE patterns, both ways.
 * <ul>
 * <li>{@link #contains}: a "contains" pattern for SQL LIKE built from what a person typed: lower-cased, its wildcards
 * ({@code %}, {@code _}) and the escape character itself escaped, so they match literally. Use it as
 * {@code lower(column) like ? escape '!'} (the same on H2 and PostgreSQL).</li>
 * <li>{@link #compile}: a LIKE pattern matched in Java without regular expressions, in time bounded by
 * (text length + 1) × (pattern length + 1) steps and usually linear in the text: the greedy two-pointer
 * wildcard match that only ever backtracks to the last {@code %}, so no pattern can make it explode.</li>
 * </ul>
 */
public final class LikePattern {

    /** The escape character to name in {@code escape '!'}. */
    public static final char ESCAPE = '!';

    private static final int ANY_ONE = -1;
    private static final int ANY_MANY = -2;

    /** Pattern tokens: a code point, {@link #ANY_ONE} or {@link #ANY_MANY}; consecutive {@code %} are one. */
    private final int[] tokens;

    private final boolean ignoreCase;

    private LikePattern(int[] tokens, boolean ignoreCase) {
        this.tokens = tokens;
        this.ignoreCase = ignoreCase;
    }

    public static String contains(String query) {
        StringBuilder b = new StringBuilder("%");
        for (char c : query.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '%' || c == '_' || c == ESCAPE) {
                b.append(ESCAPE);
            }
            b.append(c);
        }
        return b.append('%').toString();
    }

    /**
     * A LIKE ({@code ignoreCase} false) or ILIKE pattern: {@code %} any run of characters, {@code _} any one
     * character, {@code escape} before a character makes it literal (as in PostgreSQL).
     *
     * @throws IllegalArgumentException when the pattern ends with the escape character
     */
    public static LikePattern compile(String pattern, char escape, boolean ignoreCase) {
        int[] cps = pattern.codePoints().toArray();
        int[] out = new int[cps.length];
        int n = 0;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == escape) {
                if (i + 1 >= cps.length) {
                    throw new IllegalArgumentException(
                            "A LIKE pattern must not end with the escape character '" + escape + "'.");
                }
                out[n++] = fold(cps[++i], ignoreCase);
            } else if (c == '%') {
                if (n == 0 || out[n - 1] != ANY_MANY) {
                    out[n++] = ANY_MANY;
                }
            } else if (c == '_') {
                out[n++] = ANY_ONE;
            } else {
                out[n++] = fold(c, ignoreCase);
            }
        }
        return new LikePattern(java.util.Arrays.copyOf(out, n), ignoreCase);
    }

    /** Whether the whole of {@code text} matches. */
    public boolean matches(String text) {
        return steps(text) >= 0;
    }

    /**
     * Matches {@code text} and tells how much work that took: the number of steps (≥ 1) when it matches, minus that
     * number when it does not. The count never exceeds (text length + 1) × (pattern length + 1).
     */
    public long steps(String text) {
        int[] t = text.codePoints().toArray();
        int[] p = tokens;
        int ti = 0;
        int pi = 0;
        int starP = -1;
        int starT = -1;
        long steps = 1;
        while (ti < t.length) {
            steps++;
            if (pi < p.length && p[pi] != ANY_MANY && (p[pi] == ANY_ONE || p[pi] == fold(t[ti], ignoreCase))) {
                pi++;
                ti++;
            } else if (pi < p.length && p[pi] == ANY_MANY) {
                starP = pi++;
                starT = ti;
            } else if (starP >= 0) {
                pi = starP + 1;
                ti = ++starT;
            } else {
                return -steps;
            }
        }
        while (pi < p.length && p[pi] == ANY_MANY) {
            pi++;
        }
        return pi == p.length ? steps : -steps;
    }

    private static int fold(int c, boolean ignoreCase) {
        return ignoreCase ? Character.toLowerCase(Character.toUpperCase(c)) : c;
    }
}
