package org.stainbench.training;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.Dependants;

/**
 * Registered model versions that are a checkpoint: the checkpoint is not deleted while one is (delete the version, or
 * its model, through the registry first), so that {@code models:/} URIs never name a hidden checkpoint.
 */
@Component
class RegistryDependants implements Dependants {

    private final JdbcClient jdbc;

    RegistryDependants(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Dependant> dependantsOf(String kind, long id) {
        if (!CHECKPOINT.equals(kind)) {
            return List.of();
        }
        return jdbc.sql("select m.name, v.version from model_version v join registered_model m on m.id = v.model_id"
                        + " where v.checkpoint_id = ? order by m.name, v.version")
                .param(id)
                .query((rs, i) -> new Dependant(
                        "registered model version", rs.getString(1) + " version " + rs.getInt(2), "/checkpoints/" + id))
                .list();
    }
}
