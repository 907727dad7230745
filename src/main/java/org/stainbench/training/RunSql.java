package org.stainbench.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.stainbench.shell.LikePattern;

/**
 * MLflow's run search language ({@link RunSearch#parse}) as SQL over {@code tracked_run r}, shared by
 * {@code runs/search} and the runs table: each clause becomes a condition with named parameters, each order clause
 * an expression. A metric is read from {@code run_latest_metric} (V66, one row per run and key, kept by every
 * write), never from the history; params and tags through their primary keys. Runs without the value never match
 * and sort last in either direction (MLflow's rule).
 * <p>
 * LIKE/ILIKE patterns keep MLflow's syntax (backslash escapes) and are rewritten for SQL with
 * {@link LikePattern#ESCAPE}; consecutive {@code %} are one, and a pattern may hold at most
 * {@link #MAX_LIKE_WILDCARDS} of them, so that no pattern makes the database backtrack far ({@link TrackingSearch}
 * matches a pattern with more in Java, with {@link LikePattern}, within the search's work budget).
 */
final class RunSql {

    /** The most {@code %} (after merging runs of them) one LIKE pattern may hold. */
    static final int MAX_LIKE_WILDCARDS = 4;

    private RunSql() {}

    /** Attribute → column of {@code tracked_run r}. */
    static final Map<String, String> ATTRIBUTES = new LinkedHashMap<>();

    static {
        ATTRIBUTES.put("run_name", "r.run_name");
        ATTRIBUTES.put("status", "r.status");
        ATTRIBUTES.put("user_id", "r.user_id");
        ATTRIBUTES.put("start_time", "r.start_time");
        ATTRIBUTES.put("end_time", "r.end_time");
        ATTRIBUTES.put("run_id", "r.run_uuid");
        ATTRIBUTES.put("artifact_uri", "r.artifact_uri");
    }

    static final Set<String> NUMERIC_ATTRIBUTES = Set.of("start_time", "end_time");

    /** The SQL value of {@code entity.key} for run {@code r}; {@code name} makes its parameter names unique. */
    static String value(String entity, String key, String name, Map<String, Object> params) {
        String k = "k" + name;
        switch (entity) {
            case "metrics" -> {
                params.put(k, key);
                return "(select case when m.is_nan then null else m.metric_value end from run_latest_metric m "
                        + "where m.run_id = r.id and m.metric_key = :" + k + ")";
            }
            case "params" -> {
                params.put(k, key);
                return "(select p.param_value from run_param p where p.run_id = r.id and p.param_key = :" + k + ")";
            }
            case "tags" -> {
                params.put(k, key);
                return "(select t.tag_value from run_tag t where t.run_id = r.id and t.tag_key = :" + k + ")";
            }
            default -> {
                String column = ATTRIBUTES.get(key);
                if (column == null) {
                    throw MlflowException.invalid("Invalid attribute key '" + abbreviate(key) + "'; use one of "
                            + String.join(", ", ATTRIBUTES.keySet()) + ".");
                }
                return column;
            }
        }
    }

    /**
     * One clause as an SQL condition; {@code likes} turns a LIKE pattern (MLflow syntax) into an SQL one with
     * {@link LikePattern#ESCAPE}.
     */
    static String condition(
            RunSearch.Clause c,
            int i,
            Map<String, Object> params,
            java.util.function.BiFunction<String, Boolean, String> likes) {
        String expr = value(c.entity(), c.key(), String.valueOf(i), params);
        String v = "v" + i;
        if (c.value() instanceof List<?> values) {
            params.put(v, values.isEmpty() ? List.of("") : values);
            return c.op().equals("IN")
                    ? (values.isEmpty() ? "1 = 0" : expr + " in (:" + v + ")")
                    : (values.isEmpty() ? "1 = 1" : expr + " not in (:" + v + ")");
        }
        boolean numeric = c.entity().equals("metrics")
                || (c.entity().equals("attributes") && NUMERIC_ATTRIBUTES.contains(c.key()));
        if (numeric != (c.value() instanceof Number)) {
            throw MlflowException.invalid("'" + abbreviate(c.key()) + "' must be compared with "
                    + (numeric ? "a number" : "a quoted string") + ".");
        }
        if (c.op().equals("LIKE") || c.op().equals("ILIKE")) {
            if (numeric) {
                throw MlflowException.invalid("LIKE and ILIKE compare strings, not '" + abbreviate(c.key()) + "'.");
            }
            boolean ignoreCase = c.op().equals("ILIKE");
            params.put(v, likes.apply((String) c.value(), ignoreCase));
            return (ignoreCase ? "lower(" + expr + ")" : expr) + " like :" + v + " escape '" + LikePattern.ESCAPE + "'";
        }
        params.put(v, numeric ? ((Number) c.value()).doubleValue() : c.value());
        return expr + " " + (c.op().equals("!=") ? "<>" : c.op()) + " :" + v;
    }

    /**
     * A LIKE pattern in MLflow's syntax (backslash escapes, {@code %}, {@code _}) as an SQL LIKE pattern with
     * {@link LikePattern#ESCAPE}, lower-cased for ILIKE; runs of {@code %} become one.
     *
     * @throws MlflowException (400) for a trailing escape or more than {@link #MAX_LIKE_WILDCARDS} wildcards
     */
    static String likePattern(String pattern, boolean ignoreCase) {
        StringBuilder out = new StringBuilder();
        int wildcards = 0;
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char ch = pattern.charAt(i);
            if (ch == RunSearch.LIKE_ESCAPE) {
                if (i + 1 >= n) {
                    throw MlflowException.invalid("A LIKE pattern must not end with the escape character '\\'.");
                }
                literal(out, pattern.charAt(++i), ignoreCase);
            } else if (ch == '%') {
                if (out.length() == 0 || out.charAt(out.length() - 1) != '%' || escapedAtEnd(out)) {
                    out.append('%');
                    wildcards++;
                }
            } else if (ch == '_') {
                out.append('_');
            } else {
                literal(out, ch, ignoreCase);
            }
        }
        if (wildcards > MAX_LIKE_WILDCARDS) {
            throw MlflowException.invalid("A LIKE pattern may hold at most " + MAX_LIKE_WILDCARDS + " '%' wildcards ('"
                    + abbreviate(pattern) + "' has " + wildcards + ").");
        }
        return out.toString();
    }

    private static boolean escapedAtEnd(StringBuilder out) {
        int escapes = 0;
        for (int j = out.length() - 2; j >= 0 && out.charAt(j) == LikePattern.ESCAPE; j--) {
            escapes++;
        }
        return escapes % 2 == 1;
    }

    private static void literal(StringBuilder out, char ch, boolean ignoreCase) {
        char c = ignoreCase ? Character.toLowerCase(ch) : ch;
        if (c == '%' || c == '_' || c == LikePattern.ESCAPE) {
            out.append(LikePattern.ESCAPE);
        }
        out.append(c);
    }

    /** A page's {@code order by}: the order clauses (nulls last either way), then newest first, then the id. */
    static String orderBy(List<String> orderBy, Map<String, Object> params) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        for (String clause : orderBy == null ? List.<String>of() : orderBy) {
            String text = clause.trim();
            String[] words = text.split("\\s+");
            String last = words[words.length - 1];
            boolean hasDir = words.length > 1 && (last.equalsIgnoreCase("DESC") || last.equalsIgnoreCase("ASC"));
            boolean desc = hasDir && last.equalsIgnoreCase("DESC");
            String identText =
                    hasDir ? text.substring(0, text.length() - last.length()).trim() : text;
            RunSearch.Clause ident = RunSearch.identifier(identText);
            parts.add(
                    value(ident.entity(), ident.key(), "o" + i++, params) + (desc ? " desc" : " asc") + " nulls last");
        }
        parts.add("r.start_time desc");
        parts.add("r.run_uuid");
        return " order by " + String.join(", ", parts);
    }

    /** How many {@code %} wildcards a LIKE pattern (MLflow syntax) holds once runs of them are merged. */
    static int wildcards(String pattern) {
        int n = 0;
        boolean previous = false;
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == RunSearch.LIKE_ESCAPE) {
                i++;
                previous = false;
            } else if (ch == '%') {
                n += previous ? 0 : 1;
                previous = true;
            } else {
                previous = false;
            }
        }
        return n;
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
