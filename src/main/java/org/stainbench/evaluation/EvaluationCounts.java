package org.stainbench.evaluation;

import org.springframework.stereotype.Component;
import org.stainbench.shell.InventoryCount;

/** Home page count: evaluations. */
@Component
class EvaluationCounts implements InventoryCount {

    private final EvaluationStore store;

    EvaluationCounts(EvaluationStore store) {
        this.store = store;
    }

    @Override
    public String label() {
        return "evaluations";
    }

    @Override
    public long count() {
        return store.countEvaluations();
    }

    @Override
    public String href() {
        return "/evaluations";
    }

    @Override
    public int order() {
        return 25;
    }
}
