package org.stainbench.reports;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Frozen reports for other modules' overviews (the dashboard): the latest, and those frozen since a moment. Reads only. */
@Component
public class ReportHeadlines {

    /** A frozen report as an overview links it. */
    public record FrozenReport(long id, String title, Instant frozenAt, String frozenBy, String href, String pdfHref) {}

    private final ReportStore store;

    ReportHeadlines(ReportStore store) {
        this.store = store;
    }

    private static FrozenReport of(Report r) {
        return new FrozenReport(r.id(), r.title(), r.frozenAt(), r.frozenBy(), r.href(), r.href() + "/pdf");
    }

    /** The report frozen last, if any. */
    public Optional<FrozenReport> latestFrozen() {
        return store.frozen(null, 1).stream().findFirst().map(ReportHeadlines::of);
    }

    /** Reports frozen after {@code since}, the newest first, at most {@code limit}. */
    public List<FrozenReport> frozenSince(Instant since, int limit) {
        return store.frozen(since, limit).stream().map(ReportHeadlines::of).toList();
    }
}
