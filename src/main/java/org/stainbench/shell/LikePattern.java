package org.stainbench.shell;

import java.util.Locale;

/**
 * A "contains" pattern for SQL LIKE built from what a person typed: lower-cased, its wildcards ({@code %}, {@code _})
 * and the escape character itself escaped, so they match literally. Use it as
 * {@code lower(column) like ? escape '!'} (the same on H2 and PostgreSQL).
 */
public final class LikePattern {

    /** The escape character to name in {@code escape '!'}. */
    public static final char ESCAPE = '!';

    private LikePattern() {
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
}
