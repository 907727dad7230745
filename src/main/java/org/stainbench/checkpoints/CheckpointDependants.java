package org.stainbench.checkpoints;

import java.util.List;
import org.springframework.stereotype.Component;
import org.stainbench.shell.Dependants;
import org.stainbench.shell.Trash;

/**
 * What of the checkpoints module uses a dataset (live checkpoints trained on it or using it as a colour target,
 * generated sets made from it or stored in it), and the module's deleted checkpoints for {@code /admin/deleted}.
 */
@Component
class CheckpointDependants implements Dependants, Trash {

    private final Checkpoints checkpoints;

    CheckpointDependants(Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Override
    public List<Dependant> dependantsOf(String kind, long id) {
        return DATASET.equals(kind) ? checkpoints.usingDataset(id) : List.of();
    }

    @Override
    public String kind() {
        return CHECKPOINT;
    }

    @Override
    public List<Deleted> deleted() {
        return checkpoints.deleted().stream()
                .map(c -> new Deleted(kind(), c.id(), c.name(), c.href(), c.deletedBy(), c.deletedAt()))
                .toList();
    }

    @Override
    public void restore(long id, String by) {
        checkpoints.restore(id, by);
    }
}
