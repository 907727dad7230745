package org.stainbench.review;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.Dependants;

/** Review sessions drawn from a dataset (source or real controls) or showing a checkpoint's tiles. */
@Component
class ReviewDependants implements Dependants {

    private final JdbcClient jdbc;

    ReviewDependants(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Dependant> dependantsOf(String kind, long id) {
        String sql =
                switch (kind) {
                    case DATASET -> "select id, name from review_session where source_dataset_id = ? or real_dataset_id = ? order by id";
                    case CHECKPOINT -> "select id, name from review_session where id in "
                            + "(select session_id from review_item where checkpoint_id = ?) order by id";
                    default -> null;
                };
        if (sql == null) {
            return List.of();
        }
        return jdbc.sql(sql)
                .params(DATASET.equals(kind) ? List.of(id, id) : List.of(id))
                .query((rs, i) ->
                        new Dependant("review session", rs.getString("name"), "/review/sessions/" + rs.getLong("id")))
                .list();
    }
}
