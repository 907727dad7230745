package org.stainbench.training;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The {@code datasets.*} clauses of a {@code runs/search} filter ({@code datasets.name}, {@code datasets.digest},
 * {@code datasets.context} with {@code = != IN NOT IN LIKE ILIKE}), taken out of the filter and answered by
 * {@link RunInputStore#runsMatching} in SQL: {@link #split} gives the rest of the filter (for the run search engine,
 * whichever it is) and the runs all dataset clauses allow (null when there is no dataset clause).
 */
@Component
class DatasetClauses {

    private static final Pattern CLAUSE = Pattern.compile("(?is)\\s*datasets\\.(`[^`]+`|\"[^\"]+\"|[A-Za-z_]+)\\s*"
            + "(!=|=|NOT\\s+IN|IN|ILIKE|LIKE)\\s*('(?:[^']|'')*'|\\((?:\\s*'(?:[^']|'')*'\\s*,?)+\\))\\s*");
    private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'')*)'");

    /** The filter without its dataset clauses, and the runs those allow (null: no dataset clause). */
    record Split(String rest, Set<String> allowedRuns) {}

    private final RunInputStore inputs;

    DatasetClauses(RunInputStore inputs) {
        this.inputs = inputs;
    }

    Split split(String filter, Collection<Long> experimentIds) {
        if (filter == null || !filter.toLowerCase(java.util.Locale.ROOT).contains("datasets.")) {
            return new Split(filter, null);
        }
        List<String> rest = new ArrayList<>();
        Set<String> allowed = null;
        for (String part : LoggedModelSearch.splitAnd(filter)) {
            if (!part.trim().toLowerCase(java.util.Locale.ROOT).startsWith("datasets.")) {
                rest.add(part.trim());
                continue;
            }
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                throw MlflowException.invalid("Invalid dataset clause '" + part.trim()
                        + "'; use e.g. datasets.name = 'x'" + " or datasets.context IN ('training', 'eval').");
            }
            String field = m.group(1).replaceAll("^[`\"]|[`\"]$", "");
            String op = m.group(2).toUpperCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
            List<String> values = new ArrayList<>();
            Matcher q = QUOTED.matcher(m.group(3));
            while (q.find()) {
                values.add(q.group(1).replace("''", "'"));
            }
            if (!op.contains("IN") && m.group(3).startsWith("(")) {
                throw MlflowException.invalid(op + " takes one quoted value in '" + part.trim() + "'.");
            }
            Set<String> runs = inputs.runsMatching(experimentIds, field, op, values);
            if (allowed == null) {
                allowed = new HashSet<>(runs);
            } else {
                allowed.retainAll(runs);
            }
        }
        return new Split(String.join(" AND ", rest), allowed);
    }
}
