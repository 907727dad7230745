package org.stainbench.review;

import org.springframework.stereotype.Component;
import org.stainbench.shell.InventoryCount;

/** Home page count: review sessions. */
@Component
class ReviewCounts implements InventoryCount {

    private final ReviewStore store;

    ReviewCounts(ReviewStore store) {
        this.store = store;
    }

    @Override
    public String label() {
        return "review sessions";
    }

    @Override
    public long count() {
        return store.count();
    }

    @Override
    public String href() {
        return "/review";
    }

    @Override
    public int order() {
        return 70;
    }
}
