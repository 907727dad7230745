package org.stainbench.review;

import static org.stainbench.shell.Columns.instant;
import static org.stainbench.shell.Columns.intOrNull;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;

/**
 * The study design controls of a session ({@link StudyDesign}) and what enforces them on the server: the navigation
 * rules (going back, changing an answer), the per-rater subsets ({@link RaterAssignment}), disabling and enabling
 * raters (answers kept), and the time each showing was on screen before its first answer (from the injected
 * {@link Clock}).
 */
@Component
@Transactional
class StudyDesigns {

    /** A refused navigation or answer; the message is shown to the rater as is. */
    static class Refused extends IllegalArgumentException {
        Refused(String m) {
            super(m);
        }
    }

    /** A disabled rater opened the session (403 with the message, see {@link ReviewRefusals}). */
    static class RaterDisabled extends RuntimeException {
        RaterDisabled(String m) {
            super(m);
        }
    }

    /** One showing's time: on screen from {@code shownAt} to its first answer {@code answeredAt}. */
    record Timing(long itemId, String rater, int repeatNo, Instant shownAt, Instant answeredAt) {
        Optional<Duration> duration() {
            return shownAt == null || answeredAt == null
                    ? Optional.empty()
                    : Optional.of(Duration.between(shownAt, answeredAt));
        }
    }

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    StudyDesigns(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    StudyDesign design(long sessionId) {
        return jdbc.sql("select * from review_design where session_id = ?")
                .param(sessionId)
                .query((rs, n) -> new StudyDesign(
                        rs.getBoolean("allow_back"),
                        rs.getBoolean("allow_change"),
                        intOrNull(rs, "items_per_rater"),
                        rs.getInt("overlap"),
                        rs.getInt("practice_count")))
                .optional()
                .orElse(StudyDesign.DEFAULT);
    }

    /** Checks the design against the session's {@code items} and stores it; a bad value is refused naming the field. */
    StudyDesign save(ReviewSession s, StudyDesign d, int items) {
        Integer k = d.itemsPerRater();
        int overlap = 0;
        if (k != null) {
            if (k < 1 || k > items) {
                throw new IllegalArgumentException("Items per rater must be between 1 and the session's " + items
                        + " items (leave it empty for every item).");
            }
            if (k == items) {
                k = null;
            } else {
                overlap = d.overlap();
                if (overlap < 2 || overlap > k) {
                    throw new IllegalArgumentException("The overlap (items every rater sees) must be between 2 and the "
                            + k + " items per rater, so that agreement stays computable.");
                }
            }
        }
        if (d.practiceCount() < 0 || d.practiceCount() > StudyDesign.MAX_PRACTICE) {
            throw new IllegalArgumentException(
                    "Practice items must be between 0 and " + StudyDesign.MAX_PRACTICE + ".");
        }
        if (d.allowChange() && !d.allowBack()) {
            throw new IllegalArgumentException("Changing an answer needs going back: choose another navigation.");
        }
        StudyDesign saved = new StudyDesign(d.allowBack(), d.allowChange(), k, overlap, d.practiceCount());
        jdbc.sql(
                        "insert into review_design (session_id, allow_back, allow_change, items_per_rater, overlap, practice_count)"
                                + " values (?,?,?,?,?,?)")
                .params(
                        s.id(),
                        saved.allowBack(),
                        saved.allowChange(),
                        saved.itemsPerRater(),
                        saved.overlap(),
                        saved.practiceCount())
                .update();
        return saved;
    }

    void deleteFor(long sessionId) {
        jdbc.sql("delete from review_timing where session_id = ?")
                .param(sessionId)
                .update();
        jdbc.sql("delete from review_design where session_id = ?")
                .param(sessionId)
                .update();
    }

    // raters: slots and disabling

    /** Gives a newly added rater the next slot (slots are never reused, so subsets stay stable). */
    void assignSlot(long sessionId, String username) {
        Integer max = jdbc.sql("select max(slot) from review_rater where session_id = ?")
                .param(sessionId)
                .query(Integer.class)
                .optional()
                .orElse(null);
        jdbc.sql("update review_rater set slot = ? where session_id = ? and username = ?")
                .params(max == null ? 0 : max + 1, sessionId, username)
                .update();
    }

    @Transactional(readOnly = true)
    int slot(long sessionId, String username) {
        Integer slot = jdbc.sql("select slot from review_rater where session_id = ? and username = ?")
                .params(sessionId, username)
                .query(Integer.class)
                .optional()
                .orElse(null);
        return slot == null ? 0 : slot;
    }

    @Transactional(readOnly = true)
    Optional<Instant> disabledAt(long sessionId, String username) {
        return jdbc.sql(
                        "select disabled_at from review_rater where session_id = ? and username = ? and disabled_at is not null")
                .params(sessionId, username)
                .query((rs, n) -> instant(rs, "disabled_at"))
                .optional();
    }

    void setDisabled(ReviewSession s, String username, boolean disabled, String by) {
        boolean now = disabledAt(s.id(), username).isPresent();
        int n = jdbc.sql("select count(*) from review_rater where session_id = ? and username = ?")
                .params(s.id(), username)
                .query(Integer.class)
                .single();
        if (n == 0) {
            throw new IllegalArgumentException("'" + username + "' does not rate this session.");
        }
        if (now == disabled) {
            throw new IllegalArgumentException(
                    "'" + username + "' is already " + (disabled ? "disabled" : "enabled") + ".");
        }
        jdbc.sql("update review_rater set disabled_at = ? where session_id = ? and username = ?")
                .params(disabled ? Timestamp.from(clock.instant()) : null, s.id(), username)
                .update();
        events.publishEvent(Activity.of(
                by,
                "edited",
                ActivitySubject.REVIEW_SESSION,
                s.id(),
                (disabled ? "Disabled" : "Enabled") + " rater '" + username + "' of '" + s.name() + "' (answers kept)",
                "/review/sessions/" + s.id()));
    }

    /** The ids of the items this rater gets: all of them, or their subset. */
    List<Long> itemIds(ReviewSession s, String username, List<ReviewItem> items) {
        StudyDesign d = design(s.id());
        if (!d.subsets()) {
            return items.stream().map(ReviewItem::id).toList();
        }
        return RaterAssignment.subset(items, d.itemsPerRater(), d.overlap(), slot(s.id(), username), s.seed());
    }

    // navigation

    static String key(RaterSequence.Step st) {
        return st.itemId() + ":" + st.repeatNo();
    }

    static int firstUnanswered(List<RaterSequence.Step> steps, Set<String> answered) {
        for (int i = 0; i < steps.size(); i++) {
            if (!answered.contains(key(steps.get(i)))) {
                return i;
            }
        }
        return steps.size();
    }

    /** May the rater open step {@code step} (0-based)? Without going back only the first unanswered one. */
    void checkView(ReviewSession s, List<RaterSequence.Step> steps, Set<String> answered, int step) {
        checkView(design(s.id()), steps, answered, step);
    }

    static void checkView(StudyDesign d, List<RaterSequence.Step> steps, Set<String> answered, int step) {
        if (d.allowBack()) {
            return;
        }
        int first = firstUnanswered(steps, answered);
        if (step < first) {
            throw new Refused("This session does not let raters go back to earlier items: item " + (step + 1)
                    + " is answered and final.");
        }
        if (step > first) {
            throw new Refused("This session shows the items strictly in order: answer item " + (first + 1) + " first.");
        }
    }

    /** May the rater answer step {@code step}? Refused for an answered step without change, or out of order. */
    void checkAnswer(ReviewSession s, List<RaterSequence.Step> steps, List<ReviewAnswer> answers, int step) {
        Set<String> answered = new java.util.HashSet<>();
        for (ReviewAnswer a : answers) {
            answered.add(a.itemId() + ":" + a.repeatNo());
        }
        checkAnswer(design(s.id()), steps, answered, step);
    }

    static void checkAnswer(StudyDesign d, List<RaterSequence.Step> steps, Set<String> answered, int step) {
        if (!d.allowChange() && answered.contains(key(steps.get(step)))) {
            throw new Refused(
                    "This session does not allow changing an answer: item " + (step + 1) + " keeps its first answer.");
        }
        checkView(d, steps, answered, step);
    }

    // time per item

    /** The showing is on screen now (only before its first answer: a later look does not count). */
    void shown(long sessionId, String rater, long itemId, int repeatNo) {
        Timestamp now = Timestamp.from(clock.instant());
        int n = jdbc.sql("update review_timing set shown_at = ? where item_id = ? and rater = ? and repeat_no = ?"
                        + " and answered_at is null")
                .params(now, itemId, rater, repeatNo)
                .update();
        if (n == 0 && !exists(itemId, rater, repeatNo)) {
            jdbc.sql("insert into review_timing (session_id, item_id, rater, repeat_no, shown_at) values (?,?,?,?,?)")
                    .params(sessionId, itemId, rater, repeatNo, now)
                    .update();
        }
    }

    /** The showing got an answer: the first answer's time is kept (revisions do not move it). */
    void answered(long sessionId, String rater, long itemId, int repeatNo) {
        Timestamp now = Timestamp.from(clock.instant());
        int n = jdbc.sql("update review_timing set answered_at = ? where item_id = ? and rater = ? and repeat_no = ?"
                        + " and answered_at is null")
                .params(now, itemId, rater, repeatNo)
                .update();
        if (n == 0 && !exists(itemId, rater, repeatNo)) {
            jdbc.sql(
                            "insert into review_timing (session_id, item_id, rater, repeat_no, answered_at) values (?,?,?,?,?)")
                    .params(sessionId, itemId, rater, repeatNo, now)
                    .update();
        }
    }

    private boolean exists(long itemId, String rater, int repeatNo) {
        return jdbc.sql("select count(*) from review_timing where item_id = ? and rater = ? and repeat_no = ?")
                        .params(itemId, rater, repeatNo)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    /** Every showing's time in a session (for the session page, and for results: time per item). */
    @Transactional(readOnly = true)
    List<Timing> timings(long sessionId) {
        return jdbc.sql("select * from review_timing where session_id = ? order by rater, item_id, repeat_no")
                .param(sessionId)
                .query((rs, n) -> new Timing(
                        rs.getLong("item_id"),
                        rs.getString("rater"),
                        rs.getInt("repeat_no"),
                        instant(rs, "shown_at"),
                        instant(rs, "answered_at")))
                .list();
    }

    void forgetRater(long sessionId, String username) {
        jdbc.sql("delete from review_timing where session_id = ? and rater = ?")
                .params(sessionId, username)
                .update();
    }
}
