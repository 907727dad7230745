package org.stainbench.reports;

import java.util.List;
import org.springframework.stereotype.Component;
import org.stainbench.shell.SearchSource;

/** Reports in the search box: by title or the text of a text block. */
@Component
class ReportSearch implements SearchSource {

    private final ReportStore store;

    ReportSearch(ReportStore store) {
        this.store = store;
    }

    @Override
    public String kind() {
        return "reports";
    }

    @Override
    public List<Hit> search(String query, int limit) {
        return store.search(query, limit).stream()
                .map(r ->
                        new Hit(r.title(), (r.frozen() ? "frozen" : "live draft") + " · by " + r.createdBy(), r.href()))
                .toList();
    }
}
