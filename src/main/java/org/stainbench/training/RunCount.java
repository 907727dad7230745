package org.stainbench.training;

import org.springframework.stereotype.Component;
import org.stainbench.shell.InventoryCount;

@Component
class RunCount implements InventoryCount {

    private final TrackingStore store;

    RunCount(TrackingStore store) {
        this.store = store;
    }

    @Override
    public String label() {
        return "runs";
    }

    @Override
    public long count() {
        return store.runCount();
    }

    @Override
    public String href() {
        return "/runs";
    }

    @Override
    public int order() {
        return 40;
    }
}
