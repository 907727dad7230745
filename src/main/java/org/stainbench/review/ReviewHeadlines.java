package org.stainbench.review;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;

/**
 * Read-only headline results of review sessions for other modules (reports): the sessions, and per session the
 * per-group means with their bootstrap intervals and the pooled accuracy, computed as on the results page.
 */
@Service
@Transactional(readOnly = true)
public class ReviewHeadlines {

    /** A session as a choice in a form. */
    public record SessionRef(long id, String name, String mode, String href) {}

    /** Mean ± SD with its 95 % bootstrap interval for one group (checkpoint or real controls) and rating. */
    public record GroupLine(
            String group, Long checkpointId, String variable, int n, double mean, Double sd, double low, double high) {}

    /** Pooled accuracy (2AFC, real or virtual) of one group with its Wilson interval and binomial p. */
    public record AccuracyLine(
            String group, long correct, long n, double accuracy, double low, double high, double p) {}

    public record Headline(SessionRef session, int answers, List<GroupLine> groups, List<AccuracyLine> accuracy) {}

    private final ReviewStore store;
    private final Checkpoints checkpoints;

    ReviewHeadlines(ReviewStore store, Checkpoints checkpoints) {
        this.store = store;
        this.checkpoints = checkpoints;
    }

    /** The newest sessions first, at most {@code limit}. */
    public List<SessionRef> sessions(int limit) {
        return store.sessions(0, limit).stream().map(ReviewHeadlines::ref).toList();
    }

    public Optional<SessionRef> session(long id) {
        return store.find(id).map(ReviewHeadlines::ref);
    }

    private static SessionRef ref(ReviewSession s) {
        return new SessionRef(s.id(), s.name(), s.mode().title(), s.href());
    }

    public Optional<Headline> headline(long sessionId) {
        return store.find(sessionId).map(s -> {
            Map<Long, String> names = new HashMap<>();
            java.util.function.Function<Long, String> name = ck -> names.computeIfAbsent(
                    ck,
                    id -> id == null
                            ? "–"
                            : checkpoints.find(id).map(Checkpoint::name).orElse("checkpoint " + id));
            List<String> raters = store.raters(sessionId).stream()
                    .map(ReviewStore.Rater::username)
                    .toList();
            ReviewResults.Results r =
                    ReviewResults.compute(s, store.items(sessionId), raters, store.answers(sessionId), name);
            List<GroupLine> groups = r.groups().stream()
                    .map(g -> new GroupLine(
                            g.group(), g.checkpointId(), g.variable(), g.n(), g.mean(), g.sd(), g.low(), g.high()))
                    .toList();
            List<AccuracyLine> acc = r.accuracy().stream()
                    .filter(a -> "pooled".equalsIgnoreCase(a.rater()) && "all items".equals(a.group()))
                    .map(a -> new AccuracyLine(a.group(), a.correct(), a.n(), a.accuracy(), a.low(), a.high(), a.p()))
                    .toList();
            return new Headline(ref(s), r.answers(), groups, acc);
        });
    }
}
