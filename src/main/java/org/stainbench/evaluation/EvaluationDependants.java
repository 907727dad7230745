package org.stainbench.evaluation;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.SqlDependants;

/** Evaluations that use a dataset as their real data, or compare a checkpoint (evaluations are never deleted). */
@Component
class EvaluationDependants extends SqlDependants {

    EvaluationDependants(JdbcClient jdbc) {
        super(
                jdbc,
                "evaluation",
                Map.of(
                        DATASET,
                        "select name as title, '/evaluations/' || id as href from evaluation"
                                + " where real_dataset_id = :id order by id",
                        CHECKPOINT,
                        "select name as title, '/evaluations/' || id as href from evaluation where id in"
                                + " (select evaluation_id from evaluation_subject where checkpoint_id = :id) order by id"));
    }
}
