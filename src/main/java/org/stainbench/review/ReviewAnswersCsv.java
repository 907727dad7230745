package org.stainbench.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.Catalog;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;

/**
 * A session's answers as CSV, one row per answer with the blinding key (kind, checkpoint, archives, sides), the
 * timing and whether it was correct; each export is recorded in the activity trail.
 */
@Component
class ReviewAnswersCsv {

    private final Reviews reviews;
    private final ReviewStore store;
    private final Catalog catalog;
    private final Checkpoints checkpoints;
    private final ApplicationEventPublisher events;

    ReviewAnswersCsv(
            Reviews reviews,
            ReviewStore store,
            Catalog catalog,
            Checkpoints checkpoints,
            ApplicationEventPublisher events) {
        this.reviews = reviews;
        this.store = store;
        this.catalog = catalog;
        this.checkpoints = checkpoints;
        this.events = events;
    }

    /** The answers of session {@code id} as CSV, exported by a supervisor or member ({@code who}). */
    @Transactional(readOnly = true)
    String export(long id, Authentication who) {
        ReviewSession s = reviews.requireForTeam(id, who);
        String by = who.getName();
        Map<Long, ReviewItem> items = new LinkedHashMap<>();
        for (ReviewItem i : store.items(id)) {
            items.put(i.id(), i);
        }
        Map<Long, String> files = new HashMap<>();
        Function<Long, String> file = a -> a == null
                ? ""
                : files.computeIfAbsent(
                        a, x -> catalog.archive(x).map(Archive::fileName).orElse("archive " + x));
        Map<String, Map<String, Integer>> stepOf = new HashMap<>();
        for (ReviewStore.Rater r : store.raters(id)) {
            List<RaterSequence.Step> steps = reviews.steps(s, r.username());
            Map<String, Integer> m = new HashMap<>();
            for (int k = 0; k < steps.size(); k++) {
                m.put(steps.get(k).itemId() + ":" + steps.get(k).repeatNo(), k + 1);
            }
            stepOf.put(r.username(), m);
        }
        List<String> crit = s.criteriaList();
        StringBuilder out = new StringBuilder();
        List<String> head = new ArrayList<>(List.of(
                "session_id",
                "session",
                "mode",
                "rater",
                "step",
                "repeat",
                "item_token",
                "item_kind",
                "checkpoint_id",
                "checkpoint",
                "archive_id",
                "archive_file",
                "tile_index",
                "tile_id",
                "source_archive_id",
                "source_archive_file",
                "source_index",
                "real_archive_id",
                "real_archive_file",
                "real_index",
                "real_side",
                "choice",
                "correct",
                "confidence"));
        for (int c = 0; c < crit.size(); c++) {
            head.add("score_" + (c + 1));
        }
        head.addAll(List.of(
                "marker_score", "positive_fraction", "note", "answered_at", "shown_at", "seconds", "time_source"));
        List<ReviewAnswer> all = store.answers(id);
        Map<Long, Instant> shown = store.shownAt(id);
        Map<Long, ReviewResults.Timed> timed = ReviewResults.timing(all, shown);
        out.append(String.join(",", head)).append('\n');
        for (ReviewAnswer a : all) {
            ReviewItem i = items.get(a.itemId());
            List<String> row = new ArrayList<>();
            row.add("" + s.id());
            row.add(s.name());
            row.add(s.mode().name());
            row.add(a.rater());
            row.add(String.valueOf(
                    stepOf.getOrDefault(a.rater(), Map.of()).getOrDefault(a.itemId() + ":" + a.repeatNo(), 0)));
            row.add("" + a.repeatNo());
            row.add(i.token());
            row.add(i.kind());
            row.add(i.checkpointId() == null ? "" : "" + i.checkpointId());
            row.add(i.checkpointId() == null ? "" : checkpointName(i.checkpointId()));
            row.add(i.archiveId() == null ? "" : "" + i.archiveId());
            row.add(file.apply(i.archiveId()));
            row.add(i.tileIndex() == null ? "" : "" + i.tileIndex());
            row.add(
                    i.archiveId() == null
                            ? ""
                            : catalog.tileId(i.archiveId(), i.tileIndex())
                                    .map(String::valueOf)
                                    .orElse(""));
            row.add(i.sourceArchiveId() == null ? "" : "" + i.sourceArchiveId());
            row.add(file.apply(i.sourceArchiveId()));
            row.add(i.sourceIndex() == null ? "" : "" + i.sourceIndex());
            row.add(i.realArchiveId() == null ? "" : "" + i.realArchiveId());
            row.add(file.apply(i.realArchiveId()));
            row.add(i.realIndex() == null ? "" : "" + i.realIndex());
            row.add(i.realLeft() == null ? "" : a.realWasLeft(i) ? "LEFT" : "RIGHT");
            row.add(a.choice() == null ? "" : a.choice());
            String correct = "";
            if (s.mode() == ReviewMode.TWO_AFC) {
                correct = String.valueOf(("LEFT".equals(a.choice())) == a.realWasLeft(i));
            } else if (s.mode() == ReviewMode.REAL_OR_VIRTUAL) {
                correct = String.valueOf("REAL".equals(a.choice()) == i.real());
            }
            row.add(correct);
            row.add(a.confidence() == null ? "" : "" + a.confidence());
            List<Integer> sc = a.scoreList();
            for (int c = 0; c < crit.size(); c++) {
                row.add(c < sc.size() ? "" + sc.get(c) : "");
            }
            row.add(
                    s.mode() == ReviewMode.MARKER && a.choice() != null
                            ? "" + ReviewMode.MARKER_SCORES.indexOf(a.choice())
                            : "");
            row.add(a.fraction() == null ? "" : "" + a.fraction());
            row.add(a.note() == null ? "" : a.note());
            row.add(a.answeredAt().toString());
            row.add(shown.containsKey(a.id()) ? shown.get(a.id()).toString() : "");
            ReviewResults.Timed t = timed.get(a.id());
            row.add(t == null || t.isBreak() ? "" : String.valueOf(t.seconds()));
            row.add(t == null ? "" : t.isBreak() ? "break (left out)" : t.source());
            out.append(String.join(
                            ",", row.stream().map(ReviewAnswersCsv::csvField).toList()))
                    .append('\n');
        }
        events.publishEvent(Activity.of(
                by,
                "exported",
                ActivitySubject.REVIEW_SESSION,
                id,
                "Exported the answers of review session '" + s.name() + "' as CSV",
                "/review/sessions/" + id + "/results"));
        return out.toString();
    }

    private String checkpointName(Long id) {
        return id == null ? "–" : checkpoints.find(id).map(Checkpoint::name).orElse("checkpoint " + id);
    }

    static String csvField(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
