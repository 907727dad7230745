package org.stainbench.review;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.evaluation.PathologistOutcomes;

/**
 * This module's contribution to "which metric agrees with the pathologists?": per session that showed the
 * checkpoints, from first showings (repeat 0): 2AFC "share of raters fooled" (picked the generated tile); real or
 * virtual "share of raters fooled" (answered real on a generated tile); Likert the mean score per criterion; marker
 * score the distance of the mean score (0 negative - 3 strong) to the real control tiles' (only with real controls).
 */
@Component
class ReviewOutcomes implements PathologistOutcomes {

    private final JdbcClient jdbc;
    private final ReviewStore store;

    ReviewOutcomes(JdbcClient jdbc, ReviewStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    @Override
    public List<Outcome> outcomes(Collection<Long> checkpointIds) {
        if (checkpointIds.isEmpty()) {
            return List.of();
        }
        List<Long> sessions = jdbc.sql("select distinct session_id from review_item where checkpoint_id in (:ids) "
                        + "order by session_id")
                .param("ids", List.copyOf(checkpointIds))
                .query(Long.class)
                .list();
        List<Outcome> out = new ArrayList<>();
        for (long id : sessions) {
            store.find(id).ifPresent(s -> out.addAll(outcomes(s)));
        }
        return out;
    }

    private List<Outcome> outcomes(ReviewSession s) {
        Map<Long, ReviewItem> items = new LinkedHashMap<>();
        for (ReviewItem i : store.items(s.id())) {
            items.put(i.id(), i);
        }
        List<ReviewAnswer> first = store.answers(s.id()).stream()
                .filter(a -> a.repeatNo() == 0 && items.containsKey(a.itemId()))
                .toList();
        List<ReviewResults.Variable> vars = ReviewResults.variables(s, items);
        String href = "/review/sessions/" + s.id();
        List<Outcome> out = new ArrayList<>();
        switch (s.mode()) {
            case TWO_AFC -> out.add(new Outcome(
                    s.id(),
                    s.name(),
                    href,
                    s.mode().title(),
                    "share of raters fooled",
                    Kind.FOOLED,
                    answers(first, items, a -> 1 - vars.get(0).value().apply(a), false)));
            case REAL_OR_VIRTUAL -> out.add(new Outcome(
                    s.id(),
                    s.name(),
                    href,
                    s.mode().title(),
                    "share of raters fooled",
                    Kind.FOOLED,
                    answers(first, items, a -> vars.get(0).value().apply(a), false)));
            case LIKERT -> {
                for (ReviewResults.Variable v : vars) {
                    out.add(new Outcome(
                            s.id(),
                            s.name(),
                            href,
                            s.mode().title(),
                            "mean score: " + v.name(),
                            Kind.MEAN_SCORE,
                            answers(first, items, a -> v.value().apply(a), false)));
                }
            }
            case MARKER -> {
                List<Answer> a = answers(first, items, x -> vars.get(0).value().apply(x), true);
                if (a.stream().anyMatch(x -> x.checkpointId() == null)) {
                    out.add(new Outcome(
                            s.id(),
                            s.name(),
                            href,
                            s.mode().title(),
                            "marker score: distance to the real tiles' mean",
                            Kind.DISTANCE_TO_REAL,
                            a));
                }
            }
            default -> {}
        }
        return out;
    }

    /** The answers with a value; real control tiles only when {@code withReal}. */
    private static List<Answer> answers(
            List<ReviewAnswer> first,
            Map<Long, ReviewItem> items,
            java.util.function.Function<ReviewAnswer, Integer> value,
            boolean withReal) {
        List<Answer> out = new ArrayList<>();
        for (ReviewAnswer a : first) {
            ReviewItem i = items.get(a.itemId());
            Integer v = value.apply(a);
            if (v == null || v < 0 || (i.real() && !withReal) || (!i.real() && i.checkpointId() == null)) {
                continue;
            }
            out.add(new Answer(i.real() ? null : i.checkpointId(), a.rater(), v));
        }
        return out;
    }
}
