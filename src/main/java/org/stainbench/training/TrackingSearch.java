package org.stainbench.training;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.shell.LikePattern;

/**
 * MLflow's {@code runs/search} and {@code experiments/search} in SQL: filter, order and page run in the database
 * ({@link RunSql}), a page reads at most {@code max + 1} rows and then the params, tags and latest metrics of only
 * those runs. The work is bounded by {@link TrackingProperties#maxSearchWork()}: runs the filter examines × clauses
 * (a LIKE clause costing its pattern length) must stay under it. Page tokens are offsets; a page of
 * {@code max_results = 0} is empty and carries no token, so a client that follows tokens always ends.
 */
@Component
@Transactional(readOnly = true)
class TrackingSearch {

    private final JdbcClient jdbc;
    private final TrackingStore store;

    TrackingSearch(JdbcClient jdbc, TrackingStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    /** One page and the token of the next (null after the last). */
    record Page<T>(List<T> items, String nextPageToken) {}

    Page<Tracking.Run> runs(
            List<Long> experimentIds,
            String lifecycle,
            String filter,
            List<String> orderBy,
            int max,
            String pageToken,
            RunSearch.Budget budget,
            Collection<String> allowedRunUuids) {
        long offset = decodeToken(pageToken);
        List<RunSearch.Clause> clauses = RunSearch.parse(filter);
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder where = new StringBuilder("r.experiment_id in (:ids)");
        params.put("ids", experimentIds.isEmpty() ? List.of(-1L) : experimentIds);
        if (lifecycle != null) {
            where.append(" and r.lifecycle_stage = :stage");
            params.put("stage", lifecycle);
        }
        if (allowedRunUuids != null) {
            where.append(" and r.run_uuid in (:allowed)");
            params.put("allowed", allowedRunUuids.isEmpty() ? List.of("") : List.copyOf(allowedRunUuids));
        }
        String base = where.toString();
        Map<String, Object> baseParams = new LinkedHashMap<>(params);
        String candidates = "select count(*) from tracked_run r where " + where;
        int i = 0;
        long cost = 1;
        List<RunSearch.Clause> inJava = new ArrayList<>();
        for (RunSearch.Clause c : clauses) {
            if (c.like() != null && RunSql.wildcards((String) c.value()) > RunSql.MAX_LIKE_WILDCARDS) {
                inJava.add(c);
                continue;
            }
            where.append(" and ").append(RunSql.condition(c, i++, params, RunSql::likePattern));
            cost += c.like() != null ? ((String) c.value()).length() + 1 : 1;
        }
        String order = RunSql.orderBy(orderBy, params);
        if (experimentIds.isEmpty() || max == 0) {
            return new Page<>(List.of(), null);
        }
        long examined = jdbc.sql(candidates).params(params).query(Long.class).single();
        budget.spend(examined * cost);
        for (RunSearch.Clause c : inJava) {
            params.put("m" + i, matching(c, i, base, baseParams, budget));
            where.append(" and r.id in (:m").append(i++).append(')');
        }
        params.put("limit", max + 1);
        params.put("offset", offset);
        List<Tracking.RunInfo> infos = jdbc.sql(
                        "select r.* from tracked_run r where " + where + order + " limit :limit offset :offset")
                .params(params)
                .query(TrackingSearch::runRow)
                .list();
        boolean more = infos.size() > max;
        List<Tracking.Run> runs = store.fullMany(more ? infos.subList(0, max) : infos);
        return new Page<>(runs, more ? encodeToken(offset + max) : null);
    }

    /** The most runs a LIKE pattern matched in Java may select. */
    static final int MAX_JAVA_MATCHES = 10_000;

    /**
     * The ids of the candidate runs whose value matches a LIKE clause with many wildcards, matched by
     * {@link LikePattern} (its steps spent from the budget) rather than by the database.
     */
    private List<Long> matching(
            RunSearch.Clause c, int i, String base, Map<String, Object> baseParams, RunSearch.Budget budget) {
        Map<String, Object> params = new LinkedHashMap<>(baseParams);
        String expr = RunSql.value(c.entity(), c.key(), "j" + i, params);
        List<Long> ids = new ArrayList<>();
        jdbc.sql("select r.id, " + expr + " from tracked_run r where " + base)
                .params(params)
                .query(rs -> {
                    budget.spend(1);
                    String v = rs.getString(2);
                    if (v != null) {
                        long steps = c.like().steps(v);
                        budget.spend(Math.abs(steps));
                        if (steps > 0) {
                            ids.add(rs.getLong(1));
                        }
                    }
                });
        if (ids.size() > MAX_JAVA_MATCHES) {
            throw MlflowException.invalid("A LIKE pattern with more than " + RunSql.MAX_LIKE_WILDCARDS
                    + " '%' wildcards" + " may select at most " + MAX_JAVA_MATCHES + " runs; this one selects "
                    + ids.size() + ".");
        }
        return ids.isEmpty() ? List.of(-1L) : ids;
    }

    private static final Map<String, String> EXPERIMENT_COLUMNS = Map.of(
            "name",
            "e.name",
            "experiment_id",
            "e.id",
            "creation_time",
            "e.creation_time",
            "last_update_time",
            "e.last_update_time");

    /**
     * Experiments of one lifecycle stage (null: all) matching {@code filter} (clauses on {@code name},
     * {@code creation_time}, {@code last_update_time} and {@code tags.<key>} joined by AND), newest first unless
     * {@code orderBy} says otherwise (MLflow's default: creation time descending, then id).
     */
    Page<Tracking.Experiment> experiments(
            String stage, String filter, List<String> orderBy, int max, String pageToken) {
        long offset = decodeToken(pageToken);
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder where = new StringBuilder("1 = 1");
        if (stage != null) {
            where.append(" and e.lifecycle_stage = :stage");
            params.put("stage", stage);
        }
        int i = 0;
        for (RunSearch.Clause c : RunSearch.parse(filter)) {
            where.append(" and ").append(experimentCondition(c, i++, params));
        }
        List<String> order = new ArrayList<>();
        boolean byId = false;
        for (String clause : orderBy == null ? List.<String>of() : orderBy) {
            String text = clause.trim();
            String[] words = text.split("\\s+");
            String last = words[words.length - 1];
            boolean hasDir = words.length > 1 && (last.equalsIgnoreCase("DESC") || last.equalsIgnoreCase("ASC"));
            RunSearch.Clause ident = RunSearch.identifier(
                    hasDir ? text.substring(0, text.length() - last.length()).trim() : text);
            String column = ident.entity().equals("attributes") ? EXPERIMENT_COLUMNS.get(ident.key()) : null;
            if (column == null) {
                throw MlflowException.invalid("Invalid order_by clause '" + RunSql.abbreviate(text) + "': experiments"
                        + " order by name, experiment_id, creation_time or last_update_time.");
            }
            byId |= column.equals("e.id");
            order.add(column + (hasDir && last.equalsIgnoreCase("DESC") ? " desc" : " asc"));
        }
        if (order.isEmpty()) {
            order.add("e.creation_time desc");
        }
        if (!byId) {
            order.add("e.id asc");
        }
        if (max == 0) {
            return new Page<>(List.of(), null);
        }
        params.put("limit", max + 1);
        params.put("offset", offset);
        List<Long> ids = jdbc.sql("select e.id from experiment e where " + where + " order by "
                        + String.join(", ", order) + " limit :limit offset :offset")
                .params(params)
                .query(Long.class)
                .list();
        boolean more = ids.size() > max;
        List<Tracking.Experiment> page = (more ? ids.subList(0, max) : ids)
                .stream().map(id -> store.experiment(id).orElseThrow()).toList();
        return new Page<>(page, more ? encodeToken(offset + max) : null);
    }

    private static String experimentCondition(RunSearch.Clause c, int i, Map<String, Object> params) {
        String v = "v" + i;
        String expr;
        boolean numeric;
        if (c.entity().equals("tags")) {
            params.put("k" + i, c.key());
            expr = "(select t.tag_value from experiment_tag t where t.experiment_id = e.id and t.tag_key = :k" + i
                    + ")";
            numeric = false;
        } else if (c.entity().equals("attributes")
                && EXPERIMENT_COLUMNS.containsKey(c.key())
                && !c.key().equals("experiment_id")) {
            expr = EXPERIMENT_COLUMNS.get(c.key());
            numeric = !c.key().equals("name");
        } else {
            throw MlflowException.invalid(
                    "Invalid experiment filter on '" + RunSql.abbreviate(c.entity() + "." + c.key())
                            + "': use name, creation_time, last_update_time or tags.<key>.");
        }
        if (c.value() instanceof List<?> || numeric != (c.value() instanceof Number)) {
            throw MlflowException.invalid("'" + RunSql.abbreviate(c.key()) + "' must be compared with "
                    + (numeric ? "a number" : "a quoted string") + ".");
        }
        if (c.like() != null) {
            boolean ignoreCase = c.op().equals("ILIKE");
            params.put(v, RunSql.likePattern((String) c.value(), ignoreCase));
            return (ignoreCase ? "lower(" + expr + ")" : expr) + " like :" + v + " escape '" + LikePattern.ESCAPE + "'";
        }
        params.put(v, numeric ? ((Number) c.value()).longValue() : c.value());
        return expr + " " + (c.op().equals("!=") ? "<>" : c.op()) + " :" + v;
    }

    static long decodeToken(String token) {
        if (token == null || token.isBlank()) {
            return 0;
        }
        try {
            long offset = Long.parseLong(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            if (offset < 0) {
                throw new IllegalArgumentException("negative");
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("Invalid page_token.");
        }
    }

    static String encodeToken(long offset) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Long.toString(offset).getBytes(StandardCharsets.UTF_8));
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
