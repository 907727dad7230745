package org.stainbench.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stainbench.shell.LikePattern;

/**
 * The filter and order of {@code logged-models/search} as MLflow 3 documents them ({@code mlflow.search_logged_models}):
 * clauses joined by {@code AND}; {@code metrics.<key>} compared with a number ({@code < <= > >= = !=}),
 * {@code params.<key>}, {@code tags.<key>} and the string attributes {@code name}, {@code model_id},
 * {@code model_type}, {@code status}, {@code source_run_id} with {@code = != LIKE ILIKE IN NOT IN}, and the time
 * attributes {@code creation_time} ({@code creation_timestamp}) and {@code last_updated_timestamp} with numbers.
 * Keys may be quoted with backticks or double quotes. Pure: it filters and sorts models it is given.
 */
final class LoggedModelSearch {

    private LoggedModelSearch() {}

    /** A model with the metric values (latest per key) searches compare. */
    record Row(LoggedModelStore.Model model, Map<String, Double> metrics) {}

    private static final Pattern CLAUSE = Pattern.compile("(?is)\\s*(?:(attributes?|metrics|params|tags)\\.)?"
            + "(`[^`]+`|\"[^\"]+\"|[A-Za-z0-9_.\\-/ :]+?)\\s*(<=|>=|!=|=|<|>|NOT\\s+IN|IN|ILIKE|LIKE)\\s*"
            + "('(?:[^']|'')*'|\\((?:\\s*'(?:[^']|'')*'\\s*,?)+\\)|-?[0-9.eE+\\-]+)\\s*");

    private static final Pattern AND = Pattern.compile("(?i)\\s+AND\\s+");

    static Predicate<Row> filter(String text) {
        if (text == null || text.isBlank()) {
            return r -> true;
        }
        List<Predicate<Row>> clauses = new ArrayList<>();
        for (String part : splitAnd(text)) {
            clauses.add(clause(part, text));
        }
        return r -> clauses.stream().allMatch(c -> c.test(r));
    }

    /** Whether the filter or order names a metric (only then are metric values looked up). */
    static boolean needsMetrics(String filter, List<String> orderFields) {
        return filter != null && filter.toLowerCase(Locale.ROOT).contains("metrics.")
                || orderFields.stream().anyMatch(f -> f.toLowerCase(Locale.ROOT).startsWith("metrics."));
    }

    /** Splits at AND outside quotes and parentheses. */
    static List<String> splitAnd(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quote = false;
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quote = !quote;
            } else if (!quote && c == '(') {
                depth++;
            } else if (!quote && c == ')') {
                depth--;
            }
            if (!quote && depth == 0 && Character.isWhitespace(c)) {
                Matcher m = AND.matcher(text).region(i, text.length());
                if (m.lookingAt()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    i = m.end() - 1;
                    continue;
                }
            }
            cur.append(c);
        }
        out.add(cur.toString());
        return out;
    }

    private static Predicate<Row> clause(String part, String whole) {
        Matcher m = CLAUSE.matcher(part);
        if (!m.matches()) {
            throw MlflowException.invalid("Invalid clause '" + part.trim() + "' in filter '" + whole + "'.");
        }
        String entity = m.group(1) == null ? "attributes" : m.group(1).toLowerCase(Locale.ROOT);
        String key = unquote(m.group(2).trim());
        String op = m.group(3).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        String raw = m.group(4).trim();
        if (entity.equals("attribute")) {
            entity = "attributes";
        }
        Function<Row, Object> value =
                switch (entity) {
                    case "metrics" -> r -> r.metrics().get(key);
                    case "params" -> r -> r.model().params().get(key);
                    case "tags" -> r -> r.model().tags().get(key);
                    default -> attribute(key);
                };
        boolean numeric = entity.equals("metrics") || isTimeAttribute(entity, key);
        if (numeric) {
            double number;
            try {
                number = Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw MlflowException.invalid("'" + key + "' must be compared with a number in '" + whole + "'.");
            }
            Predicate<Double> test =
                    switch (op) {
                        case "<" -> v -> v < number;
                        case "<=" -> v -> v <= number;
                        case ">" -> v -> v > number;
                        case ">=" -> v -> v >= number;
                        case "=" -> v -> v == number;
                        case "!=" -> v -> v != number;
                        default -> throw MlflowException.invalid("Invalid comparator '" + op + "' for '" + key
                                + "' in '" + whole + "'; numbers take < <= > >= = !=.");
                    };
            return r -> value.apply(r) instanceof Number n && test.test(n.doubleValue());
        }
        if (op.contains("IN")) {
            if (!raw.startsWith("(")) {
                throw MlflowException.invalid(op + " needs a list such as ('a', 'b') in '" + whole + "'.");
            }
            List<String> values = new ArrayList<>();
            Matcher q = Pattern.compile("'((?:[^']|'')*)'").matcher(raw);
            while (q.find()) {
                values.add(q.group(1).replace("''", "'"));
            }
            boolean not = op.startsWith("NOT");
            return r -> value.apply(r) instanceof String s && values.contains(s) != not;
        }
        if (!raw.startsWith("'")) {
            throw MlflowException.invalid("'" + key + "' must be compared with a quoted string in '" + whole + "'.");
        }
        String text = raw.substring(1, raw.length() - 1).replace("''", "'");
        return switch (op) {
            case "=" -> r -> text.equals(value.apply(r));
            case "!=" -> r -> value.apply(r) instanceof String s && !text.equals(s);
            case "LIKE", "ILIKE" -> {
                LikePattern like;
                try {
                    like = LikePattern.compile(text, RunSearch.LIKE_ESCAPE, op.equals("ILIKE"));
                } catch (IllegalArgumentException e) {
                    throw MlflowException.invalid(e.getMessage() + " In '" + whole + "'.");
                }
                yield r -> value.apply(r) instanceof String s && like.matches(s);
            }
            default -> throw MlflowException.invalid("Invalid comparator '" + op + "' for '" + key + "' in '" + whole
                    + "'; strings take = != LIKE ILIKE IN NOT IN.");
        };
    }

    private static boolean isTimeAttribute(String entity, String key) {
        return entity.equals("attributes")
                && List.of(
                                "creation_time",
                                "creation_timestamp",
                                "creation_timestamp_ms",
                                "last_updated_timestamp",
                                "last_updated_timestamp_ms")
                        .contains(key.toLowerCase(Locale.ROOT));
    }

    private static Function<Row, Object> attribute(String key) {
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "name" -> r -> r.model().name();
            case "model_id" -> r -> r.model().modelId();
            case "model_type" -> r -> r.model().modelType();
            case "status" -> r -> r.model().status();
            case "source_run_id" -> r -> r.model().sourceRunId();
            case "creation_time", "creation_timestamp", "creation_timestamp_ms" -> r ->
                    r.model().creationTime();
            case "last_updated_timestamp", "last_updated_timestamp_ms" -> r ->
                    r.model().lastUpdateTime();
            default -> throw MlflowException.invalid("Invalid attribute '" + key + "'; logged models have name,"
                    + " model_id, model_type, status, source_run_id, creation_time and last_updated_timestamp.");
        };
    }

    /** One {@code order_by} entry: {@code {"field_name": "metrics.fid", "ascending": false}}. */
    record Order(String field, boolean ascending) {}

    /** Ordered by the entries, then newest first and by id (MLflow's default), models without a value last. */
    static Comparator<Row> order(List<Order> orders) {
        Comparator<Row> cmp = null;
        for (Order o : orders) {
            String f = o.field().trim();
            Function<Row, Object> value;
            if (f.toLowerCase(Locale.ROOT).startsWith("metrics.")) {
                String key = unquote(f.substring(8));
                value = r -> r.metrics().get(key);
            } else if (f.toLowerCase(Locale.ROOT).startsWith("params.")) {
                String key = unquote(f.substring(7));
                value = r -> r.model().params().get(key);
            } else if (f.toLowerCase(Locale.ROOT).startsWith("tags.")) {
                String key = unquote(f.substring(5));
                value = r -> r.model().tags().get(key);
            } else {
                value = attribute(f.replaceFirst("(?i)^attributes?\\.", ""));
            }
            Comparator<Object> values = LoggedModelSearch::compare;
            Comparator<Row> c =
                    Comparator.comparing(value, Comparator.nullsLast(o.ascending() ? values : values.reversed()));
            cmp = cmp == null ? c : cmp.thenComparing(c);
        }
        Comparator<Row> tail = Comparator.comparingLong((Row r) -> r.model().creationTime())
                .reversed()
                .thenComparing(r -> r.model().modelId());
        return cmp == null ? tail : cmp.thenComparing(tail);
    }

    private static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return a.toString().compareTo(b.toString());
    }

    private static String unquote(String key) {
        if (key.length() >= 2
                && (key.startsWith("`") && key.endsWith("`") || key.startsWith("\"") && key.endsWith("\""))) {
            return key.substring(1, key.length() - 1);
        }
        return key;
    }
}
