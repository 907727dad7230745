package org.stainbench.evaluation;

import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;
import org.stainbench.shell.LikePattern;
import org.stainbench.shell.SearchSource;

/** The search box over evaluations, by name. */
@Component
class EvaluationSearch implements SearchSource {

    private final EvaluationStore store;

    EvaluationSearch(EvaluationStore store) {
        this.store = store;
    }

    @Override
    public String kind() {
        return "evaluations";
    }

    @Override
    public List<Hit> search(String query, int limit) {
        return store.searchEvaluations(LikePattern.contains(query), limit).stream()
                .map(e -> new Hit(
                        e.name(),
                        (e.imported() ? "imported" : "computed") + " · "
                                + e.status().toLowerCase(Locale.ROOT) + " · by " + e.createdBy(),
                        e.href()))
                .toList();
    }
}
