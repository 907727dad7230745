package org.stainbench.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;

/**
 * Headline figures of the latest review sessions for other modules' overviews (the dashboard): pooled accuracy with
 * its Wilson interval for 2AFC and real-or-virtual, the mean score per group for Likert and marker sessions. The
 * figures are those of the session's results page ({@link ReviewResults}).
 */
@Component
public class ReviewSummaries {

    /** One headline: what it is ("pooled accuracy", "Reinhard (demo): mean Likert") and its value as text. */
    public record Figure(String label, String value) {}

    /** A session with its headline figures; {@code resultsHref} is its results page. */
    public record Summary(
            long id,
            String name,
            String mode,
            Instant createdAt,
            int raters,
            int answers,
            List<Figure> figures,
            String resultsHref) {}

    private final ReviewStore store;
    private final Checkpoints checkpoints;

    ReviewSummaries(ReviewStore store, Checkpoints checkpoints) {
        this.store = store;
        this.checkpoints = checkpoints;
    }

    /** The {@code limit} newest sessions, newest first. */
    public List<Summary> latest(int limit) {
        List<Summary> out = new ArrayList<>();
        for (ReviewSession s : store.sessions(0, limit)) {
            List<ReviewItem> items = store.items(s.id());
            List<String> raters = store.raters(s.id()).stream()
                    .map(ReviewStore.Rater::username)
                    .toList();
            List<ReviewAnswer> answers = store.answers(s.id());
            Map<Long, String> names = new HashMap<>();
            Function<Long, String> name = ck -> names.computeIfAbsent(
                    ck,
                    id -> id == null
                            ? "–"
                            : checkpoints.find(id).map(Checkpoint::name).orElse("checkpoint " + id));
            List<Figure> figures = new ArrayList<>();
            if (!answers.isEmpty()) {
                ReviewResults.Results r = ReviewResults.compute(s, items, raters, answers, name);
                switch (s.mode()) {
                    case TWO_AFC, REAL_OR_VIRTUAL -> r.accuracy().stream()
                            .filter(a -> a.rater().equals("pooled"))
                            .findFirst()
                            .ifPresent(a -> figures.add(new Figure(
                                    s.mode() == ReviewMode.TWO_AFC ? "picked the real tile" : "answered correctly",
                                    String.format(
                                            Locale.ROOT,
                                            "%.1f %% (95 %% Wilson %.1f–%.1f %%, %d of %d)",
                                            100 * a.accuracy(),
                                            100 * a.low(),
                                            100 * a.high(),
                                            a.correct(),
                                            a.n()))));
                    case LIKERT, MARKER -> {
                        Map<String, double[]> byGroup = new java.util.LinkedHashMap<>();
                        for (ReviewResults.GroupRow g : r.groups()) {
                            if (g.variable().startsWith("positive fraction")) {
                                continue;
                            }
                            double[] acc = byGroup.computeIfAbsent(g.group(), k -> new double[2]);
                            acc[0] += g.mean() * g.n();
                            acc[1] += g.n();
                        }
                        String what = s.mode() == ReviewMode.LIKERT ? "mean Likert (1–5)" : "mean marker score (0–3)";
                        byGroup.forEach((g, acc) -> figures.add(new Figure(
                                g + ": " + what,
                                String.format(Locale.ROOT, "%.2f (%d ratings)", acc[0] / acc[1], (long) acc[1]))));
                    }
                    default -> {}
                }
            }
            out.add(new Summary(
                    s.id(),
                    s.name(),
                    s.mode().title(),
                    s.createdAt(),
                    raters.size(),
                    answers.size(),
                    figures,
                    s.href() + "/results"));
        }
        return out;
    }
}
