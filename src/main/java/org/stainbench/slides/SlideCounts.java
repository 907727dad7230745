package org.stainbench.slides;

import org.springframework.stereotype.Component;

import org.stainbench.shell.InventoryCount;

/** Home page count of registered slides. */
@Component
class SlideCounts implements InventoryCount {

    private final SlideStore store;

    SlideCounts(SlideStore store) {
        this.store = store;
    }

    @Override
    public String label() {
        return "slides";
    }

    @Override
    public long count() {
        return store.countSlides();
    }

    @Override
    public String href() {
        return "/slides";
    }

    @Override
    public int order() {
        return 13;
    }
}
