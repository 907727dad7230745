package org.stainbench.review;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.SqlDependants;

/** Review sessions drawn from a dataset (source or real controls) or showing a checkpoint's tiles. */
@Component
class ReviewDependants extends SqlDependants {

    ReviewDependants(JdbcClient jdbc) {
        super(
                jdbc,
                "review session",
                Map.of(
                        DATASET,
                        "select name as title, '/review/sessions/' || id as href from review_session"
                                + " where source_dataset_id = :id or real_dataset_id = :id order by id",
                        CHECKPOINT,
                        "select name as title, '/review/sessions/' || id as href from review_session where id in"
                                + " (select session_id from review_item where checkpoint_id = :id) order by id"));
    }
}
