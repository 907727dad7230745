package org.stainbench.checkpoints;

import org.springframework.stereotype.Component;
import org.stainbench.shell.InventoryCount;

/** Home page count: checkpoints. */
@Component
class CheckpointCounts implements InventoryCount {

    private final CheckpointStore store;

    CheckpointCounts(CheckpointStore store) {
        this.store = store;
    }

    @Override
    public String label() {
        return "checkpoints";
    }

    @Override
    public long count() {
        return store.count();
    }

    @Override
    public String href() {
        return "/checkpoints";
    }

    @Override
    public int order() {
        return 20;
    }
}
