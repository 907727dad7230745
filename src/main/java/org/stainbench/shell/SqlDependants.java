package org.stainbench.shell;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link Dependants} written once for the modules that answer from their own tables: one SQL query per kind of
 * subject, each with the subject's id as {@code :id} and selecting the dependant's {@code title} and {@code href}
 * (ordered as it should be listed). A module's bean only names what depends and its queries:
 *
 * <pre>{@code
 * @Component
 * class SlideDependants extends SqlDependants {
 *     SlideDependants(JdbcClient jdbc) {
 *         super(jdbc, "slide tiling", Map.of(DATASET, "select name as title, '/slides/' || id as href from slide …"));
 *     }
 * }
 * }</pre>
 */
public abstract class SqlDependants implements Dependants {

    private final JdbcClient jdbc;
    private final String what;
    private final Map<String, String> queries;

    /**
     * @param what    the kind of dependant as shown ("evaluation", "review session", …)
     * @param queries per subject kind ({@link #DATASET}, {@link #CHECKPOINT}), the query of its dependants; a kind
     *                missing here has none
     */
    protected SqlDependants(JdbcClient jdbc, String what, Map<String, String> queries) {
        this.jdbc = jdbc;
        this.what = what;
        this.queries = Map.copyOf(queries);
    }

    @Override
    public final List<Dependant> dependantsOf(String kind, long id) {
        String sql = queries.get(kind);
        if (sql == null) {
            return List.of();
        }
        return jdbc.sql(sql)
                .param("id", id)
                .query((rs, i) -> new Dependant(what, rs.getString("title"), rs.getString("href")))
                .list();
    }
}
