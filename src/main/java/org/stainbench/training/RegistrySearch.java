package org.stainbench.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stainbench.shell.LikePattern;

/**
 * The {@code filter} and {@code order_by} of {@code registered-models/search} and {@code model-versions/search}, as
 * MLflow's registry parses them (mlflow/utils/search_utils.py, SearchModelUtils / SearchModelVersionUtils): clauses
 * joined by {@code AND}; {@code name}, {@code tags.<key>} (also {@code tags.`a key`}) for models, and besides those
 * {@code run_id}, {@code source_path}, {@code version_number} for versions; comparators {@code =}, {@code !=},
 * {@code LIKE}, {@code ILIKE} (matched by {@link LikePattern}: linear in the text, escape {@code \}), {@code IN}
 * for {@code run_id}, and {@code < <= > >=} for {@code version_number}. Anything else is INVALID_PARAMETER_VALUE.
 */
final class RegistrySearch {

    private RegistrySearch() {}

    /** One clause: an identifier ({@code name}, {@code tags.k}, …), its comparator and its values. */
    record Clause(String key, String op, List<String> values) {}

    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*((?:tags?|attributes?|attribute)\\.(?:`[^`]+`|\"[^\"]+\"|[\\w.-]+)|[A-Za-z_]+)\\s*"
                    + "(=|!=|<>|<=|>=|<|>|(?i:ILIKE)|(?i:LIKE)|(?i:IN))\\s*(.+?)\\s*",
            Pattern.DOTALL);

    static List<Clause> parse(String filter, Set<String> attributes) {
        List<Clause> out = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return out;
        }
        for (String part : splitAnd(filter)) {
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                throw MlflowException.invalid("Invalid filter '" + ModelRegistry.abbreviate(filter) + "': cannot read '"
                        + ModelRegistry.abbreviate(part.trim()) + "'.");
            }
            String key = m.group(1);
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.startsWith("tag.") || lower.startsWith("tags.")) {
                String k = key.substring(key.indexOf('.') + 1);
                if (k.length() > 1
                        && (k.startsWith("`") && k.endsWith("`") || k.startsWith("\"") && k.endsWith("\""))) {
                    k = k.substring(1, k.length() - 1);
                }
                key = "tags." + k;
            } else {
                key = lower.startsWith("attribute") ? lower.substring(lower.indexOf('.') + 1) : lower;
                if (!attributes.contains(key)) {
                    throw MlflowException.invalid("Invalid attribute key '" + ModelRegistry.abbreviate(m.group(1))
                            + "' in filter; valid keys are "
                            + String.join(", ", attributes.stream().sorted().toList())
                            + " and tags.<key>.");
                }
            }
            String op = m.group(2).toUpperCase(Locale.ROOT).equals("<>")
                    ? "!="
                    : m.group(2).toUpperCase(Locale.ROOT);
            String raw = m.group(3);
            List<String> values;
            if (op.equals("IN")) {
                if (!key.equals("run_id")) {
                    throw MlflowException.invalid("IN is supported for run_id only, not for '" + key + "'.");
                }
                if (!raw.startsWith("(") || !raw.endsWith(")")) {
                    throw MlflowException.invalid(
                            "IN needs a list of quoted values in parentheses: " + ModelRegistry.abbreviate(raw));
                }
                values = new ArrayList<>();
                for (String v : splitList(raw.substring(1, raw.length() - 1))) {
                    values.add(unquote(v, key));
                }
            } else if (key.equals("version_number")) {
                if (!raw.matches("'?\\d{1,9}'?")) {
                    throw MlflowException.invalid("version_number is compared with a whole number, not "
                            + ModelRegistry.abbreviate(raw) + ".");
                }
                if (op.contains("LIKE")) {
                    throw MlflowException.invalid("version_number cannot be compared with " + op + ".");
                }
                values = List.of(raw.replace("'", ""));
            } else {
                if (op.startsWith("<") || op.startsWith(">")) {
                    throw MlflowException.invalid(
                            "'" + key + "' is compared with =, !=, LIKE or ILIKE, not " + op + ".");
                }
                values = List.of(unquote(raw, key));
            }
            out.add(new Clause(key, op, values));
        }
        return out;
    }

    /** The clauses as one predicate over things whose identifiers {@code value} reads (null: absent). */
    static <T> Predicate<T> predicate(List<Clause> clauses, java.util.function.BiFunction<T, String, String> value) {
        Predicate<T> all = t -> true;
        for (Clause c : clauses) {
            Predicate<String> test = test(c);
            all = all.and(t -> test.test(value.apply(t, c.key())));
        }
        return all;
    }

    private static Predicate<String> test(Clause c) {
        String v = c.values().isEmpty() ? "" : c.values().get(0);
        switch (c.op()) {
            case "=":
                return c.key().equals("version_number")
                        ? s -> s != null && Long.parseLong(s) == Long.parseLong(v)
                        : v::equals;
            case "!=":
                return c.key().equals("version_number")
                        ? s -> s != null && Long.parseLong(s) != Long.parseLong(v)
                        : s -> s != null && !s.equals(v);
            case "IN":
                return s -> s != null && c.values().contains(s);
            case "LIKE":
            case "ILIKE":
                LikePattern like;
                try {
                    like = LikePattern.compile(v, RunSearch.LIKE_ESCAPE, c.op().equals("ILIKE"));
                } catch (IllegalArgumentException e) {
                    throw MlflowException.invalid(e.getMessage());
                }
                return s -> s != null && like.matches(s);
            default:
                long n = Long.parseLong(v);
                return switch (c.op()) {
                    case "<" -> s -> s != null && Long.parseLong(s) < n;
                    case "<=" -> s -> s != null && Long.parseLong(s) <= n;
                    case ">" -> s -> s != null && Long.parseLong(s) > n;
                    default -> s -> s != null && Long.parseLong(s) >= n;
                };
        }
    }

    /**
     * {@code order_by}: each {@code <key> [ASC|DESC]} with a key of {@code keys} (name → value extractor); the given
     * tie-breaker comes last so pages are stable.
     */
    static <T> Comparator<T> order(
            List<String> orderBy, Map<String, Function<T, Comparable<?>>> keys, Comparator<T> tieBreak) {
        Comparator<T> order = null;
        for (String o : orderBy) {
            String[] words = o.trim().split("\\s+");
            if (words.length == 0 || words.length > 2 || words[0].isEmpty()) {
                throw MlflowException.invalid("Invalid order_by clause '" + ModelRegistry.abbreviate(o) + "'.");
            }
            String key = words[0].toLowerCase(Locale.ROOT);
            key = key.startsWith("attribute.") || key.startsWith("attributes.")
                    ? key.substring(key.indexOf('.') + 1)
                    : key;
            Function<T, Comparable<?>> f = keys.get(key);
            if (f == null) {
                throw MlflowException.invalid("Invalid order by key '" + ModelRegistry.abbreviate(words[0])
                        + "' specified. Valid keys are "
                        + String.join(", ", keys.keySet().stream().sorted().toList()) + ".");
            }
            boolean desc = false;
            if (words.length == 2) {
                if (words[1].equalsIgnoreCase("DESC")) {
                    desc = true;
                } else if (!words[1].equalsIgnoreCase("ASC")) {
                    throw MlflowException.invalid("Invalid order_by clause '" + ModelRegistry.abbreviate(o)
                            + "': the direction is ASC or DESC.");
                }
            }
            @SuppressWarnings({"unchecked", "rawtypes"})
            Comparator<T> c = Comparator.comparing((Function) f, Comparator.nullsFirst(Comparator.naturalOrder()));
            c = desc ? c.reversed() : c;
            order = order == null ? c : order.thenComparing(c);
        }
        return order == null ? tieBreak : order.thenComparing(tieBreak);
    }

    private static String unquote(String raw, String key) {
        String r = raw.trim();
        if (r.length() >= 2 && (r.startsWith("'") && r.endsWith("'") || r.startsWith("\"") && r.endsWith("\""))) {
            char q = r.charAt(0);
            String inner = r.substring(1, r.length() - 1);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < inner.length(); i++) {
                char ch = inner.charAt(i);
                if (ch == q) {
                    if (i + 1 < inner.length() && inner.charAt(i + 1) == q) {
                        i++;
                    } else {
                        throw MlflowException.invalid("Invalid filter: unexpected text after the value " + q
                                + ModelRegistry.abbreviate(inner.substring(0, i)) + q + " of '" + key
                                + "' (clauses are joined with AND only).");
                    }
                }
                out.append(ch);
            }
            return out.toString();
        }
        throw MlflowException.invalid("The value compared with '" + key + "' must be a quoted string, got "
                + ModelRegistry.abbreviate(raw) + ".");
    }

    /** Splits on {@code AND} (any case, between spaces) outside quotes and parentheses. */
    static List<String> splitAnd(String filter) {
        List<String> out = new ArrayList<>();
        char quote = 0;
        int depth = 0;
        int start = 0;
        for (int i = 0; i < filter.length(); i++) {
            char ch = filter.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (depth == 0
                    && Character.isWhitespace(ch)
                    && i + 4 < filter.length()
                    && filter.regionMatches(true, i + 1, "AND", 0, 3)
                    && Character.isWhitespace(filter.charAt(i + 4))) {
                out.add(filter.substring(start, i));
                start = i + 5;
                i += 4;
            }
        }
        if (quote != 0) {
            throw MlflowException.invalid(
                    "Invalid filter '" + ModelRegistry.abbreviate(filter) + "': a quote is not closed.");
        }
        out.add(filter.substring(start));
        return out;
    }

    private static List<String> splitList(String inner) {
        List<String> out = new ArrayList<>();
        char quote = 0;
        int start = 0;
        for (int i = 0; i < inner.length(); i++) {
            char ch = inner.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == ',') {
                out.add(inner.substring(start, i));
                start = i + 1;
            }
        }
        out.add(inner.substring(start));
        return out;
    }
}
