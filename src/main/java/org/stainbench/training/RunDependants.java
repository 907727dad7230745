package org.stainbench.training;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.SqlDependants;

/** Active training runs launched here on a dataset (tag {@code stainbench.dataset_id}). */
@Component
class RunDependants extends SqlDependants {

    RunDependants(JdbcClient jdbc) {
        super(
                jdbc,
                "training run",
                Map.of(
                        DATASET,
                        "select coalesce(r.run_name, r.run_uuid) as title, '/runs/' || r.run_uuid as href"
                                + " from tracked_run r join run_tag t on t.run_id = r.id"
                                + " where t.tag_key = 'stainbench.dataset_id' and t.tag_value = cast(:id as varchar(20))"
                                + " and r.lifecycle_stage = 'active' order by r.id"));
    }
}
