package org.stainbench.training;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.Dependants;

/** Active training runs launched here on a dataset (tag {@code stainbench.dataset_id}). */
@Component
class RunDependants implements Dependants {

    private final JdbcClient jdbc;

    RunDependants(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Dependant> dependantsOf(String kind, long id) {
        if (!DATASET.equals(kind)) {
            return List.of();
        }
        return jdbc.sql("select r.run_uuid, r.run_name from tracked_run r join run_tag t on t.run_id = r.id "
                        + "where t.tag_key = 'stainbench.dataset_id' and t.tag_value = ? and r.lifecycle_stage = 'active' "
                        + "order by r.id")
                .param(Long.toString(id))
                .query((rs, i) -> new Dependant(
                        "training run",
                        rs.getString("run_name") == null ? rs.getString("run_uuid") : rs.getString("run_name"),
                        "/runs/" + rs.getString("run_uuid")))
                .list();
    }
}
