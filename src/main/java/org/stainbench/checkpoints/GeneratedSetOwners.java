package org.stainbench.checkpoints;

import java.util.Optional;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.CheckpointNames;

/** Tells the catalog's pages the names of the checkpoints its generated sets come from. */
@Component
class GeneratedSetOwners implements CheckpointNames {

    private final CheckpointStore store;

    GeneratedSetOwners(CheckpointStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> checkpointName(long checkpointId) {
        return store.find(checkpointId).filter(c -> !c.deleted()).map(Checkpoint::name);
    }
}
