package org.stainbench.training;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.SqlDependants;

/**
 * Registered model versions that are a checkpoint: the checkpoint is not deleted while one is (delete the version, or
 * its model, through the registry first), so that {@code models:/} URIs never name a hidden checkpoint.
 */
@Component
class RegistryDependants extends SqlDependants {

    RegistryDependants(JdbcClient jdbc) {
        super(
                jdbc,
                "registered model version",
                Map.of(
                        CHECKPOINT,
                        "select m.name || ' version ' || v.version as title, '/checkpoints/' || v.checkpoint_id as href"
                                + " from model_version v join registered_model m on m.id = v.model_id"
                                + " where v.checkpoint_id = :id order by m.name, v.version"));
    }
}
