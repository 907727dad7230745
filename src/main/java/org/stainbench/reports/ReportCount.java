package org.stainbench.reports;

import org.springframework.stereotype.Component;
import org.stainbench.shell.InventoryCount;

/** Home page count: reports. */
@Component
class ReportCount implements InventoryCount {

    private final ReportStore store;

    ReportCount(ReportStore store) {
        this.store = store;
    }

    @Override
    public String label() {
        return "reports";
    }

    @Override
    public long count() {
        return store.count();
    }

    @Override
    public String href() {
        return "/reports";
    }

    @Override
    public int order() {
        return 75;
    }
}
