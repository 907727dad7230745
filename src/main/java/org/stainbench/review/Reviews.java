package org.stainbench.review;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.shell.Names;
import org.stainbench.tiles.RgbTile;

/**
 * Review session rules: creating a session (validated by {@link NewSessionRules}, tiles drawn by {@link ReviewDraws}
 * under one eligibility rule for every kind, items built by name), editing it only before the first answer (raters can always be added), each rater's
 * blinded sequence, and saving answers. Every rule violation is an {@link IllegalArgumentException} whose message is
 * shown as is.
 */
@Service
@Transactional
class Reviews {

    static final int MAX_PER_CHECKPOINT = NewSessionRules.MAX_PER_CHECKPOINT;
    static final int MAX_REAL = NewSessionRules.MAX_REAL;

    /**
     * A new session as the form gives it. {@code rule}: the eligibility rule every tile passes (null: the default);
     * {@code matchTissue}: real controls matched to the generated tiles on tissue fraction.
     */
    record NewSession(
            String name,
            ReviewMode mode,
            String instructions,
            String criteria,
            boolean showSource,
            String selection,
            Long sourceDatasetId,
            List<Long> checkpointIds,
            int perCheckpoint,
            Long realDatasetId,
            int realCount,
            int repeatPercent,
            long seed,
            List<String> raters,
            Eligibility rule,
            boolean matchTissue) {

        /**
         * Without a rule (programmatic callers, the demo): no filter, for every kind alike — the rule stays matched
         * between generated tiles and real controls; the form always states one.
         */
        NewSession(
                String name,
                ReviewMode mode,
                String instructions,
                String criteria,
                boolean showSource,
                String selection,
                Long sourceDatasetId,
                List<Long> checkpointIds,
                int perCheckpoint,
                Long realDatasetId,
                int realCount,
                int repeatPercent,
                long seed,
                List<String> raters) {
            this(
                    name,
                    mode,
                    instructions,
                    criteria,
                    showSource,
                    selection,
                    sourceDatasetId,
                    checkpointIds,
                    perCheckpoint,
                    realDatasetId,
                    realCount,
                    repeatPercent,
                    seed,
                    raters,
                    Eligibility.NONE,
                    false);
        }
    }

    /** One showing in a rater's sequence, with its answer when there is one. */
    record Showing(int step, int total, ReviewItem item, int repeatNo, ReviewAnswer answer) {}

    private final ReviewStore store;
    private final CatalogTiles tiles;
    private final NewSessionRules rules;
    private final ReviewDraws draws;
    private final ReviewSamplingProperties sampling;
    private final Accounts accounts;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final StudyDesigns designs;
    private final Practice practice;
    private final SecureRandom tokens = new SecureRandom();

    Reviews(
            ReviewStore store,
            CatalogTiles tiles,
            NewSessionRules rules,
            ReviewDraws draws,
            ReviewSamplingProperties sampling,
            Accounts accounts,
            ApplicationEventPublisher events,
            Clock clock,
            StudyDesigns designs,
            Practice practice) {
        this.designs = designs;
        this.practice = practice;
        this.store = store;
        this.tiles = tiles;
        this.rules = rules;
        this.draws = draws;
        this.sampling = sampling;
        this.accounts = accounts;
        this.events = events;
        this.clock = clock;
    }

    String newToken() {
        byte[] b = new byte[24];
        tokens.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Transactional(readOnly = true)
    ReviewSession require(long id) {
        return store.find(id).orElseThrow(() -> new NotFound("No review session " + id + "."));
    }

    /** A missing session or showing (404). */
    @ResponseStatus(HttpStatus.NOT_FOUND)
    static class NotFound extends RuntimeException {
        NotFound(String m) {
            super(m);
        }
    }

    /** Creates a session: the rules ({@link NewSessionRules}), the draw ({@link ReviewDraws}), then the items. */
    ReviewSession create(NewSession f, String by) {
        return create(f, StudyDesign.DEFAULT, by);
    }

    /**
     * Creates the session with its study design (navigation, per-rater subsets, practice block): validation
     * ({@link NewSessionRules}), the draw ({@link ReviewDraws}), the named items ({@link ReviewItems}), then the
     * design, the practice block and the raters.
     */
    ReviewSession create(NewSession f, StudyDesign design, String by) {
        NewSessionRules.Checked c = rules.check(f);
        ReviewDraws.Draw draw = draws.draw(c.drawRequest());
        long id = store.insertSession(c.session(by, clock.instant()));
        store.insertSampling(draw.sampling(id, c.rule(), c.matchTissue(), sampling.repeatMinDistance()));
        List<ReviewItem> items = ReviewItems.of(id, c.pairs(), c.showSource(), c.seed(), draw, this::newToken);
        items.forEach(store::insertItem);
        ReviewSession saved = require(id);
        designs.save(saved, design, items.size());
        practice.draw(saved, store.items(id), design.practiceCount());
        for (String r : c.raters()) {
            addRaterRow(saved, r);
        }
        events.publishEvent(Activity.of(
                by,
                "created",
                ActivitySubject.REVIEW_SESSION,
                id,
                "Created review session '" + c.name() + "' (" + c.mode().title() + ", " + items.size() + " items, "
                        + c.raters().size() + " raters)",
                "/review/sessions/" + id));
        return saved;
    }

    // reads for the pages (the controllers reach the store only through here)

    @Transactional(readOnly = true)
    List<ReviewSession> sessions(int offset, int limit) {
        return store.sessions(offset, limit);
    }

    @Transactional(readOnly = true)
    long count() {
        return store.count();
    }

    /** The sessions {@code username} rates. */
    @Transactional(readOnly = true)
    List<ReviewSession> sessionsOf(String username) {
        return store.sessionsOf(username);
    }

    @Transactional(readOnly = true)
    List<ReviewItem> items(long sessionId) {
        return store.items(sessionId);
    }

    @Transactional(readOnly = true)
    List<ReviewStore.Rater> raters(long sessionId) {
        return store.raters(sessionId);
    }

    @Transactional(readOnly = true)
    List<ReviewAnswer> answers(long sessionId) {
        return store.answers(sessionId);
    }

    /** When each answer's showing was first on screen, by answer id. */
    @Transactional(readOnly = true)
    Map<Long, Instant> shownAt(long sessionId) {
        return store.shownAt(sessionId);
    }

    /** Answers of every rater. */
    @Transactional(readOnly = true)
    long answerCount(long sessionId) {
        return store.answerCount(sessionId);
    }

    /** How the session's tiles were drawn and are shown; empty for sessions created before issue 17. */
    @Transactional(readOnly = true)
    Optional<ReviewSampling> sampling(long sessionId) {
        return store.sampling(sessionId);
    }

    private void requireUnanswered(ReviewSession s) {
        if (store.answerCount(s.id()) > 0) {
            throw new IllegalArgumentException("Session '" + s.name() + "' has answers: it can no longer be changed,"
                    + " only raters can be added.");
        }
    }

    void edit(long id, String name, String instructions, String criteria, String by) {
        ReviewSession s = require(id);
        requireUnanswered(s);
        String n = name == null ? "" : name.trim();
        if (n.isEmpty() || n.length() > 200) {
            throw new IllegalArgumentException("Give the session a name of 1–200 characters.");
        }
        Names.check("The session name", name);
        if (!n.equals(s.name()) && store.nameTaken(n)) {
            throw new IllegalArgumentException("A review session named '" + n + "' already exists.");
        }
        String text = instructions == null ? "" : instructions.trim();
        if (text.length() > 4000) {
            throw new IllegalArgumentException("Instructions are at most 4000 characters.");
        }
        String crit = s.mode() == ReviewMode.LIKERT ? NewSessionRules.normaliseCriteria(criteria) : null;
        store.updateSettings(id, n, text, crit);
        events.publishEvent(Activity.of(
                by,
                "edited",
                ActivitySubject.REVIEW_SESSION,
                id,
                "Edited review session '" + n + "'",
                "/review/sessions/" + id));
    }

    void addRater(long id, String username, String by) {
        ReviewSession s = require(id);
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("Choose a pathologist to add.");
        }
        if (!accounts.usernamesWithRole(Role.PATHOLOGIST).contains(username)) {
            throw new IllegalArgumentException("'" + username + "' is not an enabled pathologist account.");
        }
        if (store.rater(id, username).isPresent()) {
            throw new IllegalArgumentException("'" + username + "' already rates this session.");
        }
        addRaterRow(s, username);
        events.publishEvent(Activity.of(
                by,
                "edited",
                ActivitySubject.REVIEW_SESSION,
                id,
                "Added rater '" + username + "' to '" + s.name() + "'",
                "/review/sessions/" + id));
    }

    private void addRaterRow(ReviewSession s, String username) {
        long seed = new SplittableRandom(
                        s.seed() + 0x9E3779B97F4A7C15L * (store.raters(s.id()).size() + 1))
                .nextLong();
        store.insertRater(s.id(), username, seed, clock.instant());
        designs.assignSlot(s.id(), username);
        addRepeats(s, username, seed);
    }

    /**
     * The rater's repeat showings (issue 17): each repeat of the rater's sequence gets its own item token and image
     * tokens, and a 2AFC pair draws its sides again (from the rater's seed), so neither URL, browser history nor
     * position ties a repeat to its first showing.
     */
    private void addRepeats(ReviewSession s, String username, long seed) {
        if (store.sampling(s.id()).isEmpty()) {
            return; // a session from before issue 17: its repeats keep showing the item as it was
        }
        Map<Long, ReviewItem> items = new HashMap<>();
        for (ReviewItem i : store.items(s.id())) {
            items.put(i.id(), i);
        }
        SplittableRandom sides = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        for (RaterSequence.Step st : steps(s, username)) {
            if (st.repeatNo() == 0) {
                continue;
            }
            ReviewItem i = items.get(st.itemId());
            boolean pair = ReviewItem.PAIR.equals(i.kind());
            store.insertRepeat(new ReviewStore.Repeat(
                    0,
                    s.id(),
                    i.id(),
                    username,
                    st.repeatNo(),
                    newToken(),
                    newToken(),
                    pair ? newToken() : null,
                    i.imageSource() != null ? newToken() : null,
                    pair ? sides.nextBoolean() : null));
        }
    }

    void removeRater(long id, String username, String by) {
        ReviewSession s = require(id);
        requireUnanswered(s);
        if (store.rater(id, username).isEmpty()) {
            throw new IllegalArgumentException("'" + username + "' does not rate this session.");
        }
        store.deleteRater(id, username);
        designs.forgetRater(id, username);
        practice.forgetRater(id, username);
        events.publishEvent(Activity.of(
                by,
                "edited",
                ActivitySubject.REVIEW_SESSION,
                id,
                "Removed rater '" + username + "' from '" + s.name() + "'",
                "/review/sessions/" + id));
    }

    void delete(long id, String by) {
        ReviewSession s = require(id);
        requireUnanswered(s);
        designs.deleteFor(id);
        practice.deleteFor(id);
        store.deleteSession(id);
        events.publishEvent(Activity.of(
                by, "deleted", ActivitySubject.REVIEW_SESSION, id, "Deleted review session '" + s.name() + "'", null));
    }

    // the team's actions as the pages ask for them: the role rule (ReviewAccess) checked here, before anything else

    /** Opening the new-session form: team members only. */
    void mayCreate(Authentication who) {
        ReviewAccess.requireMember(who);
    }

    /** The new-session form, from a team member. */
    ReviewSession create(NewSessionForm form, Authentication who) {
        ReviewAccess.requireMember(who);
        return create(form.session(), form.design(), who.getName());
    }

    void edit(long id, String name, String instructions, String criteria, Authentication who) {
        ReviewAccess.requireMember(who);
        edit(id, name, instructions, criteria, who.getName());
    }

    void addRater(long id, String username, Authentication who) {
        ReviewAccess.requireMember(who);
        addRater(id, username, who.getName());
    }

    void removeRater(long id, String username, Authentication who) {
        ReviewAccess.requireMember(who);
        removeRater(id, username, who.getName());
    }

    void delete(long id, Authentication who) {
        ReviewAccess.requireMember(who);
        delete(id, who.getName());
    }

    /** A session a team member ({@code who}) changes (its design, its raters). */
    @Transactional(readOnly = true)
    ReviewSession requireToChange(long id, Authentication who) {
        ReviewAccess.requireMember(who);
        return require(id);
    }

    /** A session for the team's pages (session, results, methods, answers): supervisors and members only. */
    @Transactional(readOnly = true)
    ReviewSession requireForTeam(long id, Authentication who) {
        ReviewAccess.requireSupervisor(who);
        return require(id);
    }

    // rating

    @Transactional(readOnly = true)
    boolean isRater(long sessionId, String username) {
        return store.rater(sessionId, username).isPresent();
    }

    @Transactional(readOnly = true)
    List<RaterSequence.Step> steps(ReviewSession s, String username) {
        ReviewStore.Rater r =
                store.rater(s.id(), username).orElseThrow(() -> new NotFound("No review session " + s.id() + "."));
        List<Long> ids = designs.itemIds(s, username, store.items(s.id()));
        int distance =
                store.sampling(s.id()).map(ReviewSampling::repeatMinDistance).orElse(0);
        return RaterSequence.of(ids, s.repeatPercent(), r.seed(), distance);
    }

    /** The showing at {@code step} (0-based) of the rater's sequence; {@code null} step: the first unanswered one. */
    @Transactional(readOnly = true)
    Optional<Showing> showing(ReviewSession s, String username, Integer step) {
        List<RaterSequence.Step> steps = steps(s, username);
        Map<String, ReviewAnswer> answers = new HashMap<>();
        for (ReviewAnswer a : store.answers(s.id(), username)) {
            answers.put(a.itemId() + ":" + a.repeatNo(), a);
        }
        int at;
        if (step == null) {
            at = -1;
            for (int i = 0; i < steps.size(); i++) {
                if (!answers.containsKey(
                        steps.get(i).itemId() + ":" + steps.get(i).repeatNo())) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                return Optional.empty();
            }
        } else {
            if (step < 0 || step >= steps.size()) {
                throw new NotFound("No item " + (step + 1) + " in this session.");
            }
            at = step;
            designs.checkView(s, steps, answers.keySet(), at);
        }
        RaterSequence.Step st = steps.get(at);
        ReviewItem item = shown(s, username, st);
        return Optional.of(
                new Showing(at, steps.size(), item, st.repeatNo(), answers.get(st.itemId() + ":" + st.repeatNo())));
    }

    /** The item as this showing presents it: a repeat with its own tokens and sides, a first showing as stored. */
    private ReviewItem shown(ReviewSession s, String username, RaterSequence.Step st) {
        ReviewItem item =
                store.item(st.itemId()).filter(i -> i.sessionId() == s.id()).orElseThrow();
        if (st.repeatNo() == 0) {
            return item;
        }
        return store.repeats(s.id(), username).stream()
                .filter(r -> r.itemId() == st.itemId() && r.repeatNo() == st.repeatNo())
                .findFirst()
                .map(item::asShownIn)
                .orElse(item);
    }

    @Transactional(readOnly = true)
    long answered(long sessionId, String username) {
        return store.answerCount(sessionId, username);
    }

    /** Saves (or revises) the rater's answer at {@code step}; returns the next unanswered step or empty when done. */
    Optional<Integer> answer(
            ReviewSession s,
            String username,
            int step,
            String choice,
            Integer confidence,
            List<Integer> scores,
            Double fraction,
            String note) {
        List<RaterSequence.Step> steps = steps(s, username);
        if (step < 0 || step >= steps.size()) {
            throw new NotFound("No item " + (step + 1) + " in this session.");
        }
        RaterSequence.Step st = steps.get(step);
        designs.checkAnswer(s, steps, store.answers(s.id(), username), step);
        AnswerInput in = AnswerInput.check(s, choice, confidence, scores, fraction);
        String nt = null;
        if (note != null && !note.isBlank()) {
            if (note.length() > 2000) {
                throw new IllegalArgumentException("A note is at most 2000 characters.");
            }
            nt = note.trim();
        }
        Boolean realLeft =
                s.mode() == ReviewMode.TWO_AFC ? shown(s, username, st).realLeft() : null;
        store.saveAnswer(new ReviewAnswer(
                0,
                s.id(),
                st.itemId(),
                username,
                st.repeatNo(),
                in.choice(),
                in.confidence(),
                in.scores(),
                in.fraction(),
                nt,
                clock.instant(),
                realLeft));
        designs.answered(s.id(), username, st.itemId(), st.repeatNo());
        Set<String> done = new java.util.HashSet<>();
        for (ReviewAnswer a : store.answers(s.id(), username)) {
            done.add(a.itemId() + ":" + a.repeatNo());
        }
        for (int k = 1; k <= steps.size(); k++) {
            int i = (step + k) % steps.size();
            if (!done.contains(steps.get(i).itemId() + ":" + steps.get(i).repeatNo())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    // images

    /**
     * The PNG behind an image token, if {@code username} may see it (a rater of its session — for a repeat's token, the
     * rater it was made for — or a supervisor): the tile resampled to the session's image size and encoded with
     * {@link ReviewImages}, the same steps for every kind. Both token tables are always consulted.
     */
    @Transactional(readOnly = true)
    Optional<byte[]> image(String token, String username, boolean supervisor) {
        Optional<ReviewItem> first = store.itemByImage(token);
        Optional<ReviewStore.Repeat> repeat = store.repeatByImage(token);
        ReviewItem i;
        if (first.isPresent()) {
            i = first.get();
        } else if (repeat.isPresent() && (supervisor || repeat.get().rater().equals(username))) {
            i = store.item(repeat.get().itemId())
                    .map(x -> x.asShownIn(repeat.get()))
                    .orElse(null);
        } else {
            return Optional.empty();
        }
        if (i == null
                || !supervisor
                        && (store.rater(i.sessionId(), username).isEmpty()
                                || designs.disabledAt(i.sessionId(), username).isPresent())) {
            return Optional.empty(); // not a rater of the session, or a disabled one: like an unknown token
        }
        ReviewItem.TileRef ref;
        if (token.equals(i.imageSource())) {
            ref = new ReviewItem.TileRef(i.sourceArchiveId(), i.sourceIndex());
        } else if (ReviewItem.PAIR.equals(i.kind()) && (token.equals(i.imageA()) == i.realLeft())) {
            ref = new ReviewItem.TileRef(i.realArchiveId(), i.realIndex());
        } else {
            ref = new ReviewItem.TileRef(i.archiveId(), i.tileIndex());
        }
        RgbTile tile = tiles.read(ref.archiveId(), ref.index());
        int[] size = store.imageSize(i.sessionId()).orElse(new int[] {tile.width(), tile.height()});
        return Optional.of(ReviewImages.png(ReviewImages.resample(tile, size[0], size[1])));
    }

    // reads for the module's own pages: its controllers reach the store only through the facade

    Optional<ReviewSession> find(long id) {
        return store.find(id);
    }

    long answerCount(long sessionId, String rater) {
        return store.answerCount(sessionId, rater);
    }
}
