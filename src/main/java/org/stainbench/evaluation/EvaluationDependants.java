package org.stainbench.evaluation;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.Dependants;

/** Evaluations that use a dataset as their real data, or compare a checkpoint (evaluations are never deleted). */
@Component
class EvaluationDependants implements Dependants {

    private final JdbcClient jdbc;

    EvaluationDependants(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Dependant> dependantsOf(String kind, long id) {
        String sql =
                switch (kind) {
                    case DATASET -> "select id, name from evaluation where real_dataset_id = ? order by id";
                    case CHECKPOINT -> "select id, name from evaluation where id in "
                            + "(select evaluation_id from evaluation_subject where checkpoint_id = ?) order by id";
                    default -> null;
                };
        if (sql == null) {
            return List.of();
        }
        return jdbc.sql(sql)
                .param(id)
                .query((rs, i) -> new Dependant("evaluation", rs.getString("name"), "/evaluations/" + rs.getLong("id")))
                .list();
    }
}
