package org.stainbench.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.stainbench.shell.LikePattern;

/**
 * MLflow's run search language: a filter such as
 * {@code metrics.loss < 0.5 and params.lr = '1e-4' and tags."mlflow.user" LIKE 'ann%'} and order
 * clauses such as {@code metrics.fid ASC}. Supports the comparators =, !=, <, <=, >, >=, LIKE and
 * ILIKE on metrics, params, tags and the attributes status, run_name, run_id, user_id, start_time
 * and end_time. Pure: it filters and sorts runs it is given.
 * <p>
 * LIKE and ILIKE use {@link LikePattern} (no regular expressions; a backslash escapes {@code %}, {@code _} and
 * itself, as in PostgreSQL), so a pattern such as {@code '%%%%%%%%%%!'} costs at most text × pattern steps; a
 * {@link Budget} bounds the work of one request.
 */
final class RunSearch {

    private RunSearch() {}

    /** The escape character of LIKE patterns in filters (PostgreSQL's default). */
    static final char LIKE_ESCAPE = '\\';

    /** One comparison; {@code like} is the compiled pattern of a LIKE/ILIKE clause, else null. */
    record Clause(String entity, String key, String op, Object value, LikePattern like) {}

    /**
     * The work one search may do, in steps: each run × clause costs one, each LIKE/ILIKE match its steps.
     * {@link #spend} refuses (400) once the total passes the limit.
     */
    static final class Budget {
        private final long limit;
        private final String setting;
        private long spent;

        Budget(long limit, String setting) {
            this.limit = limit;
            this.setting = setting;
        }

        static Budget unlimited() {
            return new Budget(Long.MAX_VALUE, "none");
        }

        void spend(long steps) {
            spent += steps;
            if (spent > limit) {
                throw MlflowException.invalid("This search needs more work than " + setting + " (" + limit
                        + " steps) allows; narrow the filter or the experiments searched.");
            }
        }

        long spent() {
            return spent;
        }
    }

    static Predicate<Tracking.Run> filter(String text) {
        return filter(text, Budget.unlimited());
    }

    static Predicate<Tracking.Run> filter(String text, Budget budget) {
        List<Clause> clauses = parse(text);
        return run -> clauses.stream().allMatch(c -> matches(run, c, budget));
    }

    static List<Clause> parse(String text) {
        List<Clause> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        Lexer lx = new Lexer(text);
        while (true) {
            String[] ident = lx.identifier();
            String op = lx.comparator();
            Object value = op.endsWith("IN") ? lx.list() : lx.value();
            String entity = ident[0];
            if (op.endsWith("IN") && !(entity.equals("attributes") && ident[1].equals("run_id"))) {
                throw MlflowException.invalid(
                        "IN and NOT IN are only supported for attributes.run_id, in '" + text + "'");
            }
            if (!op.equals("=") && !op.equals("!=") && (op.contains("LIKE")) && !(value instanceof String)) {
                throw MlflowException.invalid("LIKE needs a string value in '" + text + "'");
            }
            if (entity.equals("metrics") && !(value instanceof Double)) {
                throw MlflowException.invalid(
                        "Metric '" + ident[1] + "' must be compared with a number in '" + text + "'");
            }
            if ((entity.equals("params") || entity.equals("tags")) && !(value instanceof String)) {
                throw MlflowException.invalid("Parameter/tag values must be quoted strings in '" + text + "'");
            }
            LikePattern like = null;
            if (op.contains("LIKE")) {
                try {
                    like = LikePattern.compile((String) value, LIKE_ESCAPE, op.equals("ILIKE"));
                } catch (IllegalArgumentException e) {
                    throw MlflowException.invalid(e.getMessage() + " In '" + text + "'");
                }
            }
            out.add(new Clause(entity, ident[1], op, value, like));
            lx.skipSpace();
            if (lx.atEnd()) {
                return out;
            }
            lx.keyword("AND");
        }
    }

    /** An identifier alone ({@code metrics.loss}, {@code created}), as order clauses name columns. */
    static Clause identifier(String text) {
        Lexer lx = new Lexer(text);
        String[] ident = lx.identifier();
        lx.skipSpace();
        if (!lx.atEnd()) {
            throw MlflowException.invalid("Invalid order_by clause '" + text + "'");
        }
        return new Clause(ident[0], ident[1], null, null, null);
    }

    static Comparator<Tracking.Run> order(List<String> orderBy) {
        Comparator<Tracking.Run> cmp = null;
        for (String clause : orderBy == null ? List.<String>of() : orderBy) {
            String[] parts = clause.trim().split("\\s+");
            boolean desc = parts.length > 1 && parts[parts.length - 1].equalsIgnoreCase("DESC");
            String identText = parts.length > 1
                            && (parts[parts.length - 1].equalsIgnoreCase("DESC")
                                    || parts[parts.length - 1].equalsIgnoreCase("ASC"))
                    ? clause.trim().substring(0, clause.trim().lastIndexOf(' ')).trim()
                    : clause.trim();
            String[] ident = new Lexer(identText).identifier();
            // Runs without the value come last in either direction, as in MLflow.
            Comparator<Object> values = RunSearch::compareValues;
            Comparator<Tracking.Run> c = Comparator.comparing(
                    r -> sortKey(r, ident[0], ident[1]), Comparator.nullsLast(desc ? values.reversed() : values));
            cmp = cmp == null ? c : cmp.thenComparing(c);
        }
        Comparator<Tracking.Run> tail = Comparator.comparing((Tracking.Run r) ->
                        r.info().startTime() == null ? 0L : r.info().startTime())
                .reversed()
                .thenComparing(r -> r.info().uuid());
        return cmp == null ? tail : cmp.thenComparing(tail);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return ((Comparable) a.toString()).compareTo(b.toString());
    }

    private static Object sortKey(Tracking.Run r, String entity, String key) {
        return switch (entity) {
            case "metrics" -> r.latest(key);
            case "params" -> r.params().get(key);
            case "tags" -> r.tags().get(key);
            default -> attribute(r, key);
        };
    }

    private static Object attribute(Tracking.Run r, String key) {
        return switch (key) {
            case "status" -> r.info().status();
            case "run_name" -> r.info().name();
            case "run_id" -> r.info().uuid();
            case "user_id" -> r.info().userId();
            case "start_time" -> r.info().startTime();
            case "end_time" -> r.info().endTime();
            case "artifact_uri" -> r.info().artifactUri();
            default -> throw MlflowException.invalid("Invalid attribute key '" + key + "'");
        };
    }

    private static boolean matches(Tracking.Run r, Clause c, Budget budget) {
        budget.spend(1);
        Object actual = sortKey(r, c.entity(), c.key());
        if (actual == null) {
            return false;
        }
        if (actual instanceof Number a) {
            if (!(c.value() instanceof Number v)) {
                throw MlflowException.invalid("'" + c.key() + "' must be compared with a number");
            }
            int cmp = Double.compare(a.doubleValue(), v.doubleValue());
            return switch (c.op()) {
                case "=" -> cmp == 0;
                case "!=" -> cmp != 0;
                case "<" -> cmp < 0;
                case "<=" -> cmp <= 0;
                case ">" -> cmp > 0;
                case ">=" -> cmp >= 0;
                default -> throw MlflowException.invalid("Comparator " + c.op() + " is not supported for numbers");
            };
        }
        String s = actual.toString();
        if (c.value() instanceof List<?> values) {
            return values.contains(s) == c.op().equals("IN");
        }
        String v = c.value().toString();
        return switch (c.op()) {
            case "=" -> s.equals(v);
            case "!=" -> !s.equals(v);
            case "LIKE", "ILIKE" -> {
                long steps = c.like().steps(s);
                budget.spend(Math.abs(steps));
                yield steps > 0;
            }
            case "<" -> s.compareTo(v) < 0;
            case "<=" -> s.compareTo(v) <= 0;
            case ">" -> s.compareTo(v) > 0;
            case ">=" -> s.compareTo(v) >= 0;
            default -> throw MlflowException.invalid("Unknown comparator " + c.op());
        };
    }

    /** A small hand-written lexer for the filter grammar. */
    private static final class Lexer {
        private final String s;
        private int i;

        Lexer(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        String[] identifier() {
            skipSpace();
            if (i < s.length() && "\"`".indexOf(s.charAt(i)) >= 0) {
                return new String[] {"attributes", alias(quoted())};
            }
            String first = word(false);
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                String entity =
                        switch (first.toLowerCase(Locale.ROOT)) {
                            case "metric", "metrics" -> "metrics";
                            case "param", "params", "parameter", "parameters" -> "params";
                            case "tag", "tags" -> "tags";
                            case "attribute", "attributes", "attr", "run" -> "attributes";
                            default -> throw MlflowException.invalid("Invalid entity type '" + first
                                    + "'. Valid values are ['metric', 'parameter', 'tag', 'attribute']");
                        };
                boolean quotedKey = i < s.length() && "\"`'".indexOf(s.charAt(i)) >= 0;
                String key = quotedKey ? quoted() : word(true);
                return new String[] {entity, entity.equals("attributes") ? alias(key) : key};
            }
            return new String[] {"attributes", alias(first)};
        }

        /** MLflow's other names of attributes: {@code created}/{@code Created}, {@code Run name}. */
        private static String alias(String key) {
            return switch (key) {
                case "created", "Created" -> "start_time";
                case "run name", "Run name", "Run Name" -> "run_name";
                default -> key;
            };
        }

        /** Letters, digits and _-/: (and dots, for keys after the entity prefix). */
        private String word(boolean dots) {
            int start = i;
            while (i < s.length()
                    && (Character.isLetterOrDigit(s.charAt(i))
                            || "_-/:".indexOf(s.charAt(i)) >= 0
                            || (dots && s.charAt(i) == '.'))) {
                i++;
            }
            if (start == i) {
                throw MlflowException.invalid("Expected a name at position " + i + " of '" + s + "'");
            }
            return s.substring(start, i);
        }

        private String quoted() {
            char q = s.charAt(i++);
            int start = i;
            while (i < s.length() && s.charAt(i) != q) {
                i++;
            }
            if (i >= s.length()) {
                throw MlflowException.invalid("Unterminated quote in '" + s + "'");
            }
            return s.substring(start, i++);
        }

        String comparator() {
            skipSpace();
            for (String op : List.of("!=", "<=", ">=", "=", "<", ">")) {
                if (s.startsWith(op, i)) {
                    i += op.length();
                    return op;
                }
            }
            for (String op : List.of("ILIKE", "LIKE", "IN", "NOT IN")) {
                if (s.regionMatches(true, i, op, 0, op.length())
                        && (i + op.length() >= s.length() || !Character.isLetterOrDigit(s.charAt(i + op.length())))) {
                    i += op.length();
                    return op;
                }
            }
            throw MlflowException.invalid("Expected a comparator at position " + i + " of '" + s + "'");
        }

        /** {@code ('a', "b")}: the values of IN / NOT IN. */
        List<String> list() {
            skipSpace();
            if (i >= s.length() || s.charAt(i) != '(') {
                throw MlflowException.invalid("Expected '(' after IN at position " + i + " of '" + s + "'");
            }
            i++;
            List<String> out = new ArrayList<>();
            while (true) {
                skipSpace();
                if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) {
                    throw MlflowException.invalid("IN takes quoted strings, as in ('a', 'b'), in '" + s + "'");
                }
                out.add(quoted());
                skipSpace();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                } else if (i < s.length() && s.charAt(i) == ')') {
                    i++;
                    return out;
                } else {
                    throw MlflowException.invalid("Expected ',' or ')' at position " + i + " of '" + s + "'");
                }
            }
        }

        Object value() {
            skipSpace();
            if (i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '"')) {
                return quoted();
            }
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String num = s.substring(start, i);
            try {
                return Double.parseDouble(num);
            } catch (NumberFormatException e) {
                throw MlflowException.invalid(
                        "Expected a number or a quoted string, found '" + num + "' in '" + s + "'");
            }
        }

        void keyword(String kw) {
            skipSpace();
            if (!s.regionMatches(true, i, kw, 0, kw.length())) {
                throw MlflowException.invalid("Expected '" + kw + "' at position " + i + " of '" + s + "'");
            }
            i += kw.length();
        }
    }
}
