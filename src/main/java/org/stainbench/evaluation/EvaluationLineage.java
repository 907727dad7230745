package org.stainbench.evaluation;

import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.checkpoints.LineageContributor;

/** The evaluations that compared a checkpoint, for its lineage (this module's edge; the checkpoints module never reads our tables). */
@Component
class EvaluationLineage implements LineageContributor {

    static final String KIND = "evaluation";

    private final JdbcClient jdbc;

    EvaluationLineage(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Entry> entries(long checkpointId) {
        return jdbc.sql("select e.id, e.name, e.status, e.origin from evaluation e where e.id in "
                        + "(select evaluation_id from evaluation_subject where checkpoint_id = ?) order by e.id")
                .param(checkpointId)
                .query((rs, i) -> new Entry(
                        KIND,
                        rs.getString("name") + " ("
                                + (Evaluation.IMPORTED.equals(rs.getString("origin"))
                                        ? "imported"
                                        : rs.getString("status").toLowerCase(Locale.ROOT))
                                + ")",
                        "/evaluations/" + rs.getLong("id")))
                .list();
    }
}
