package org.stainbench.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-rater progress on the session page: enabled or disabled, practice answered, study answers, and time per item —
 * the median and mean of (first answer − last time on screen before it) over the rater's answered showings.
 */
@Component
@Transactional(readOnly = true)
class RaterProgress {

    record Row(
            String username,
            int slot,
            Instant disabledAt,
            long practiceAnswered,
            int practiceTotal,
            long answered,
            int total,
            int timed,
            Double medianSeconds,
            Double meanSeconds,
            Instant lastAnswer) {

        public boolean disabled() {
            return disabledAt != null;
        }

        public String median() {
            return medianSeconds == null ? "–" : String.format(Locale.ROOT, "%.1f s", medianSeconds);
        }

        public String mean() {
            return meanSeconds == null ? "–" : String.format(Locale.ROOT, "%.1f s", meanSeconds);
        }
    }

    private final Reviews reviews;
    private final ReviewStore store;
    private final StudyDesigns designs;
    private final Practice practice;

    RaterProgress(Reviews reviews, ReviewStore store, StudyDesigns designs, Practice practice) {
        this.reviews = reviews;
        this.store = store;
        this.designs = designs;
        this.practice = practice;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    List<Row> of(ReviewSession s) {
        Map<String, List<Double>> seconds = new HashMap<>();
        for (StudyDesigns.Timing t : designs.timings(s.id())) {
            t.duration().ifPresent(d -> seconds.computeIfAbsent(t.rater(), r -> new ArrayList<>())
                    .add(d.toNanos() / 1e9));
        }
        Map<String, Instant> last = new HashMap<>();
        for (ReviewAnswer a : store.answers(s.id())) {
            last.merge(a.rater(), a.answeredAt(), (x, y) -> x.isAfter(y) ? x : y);
        }
        int practiceTotal = practice.items(s.id()).size();
        List<Row> rows = new ArrayList<>();
        for (ReviewStore.Rater r : store.raters(s.id())) {
            List<Double> xs = seconds.getOrDefault(r.username(), List.of());
            rows.add(new Row(
                    r.username(),
                    designs.slot(s.id(), r.username()),
                    designs.disabledAt(s.id(), r.username()).orElse(null),
                    practice.answered(s.id(), r.username()),
                    practiceTotal,
                    store.answerCount(s.id(), r.username()),
                    reviews.steps(s, r.username()).size(),
                    xs.size(),
                    xs.isEmpty() ? null : median(xs),
                    xs.isEmpty()
                            ? null
                            : xs.stream()
                                    .mapToDouble(Double::doubleValue)
                                    .average()
                                    .orElseThrow(),
                    last.get(r.username())));
        }
        return rows;
    }
}
