package org.stainbench.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.util.UriComponentsBuilder;
import org.stainbench.shell.LikePattern;

/**
 * The runs table ({@code /runs}) as W&amp;B and MLflow show it: sorted by any attribute, param, tag or latest metric,
 * filtered with MLflow's search language ({@code metrics.loss < 0.5 and params.lr = '1e-4' and run_name LIKE
 * 'cpu%'}) and showing the params and metrics a user chose as columns; all of it kept in the URL, so a view is a
 * permalink. Sorting, filtering and paging run in SQL: a latest metric is the point with the largest step, then the
 * latest timestamp (MLflow's rule), read from {@code run_latest_metric} (never the history, see {@link RunSql}); a page is at most {@link #PAGE_SIZE}
 * runs. The cost is bounded: at most {@link #MAX_CLAUSES} clauses and {@link #MAX_COLUMNS} chosen columns, and LIKE
 * patterns only of the forms {@code 'text'}, {@code 'text%'}, {@code '%text'} and {@code '%text%'}, matched as SQL
 * LIKE with the escape rules of {@link LikePattern} (linear in the value on H2 and PostgreSQL alike).
 */
@Component
class RunTable {

    static final int PAGE_SIZE = 50;
    static final int MAX_CLAUSES = 10;
    static final int MAX_COLUMNS = 20;
    static final int MAX_FILTER = 1000;
    /** The most param and metric keys the column chooser offers. */
    static final int MAX_KEYS = 200;

    /** A sortable column: {@code entity} "metrics", "params", "tags" or "attributes". */
    record Column(String entity, String key) {

        /** {@code metrics.loss}, {@code params.lr}, {@code attributes.start_time}. */
        public String id() {
            return entity + "." + key;
        }

        static Column parse(String text, String field) {
            if (text == null || text.isBlank()) {
                throw new Invalid(field, "Choose a column.");
            }
            int dot = text.indexOf('.');
            String entity = dot < 0 ? "attributes" : text.substring(0, dot);
            String key = dot < 0 ? text : text.substring(dot + 1);
            if (!List.of("metrics", "params", "tags", "attributes").contains(entity)
                    || key.isBlank()
                    || key.length() > TrackingStore.MAX_KEY) {
                throw new Invalid(
                        field,
                        "'" + abbreviate(text) + "' is not a column: use metrics.<key>, params.<key>, "
                                + "tags.<key> or one of " + String.join(", ", ATTRIBUTES.keySet()) + ".");
            }
            if (entity.equals("attributes") && !ATTRIBUTES.containsKey(key)) {
                throw new Invalid(
                        field,
                        "'" + abbreviate(text) + "' is not a run attribute; use one of "
                                + String.join(", ", ATTRIBUTES.keySet()) + ".");
            }
            return new Column(entity, key);
        }
    }

    /** Attribute → column of {@code tracked_run}. */
    private static final Map<String, String> ATTRIBUTES = RunSql.ATTRIBUTES;

    /** Bad input, naming the URL field ({@code filter}, {@code sort}, {@code col}). */
    static final class Invalid extends IllegalArgumentException {
        private final String field;

        Invalid(String field, String message) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    /** What the URL asks for; {@link #href} writes it back (without empty parameters). */
    record View(Long experiment, String filter, Column sort, boolean desc, List<Column> columns, int page) {

        public String href(Map<String, Object> changes) {
            UriComponentsBuilder b = UriComponentsBuilder.fromPath("/runs");
            Long e = changes.containsKey("experiment") ? (Long) changes.get("experiment") : experiment;
            if (e != null) {
                b.queryParam("experiment", e);
            }
            String f = changes.containsKey("filter") ? (String) changes.get("filter") : filter;
            if (f != null && !f.isBlank()) {
                b.queryParam("filter", f);
            }
            Column s = changes.containsKey("sort") ? (Column) changes.get("sort") : sort;
            boolean d = changes.containsKey("desc") ? (Boolean) changes.get("desc") : desc;
            if (s != null) {
                b.queryParam("sort", s.id()).queryParam("dir", d ? "desc" : "asc");
            }
            @SuppressWarnings("unchecked")
            List<Column> cols = changes.containsKey("columns") ? (List<Column>) changes.get("columns") : columns;
            cols.forEach(c -> b.queryParam("col", c.id()));
            int p = changes.containsKey("page") ? (Integer) changes.get("page") : 0;
            if (p > 0) {
                b.queryParam("page", p);
            }
            return b.encode().build().toUriString();
        }

        /** This view, from its first page. */
        public String href() {
            return href(Map.of());
        }

        /** The view sorted by {@code column}: descending first for metrics, then the other way on a second click. */
        public String sortHref(String column) {
            Column c = Column.parse(column, "sort");
            boolean d = c.equals(sort)
                    ? !desc
                    : c.entity().equals("metrics") || c.key().endsWith("_time");
            return href(Map.of("sort", c, "desc", d));
        }

        /** "asc" or "desc" when the view is sorted by {@code column}, else null (for aria-sort and the arrow). */
        public String sortedBy(String column) {
            return sort != null && sort.id().equals(Column.parse(column, "sort").id()) ? (desc ? "desc" : "asc") : null;
        }

        public boolean chosen(String column) {
            return columns.stream().anyMatch(c -> c.id().equals(column));
        }

        /** The view without column {@code column}. */
        public String withoutHref(String column) {
            return href(Map.of(
                    "columns",
                    columns.stream().filter(c -> !c.id().equals(column)).toList()));
        }
    }

    /** One page of runs and how many match in all. */
    record Page(List<Tracking.RunInfo> runs, long total) {}

    private final JdbcClient jdbc;

    RunTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Reads the URL's parameters; {@link Invalid} names the one that is wrong. */
    static View view(Long experiment, String filter, String sort, String dir, List<String> cols, int page) {
        if (filter != null && filter.length() > MAX_FILTER) {
            throw new Invalid(
                    "filter",
                    "The filter is " + filter.length() + " characters long; the limit is " + MAX_FILTER + ".");
        }
        if (dir != null && !dir.isBlank() && !dir.equalsIgnoreCase("asc") && !dir.equalsIgnoreCase("desc")) {
            throw new Invalid("dir", "Sort direction is 'asc' or 'desc'.");
        }
        List<Column> columns = new ArrayList<>();
        for (String c : cols == null ? List.<String>of() : cols) {
            Column col = Column.parse(c, "col");
            if (!columns.contains(col)) {
                columns.add(col);
            }
        }
        if (columns.size() > MAX_COLUMNS) {
            throw new Invalid("col", "Choose at most " + MAX_COLUMNS + " columns (" + columns.size() + " chosen).");
        }
        Column s = sort == null || sort.isBlank() ? null : Column.parse(sort, "sort");
        boolean desc = s == null || dir == null || dir.isBlank()
                ? s == null || s.entity().equals("metrics")
                : dir.equalsIgnoreCase("desc");
        return new View(
                experiment, filter == null ? "" : filter.trim(), s, desc, List.copyOf(columns), Math.max(0, page));
    }

    /** The runs of the view's page: active runs of {@code experimentIds}, filtered and sorted in SQL. */
    @Transactional(readOnly = true)
    Page page(List<Long> experimentIds, View view) {
        if (experimentIds.isEmpty()) {
            return new Page(List.of(), 0);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("ids", experimentIds);
        StringBuilder where = new StringBuilder("r.lifecycle_stage = 'active' and r.experiment_id in (:ids)");
        List<RunSearch.Clause> clauses;
        try {
            clauses = RunSearch.parse(view.filter());
        } catch (MlflowException e) {
            throw new Invalid("filter", e.getMessage());
        }
        if (clauses.size() > MAX_CLAUSES) {
            throw new Invalid(
                    "filter", "The filter has " + clauses.size() + " clauses; the limit is " + MAX_CLAUSES + ".");
        }
        int i = 0;
        for (RunSearch.Clause c : clauses) {
            where.append(" and ").append(condition(c, i++, params));
        }
        long total = jdbc.sql("select count(*) from tracked_run r where " + where)
                .params(params)
                .query(Long.class)
                .single();
        StringBuilder order = new StringBuilder(" order by ");
        if (view.sort() != null) {
            order.append(value(view.sort(), "s", params))
                    .append(view.desc() ? " desc" : " asc")
                    .append(" nulls last, ");
        }
        order.append("r.start_time desc, r.run_uuid");
        params.put("limit", PAGE_SIZE);
        params.put("offset", (long) view.page() * PAGE_SIZE);
        List<Tracking.RunInfo> runs = jdbc.sql(
                        "select r.* from tracked_run r where " + where + order + " limit :limit offset :offset")
                .params(params)
                .query(RunTable::runRow)
                .list();
        return new Page(runs, total);
    }

    /** Param and metric keys logged by the active runs of {@code experimentIds}, for the column chooser. */
    @Transactional(readOnly = true)
    Map<String, List<String>> keys(List<Long> experimentIds) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (experimentIds.isEmpty()) {
            out.put("params", List.of());
            out.put("metrics", List.of());
            return out;
        }
        out.put(
                "params",
                jdbc.sql(
                                "select distinct p.param_key from run_param p join tracked_run r on r.id = p.run_id "
                                        + "where r.lifecycle_stage = 'active' and r.experiment_id in (:ids) order by p.param_key limit :n")
                        .param("ids", experimentIds)
                        .param("n", MAX_KEYS)
                        .query(String.class)
                        .list());
        out.put(
                "metrics",
                jdbc.sql(
                                "select distinct m.metric_key from run_latest_metric m join tracked_run r on r.id = m.run_id "
                                        + "where r.lifecycle_stage = 'active' and r.experiment_id in (:ids) order by m.metric_key limit :n")
                        .param("ids", experimentIds)
                        .param("n", MAX_KEYS)
                        .query(String.class)
                        .list());
        return out;
    }

    /** The SQL value of a column for run {@code r}: a latest metric, a param, a tag or an attribute ({@link RunSql}). */
    private static String value(Column c, String name, Map<String, Object> params) {
        return RunSql.value(c.entity(), c.key(), name, params);
    }

    private static String condition(RunSearch.Clause c, int i, Map<String, Object> params) {
        if (c.entity().equals("attributes") && !ATTRIBUTES.containsKey(c.key())) {
            throw new Invalid(
                    "filter",
                    "'" + abbreviate(c.key()) + "' is not a run attribute; use one of "
                            + String.join(", ", ATTRIBUTES.keySet()) + ".");
        }
        try {
            return RunSql.condition(c, i, params, RunTable::likePattern);
        } catch (MlflowException e) {
            throw new Invalid("filter", e.getMessage());
        }
    }

    /**
     * A filter's LIKE pattern (backslash escapes, as in MLflow) as an SQL LIKE pattern with {@link LikePattern#ESCAPE}:
     * only literal text with an optional {@code %} at either end is accepted, so matching stays linear.
     */
    static String likePattern(String pattern, boolean ignoreCase) {
        StringBuilder literal = new StringBuilder();
        boolean leading = false;
        boolean trailing = false;
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char ch = pattern.charAt(i);
            if (ch == RunSearch.LIKE_ESCAPE) {
                if (i + 1 >= n) {
                    throw new Invalid("filter", "A LIKE pattern must not end with the escape character '\\'.");
                }
                literal.append(pattern.charAt(++i));
            } else if (ch == '%' && i == 0) {
                leading = true;
            } else if (ch == '%' && i == n - 1) {
                trailing = true;
            } else if (ch == '%' || ch == '_') {
                throw new Invalid(
                        "filter",
                        "In the runs table a LIKE pattern is 'text', 'text%', '%text' or '%text%' " + "('"
                                + abbreviate(pattern) + "' has a wildcard inside; escape it as \\" + ch
                                + " to match it).");
            } else {
                literal.append(ch);
            }
        }
        StringBuilder out = new StringBuilder(leading ? "%" : "");
        String text = ignoreCase ? literal.toString().toLowerCase(Locale.ROOT) : literal.toString();
        for (char ch : text.toCharArray()) {
            if (ch == '%' || ch == '_' || ch == LikePattern.ESCAPE) {
                out.append(LikePattern.ESCAPE);
            }
            out.append(ch);
        }
        return out.append(trailing ? "%" : "").toString();
    }

    /** The chosen columns' text per run (run id → column id → text; "—" where the run has no value). */
    static Map<String, Map<String, String>> cells(List<Tracking.Run> runs, List<Column> columns) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Tracking.Run r : runs) {
            Map<String, String> row = new LinkedHashMap<>();
            for (Column c : columns) {
                String text =
                        switch (c.entity()) {
                            case "metrics" -> {
                                Double v = r.latest(c.key());
                                yield v == null
                                        ? null
                                        : Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4g", v);
                            }
                            case "params" -> r.params().get(c.key());
                            case "tags" -> r.tags().get(c.key());
                            default -> null;
                        };
                row.put(c.id(), text == null ? "—" : text);
            }
            out.put(r.info().uuid(), row);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    private static Tracking.RunInfo runRow(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        long end = rs.getLong("end_time");
        Long endTime = rs.wasNull() ? null : end;
        long start = rs.getLong("start_time");
        Long startTime = rs.wasNull() ? null : start;
        return new Tracking.RunInfo(
                rs.getLong("id"),
                rs.getString("run_uuid"),
                rs.getLong("experiment_id"),
                rs.getString("run_name"),
                rs.getString("user_id"),
                rs.getString("status"),
                startTime,
                endTime,
                rs.getString("lifecycle_stage"),
                rs.getString("artifact_uri"));
    }
}
