package org.stainbench.review;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedArchive;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.galleries.Galleries;
import org.stainbench.galleries.GalleryQuery;
import org.stainbench.shell.Activity;
import org.stainbench.tiles.RgbTile;
import org.stainbench.shell.Names;

/**
 * Review session rules: creating a session (tiles drawn from generated sets with a seed, or from a random gallery;
 * real controls mixed in), editing it only before the first answer (raters can always be added), each rater's
 * blinded sequence, and saving answers. Every rule violation is an {@link IllegalArgumentException} whose message is
 * shown as is.
 */
@Service
@Transactional
class Reviews {

    static final int MAX_PER_CHECKPOINT = 200;
    static final int MAX_REAL = 1000;

    record NewSession(String name, ReviewMode mode, String instructions, String criteria, boolean showSource,
                      String selection, Long sourceDatasetId, List<Long> checkpointIds, int perCheckpoint,
                      Long realDatasetId, int realCount, int repeatPercent, long seed, List<String> raters) {
    }

    /** One showing in a rater's sequence, with its answer when there is one. */
    record Showing(int step, int total, ReviewItem item, int repeatNo, ReviewAnswer answer) {
    }

    private final ReviewStore store;
    private final Catalog catalog;
    private final CatalogTiles tiles;
    private final Checkpoints checkpoints;
    private final Galleries galleries;
    private final Accounts accounts;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final StudyDesigns designs;
    private final Practice practice;
    private final SecureRandom tokens = new SecureRandom();

    Reviews(ReviewStore store, Catalog catalog, CatalogTiles tiles, Checkpoints checkpoints, Galleries galleries,
            Accounts accounts, ApplicationEventPublisher events, Clock clock, StudyDesigns designs, Practice practice) {
        this.designs = designs;
        this.practice = practice;
        this.store = store;
        this.catalog = catalog;
        this.tiles = tiles;
        this.checkpoints = checkpoints;
        this.galleries = galleries;
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
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NOT_FOUND)
    static class NotFound extends RuntimeException {
        NotFound(String m) {
            super(m);
        }
    }

    /** A generated tile drawn for a session. */
    private record Drawn(long checkpointId, long archiveId, int index, long sourceArchiveId) {
    }

    private record RealTile(long archiveId, int index) {
    }

    ReviewSession create(NewSession f, String by) {
        return create(f, StudyDesign.DEFAULT, by);
    }

    /** Creates the session with its study design (navigation, per-rater subsets, practice block). */
    ReviewSession create(NewSession f, StudyDesign design, String by) {
        String name = f.name() == null ? "" : f.name().trim();
        if (name.isEmpty() || name.length() > 200) {
            throw new IllegalArgumentException("Give the session a name of 1–200 characters.");
        }
        Names.check("The session name", f.name());
        if (store.nameTaken(name)) {
            throw new IllegalArgumentException("A review session named '" + name + "' already exists.");
        }
        if (f.mode() == null) {
            throw new IllegalArgumentException("Choose a mode.");
        }
        String instructions = f.instructions() == null ? "" : f.instructions().trim();
        if (instructions.length() > 4000) {
            throw new IllegalArgumentException("Instructions are at most 4000 characters.");
        }
        String criteria = null;
        if (f.mode() == ReviewMode.LIKERT) {
            criteria = normaliseCriteria(f.criteria());
        }
        String selection = f.selection() == null ? ReviewSession.RANDOM : f.selection();
        if (!selection.equals(ReviewSession.RANDOM) && !selection.equals(ReviewSession.GALLERY)) {
            throw new IllegalArgumentException("Tiles come from a random sample or a random gallery.");
        }
        if (f.sourceDatasetId() == null) {
            throw new IllegalArgumentException("Choose the H&E source dataset of the generated sets.");
        }
        Dataset source = catalog.dataset(f.sourceDatasetId())
                .orElseThrow(() -> new IllegalArgumentException("No dataset " + f.sourceDatasetId() + "."));
        List<Long> cks = f.checkpointIds() == null ? List.of() : List.copyOf(new LinkedHashSet<>(f.checkpointIds()));
        if (cks.isEmpty()) {
            throw new IllegalArgumentException("Choose at least one checkpoint.");
        }
        Map<Long, GeneratedSet> sets = new HashMap<>();
        for (long ck : cks) {
            String ckName = checkpoints.find(ck).orElseThrow(() -> new IllegalArgumentException("No checkpoint " + ck + "."))
                    .name();
            GeneratedSet set = checkpoints.sets(ck).stream().filter(s -> s.sourceDatasetId() == source.id())
                    .filter(s -> "READY".equals(s.status())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Checkpoint '" + ckName + "' has no ready generated set on '"
                            + source.name() + "'."));
            sets.put(ck, set);
        }
        if (f.perCheckpoint() < 1 || f.perCheckpoint() > MAX_PER_CHECKPOINT) {
            throw new IllegalArgumentException("Tiles per checkpoint must be between 1 and " + MAX_PER_CHECKPOINT + ".");
        }
        if (f.repeatPercent() < 0 || f.repeatPercent() > 50) {
            throw new IllegalArgumentException("Repeated items must be between 0 and 50 %.");
        }
        boolean pairs = f.mode() == ReviewMode.TWO_AFC;
        int realCount = pairs ? 0 : f.realCount();
        if (realCount < 0 || realCount > MAX_REAL) {
            throw new IllegalArgumentException("Real control tiles must be between 0 and " + MAX_REAL + ".");
        }
        Long realDataset = f.realDatasetId();
        if ((pairs || realCount > 0) && realDataset == null) {
            throw new IllegalArgumentException(pairs ? "Two-alternative forced choice needs a real IHC dataset."
                    : "Choose the real IHC dataset the controls come from.");
        }
        if (realDataset != null) {
            Dataset real = catalog.requireReal(realDataset, "the real controls");
            if (real.stain() != Stain.IHC) {
                throw new IllegalArgumentException("Real controls must come from an IHC dataset; '" + real.name() + "' is H&E.");
            }
        }
        if (f.showSource()) {
            if (f.mode() == ReviewMode.TWO_AFC || f.mode() == ReviewMode.REAL_OR_VIRTUAL) {
                throw new IllegalArgumentException("The H&E source cannot be shown when raters judge real versus virtual:"
                        + " it would tell them which tile is generated.");
            }
            if (realCount > 0) {
                throw new IllegalArgumentException("The H&E source cannot be shown with real controls: real tiles have no"
                        + " H&E source, so its absence would reveal them.");
            }
        }
        List<String> raters = f.raters() == null ? List.of() : List.copyOf(new LinkedHashSet<>(f.raters()));
        Set<String> pathologists = Set.copyOf(accounts.usernamesWithRole(Role.PATHOLOGIST));
        for (String r : raters) {
            if (!pathologists.contains(r)) {
                throw new IllegalArgumentException("'" + r + "' is not an enabled pathologist account.");
            }
        }

        // draw the tiles
        List<Drawn> drawn = f.selection() != null && f.selection().equals(ReviewSession.GALLERY)
                ? fromGallery(source.id(), cks, f.perCheckpoint(), f.seed())
                : randomSample(cks, sets, f.perCheckpoint(), f.seed());
        int realNeeded = pairs ? drawn.size() : realCount;
        List<RealTile> reals = realNeeded == 0 ? List.of() : realTiles(realDataset, realNeeded, f.seed());

        ReviewSession s = new ReviewSession(0, name, f.mode(), instructions, criteria, f.showSource(), selection,
                source.id(), realDataset, f.perCheckpoint(), realCount, f.repeatPercent(), f.seed(), by, clock.instant());
        long id = store.insertSession(s);
        SplittableRandom rnd = new SplittableRandom(f.seed() ^ 0x5DEECE66DL);
        List<ReviewItem> items = new ArrayList<>();
        for (int i = 0; i < drawn.size(); i++) {
            Drawn d = drawn.get(i);
            if (pairs) {
                RealTile r = reals.get(i);
                items.add(new ReviewItem(0, id, 0, newToken(), ReviewItem.PAIR, d.checkpointId(), d.archiveId(), d.index(),
                        d.sourceArchiveId(), d.index(), r.archiveId(), r.index(), rnd.nextBoolean(), newToken(), newToken(), null));
            } else {
                items.add(new ReviewItem(0, id, 0, newToken(), ReviewItem.GENERATED, d.checkpointId(), d.archiveId(), d.index(),
                        d.sourceArchiveId(), d.index(), null, null, null, newToken(), null, f.showSource() ? newToken() : null));
            }
        }
        if (!pairs) {
            for (RealTile r : reals) {
                items.add(new ReviewItem(0, id, 0, newToken(), ReviewItem.REAL, null, r.archiveId(), r.index(), null, null,
                        null, null, null, newToken(), null, null));
            }
        }
        // positions shuffled too, so the stored order says nothing about kind or checkpoint
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            positions.add(i);
        }
        for (int i = positions.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Integer t = positions.get(i);
            positions.set(i, positions.get(j));
            positions.set(j, t);
        }
        for (int i = 0; i < items.size(); i++) {
            ReviewItem it = items.get(i);
            store.insertItem(new ReviewItem(0, id, positions.get(i), it.token(), it.kind(), it.checkpointId(), it.archiveId(),
                    it.tileIndex(), it.sourceArchiveId(), it.sourceIndex(), it.realArchiveId(), it.realIndex(), it.realLeft(),
                    it.imageA(), it.imageB(), it.imageSource()));
        }
        ReviewSession saved = require(id);
        designs.save(saved, design, items.size());
        practice.draw(saved, store.items(id), design.practiceCount());
        for (String r : raters) {
            addRaterRow(saved, r);
        }
        events.publishEvent(Activity.of(by, "created", "review session", id,
                "Created review session '" + name + "' (" + f.mode().title() + ", " + items.size() + " items, "
                        + raters.size() + " raters)", "/review/sessions/" + id));
        return saved;
    }

    static String normaliseCriteria(String text) {
        List<String> list = text == null ? List.of()
                : text.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("Likert sessions need at least one criterion (one per line).");
        }
        if (list.size() > 12) {
            throw new IllegalArgumentException("At most 12 criteria.");
        }
        for (String c : list) {
            if (c.length() > 200 || c.contains(",")) {
                throw new IllegalArgumentException("A criterion is at most 200 characters, without commas: '" + c + "'.");
            }
        }
        if (new LinkedHashSet<>(list).size() != list.size()) {
            throw new IllegalArgumentException("Criteria must differ from each other.");
        }
        return String.join("\n", list);
    }

    private List<Drawn> randomSample(List<Long> cks, Map<Long, GeneratedSet> sets, int n, long seed) {
        List<Drawn> out = new ArrayList<>();
        for (long ck : cks) {
            List<Drawn> pool = new ArrayList<>();
            for (GeneratedArchive g : checkpoints.archives(sets.get(ck).id())) {
                for (TileInfo t : tiles.tiles(g.archiveId())) {
                    pool.add(new Drawn(ck, g.archiveId(), t.index(), g.sourceArchiveId()));
                }
            }
            if (pool.size() < n) {
                throw new IllegalArgumentException("Checkpoint " + checkpoints.find(ck).map(c -> "'" + c.name() + "'").orElse("")
                        + " has only " + pool.size() + " ingested generated tiles; asked for " + n + ".");
            }
            SplittableRandom rnd = new SplittableRandom(seed * 31 + ck);
            for (int i = 0; i < n; i++) {
                int j = i + rnd.nextInt(pool.size() - i);
                Drawn t = pool.get(i);
                pool.set(i, pool.get(j));
                pool.set(j, t);
                out.add(pool.get(i));
            }
        }
        return out;
    }

    private List<Drawn> fromGallery(long source, List<Long> cks, int n, long seed) {
        Galleries.Gallery g = galleries.random(new GalleryQuery(source, cks, n, seed, 0.6, 0.6, null, 200, 3));
        if (g.rows().size() < n) {
            throw new IllegalArgumentException("The random gallery (seed " + seed + ") has only " + g.rows().size()
                    + " rows of tissue tiles; asked for " + n + ".");
        }
        List<Drawn> out = new ArrayList<>();
        for (Galleries.Row r : g.rows()) {
            for (int c = 1; c < g.columns().size(); c++) {
                Long ck = g.columns().get(c).checkpointId();
                Galleries.Cell cell = r.cells().get(c);
                out.add(new Drawn(ck, cell.archiveId(), cell.index(), r.sourceArchiveId()));
            }
        }
        return out;
    }

    private List<RealTile> realTiles(long datasetId, int n, long seed) {
        List<RealTile> informative = new ArrayList<>();
        List<RealTile> all = new ArrayList<>();
        for (Archive a : catalog.archives(datasetId)) {
            if (a.status() != ArchiveStatus.READY) {
                continue;
            }
            for (TileInfo t : tiles.tiles(a.id())) {
                all.add(new RealTile(a.id(), t.index()));
                if (t.informative()) {
                    informative.add(new RealTile(a.id(), t.index()));
                }
            }
        }
        List<RealTile> pool = informative.size() >= n ? informative : all;
        if (pool.size() < n) {
            throw new IllegalArgumentException("The real IHC dataset has only " + pool.size() + " ingested tiles; "
                    + n + " are needed.");
        }
        SplittableRandom rnd = new SplittableRandom(seed * 17 + 3);
        List<RealTile> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(pool.size() - i);
            RealTile t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
            out.add(pool.get(i));
        }
        return out;
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
        String crit = s.mode() == ReviewMode.LIKERT ? normaliseCriteria(criteria) : null;
        store.updateSettings(id, n, text, crit);
        events.publishEvent(Activity.of(by, "edited", "review session", id, "Edited review session '" + n + "'",
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
        events.publishEvent(Activity.of(by, "edited", "review session", id, "Added rater '" + username + "' to '"
                + s.name() + "'", "/review/sessions/" + id));
    }

    private void addRaterRow(ReviewSession s, String username) {
        long seed = new SplittableRandom(s.seed() + 0x9E3779B97F4A7C15L * (store.raters(s.id()).size() + 1)).nextLong();
        store.insertRater(s.id(), username, seed, clock.instant());
        designs.assignSlot(s.id(), username);
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
        events.publishEvent(Activity.of(by, "edited", "review session", id, "Removed rater '" + username + "' from '"
                + s.name() + "'", "/review/sessions/" + id));
    }

    void delete(long id, String by) {
        ReviewSession s = require(id);
        requireUnanswered(s);
        designs.deleteFor(id);
        practice.deleteFor(id);
        store.deleteSession(id);
        events.publishEvent(Activity.of(by, "deleted", "review session", id, "Deleted review session '" + s.name() + "'", null));
    }

    // rating

    @Transactional(readOnly = true)
    boolean isRater(long sessionId, String username) {
        return store.rater(sessionId, username).isPresent();
    }

    @Transactional(readOnly = true)
    List<RaterSequence.Step> steps(ReviewSession s, String username) {
        ReviewStore.Rater r = store.rater(s.id(), username)
                .orElseThrow(() -> new NotFound("No review session " + s.id() + "."));
        List<Long> ids = designs.itemIds(s, username, store.items(s.id()));
        return RaterSequence.of(ids, s.repeatPercent(), r.seed());
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
                if (!answers.containsKey(steps.get(i).itemId() + ":" + steps.get(i).repeatNo())) {
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
        ReviewItem item = store.items(s.id()).stream().filter(i -> i.id() == st.itemId()).findFirst().orElseThrow();
        return Optional.of(new Showing(at, steps.size(), item, st.repeatNo(), answers.get(st.itemId() + ":" + st.repeatNo())));
    }

    @Transactional(readOnly = true)
    long answered(long sessionId, String username) {
        return store.answerCount(sessionId, username);
    }

    /** Saves (or revises) the rater's answer at {@code step}; returns the next unanswered step or empty when done. */
    Optional<Integer> answer(ReviewSession s, String username, int step, String choice, Integer confidence,
                             List<Integer> scores, Double fraction, String note) {
        List<RaterSequence.Step> steps = steps(s, username);
        if (step < 0 || step >= steps.size()) {
            throw new NotFound("No item " + (step + 1) + " in this session.");
        }
        RaterSequence.Step st = steps.get(step);
        designs.checkAnswer(s, steps, store.answers(s.id(), username), step);
        String c = choice == null ? null : choice.trim().toUpperCase(java.util.Locale.ROOT);
        Integer conf = null;
        String sc = null;
        Double fr = null;
        String nt = null;
        switch (s.mode()) {
            case TWO_AFC -> {
                if (!"LEFT".equals(c) && !"RIGHT".equals(c)) {
                    throw new IllegalArgumentException("Choose the left or the right tile (← or →).");
                }
            }
            case REAL_OR_VIRTUAL -> {
                if (!"REAL".equals(c) && !"VIRTUAL".equals(c)) {
                    throw new IllegalArgumentException("Answer real (R) or virtual (V).");
                }
                if (confidence == null || confidence < 1 || confidence > 5) {
                    throw new IllegalArgumentException("Give a confidence from 1 to 5.");
                }
                conf = confidence;
            }
            case LIKERT -> {
                List<String> crit = s.criteriaList();
                if (scores == null || scores.size() != crit.size() || scores.stream().anyMatch(v -> v == null || v < 1 || v > 5)) {
                    throw new IllegalArgumentException("Score each of the " + crit.size() + " criteria from 1 to 5.");
                }
                sc = String.join(",", scores.stream().map(String::valueOf).toList());
                c = null;
            }
            case MARKER -> {
                if (c == null || !ReviewMode.MARKER_SCORES.contains(c)) {
                    throw new IllegalArgumentException("Choose negative, weak, moderate or strong (1–4).");
                }
                if (fraction == null || !(fraction >= 0 && fraction <= 100)) {
                    throw new IllegalArgumentException("Estimate the positive fraction as a percentage from 0 to 100.");
                }
                fr = fraction;
            }
            default -> throw new IllegalStateException();
        }
        if (note != null && !note.isBlank()) {
            if (note.length() > 2000) {
                throw new IllegalArgumentException("A note is at most 2000 characters.");
            }
            nt = note.trim();
        }
        store.saveAnswer(new ReviewAnswer(0, s.id(), st.itemId(), username, st.repeatNo(), c, conf, sc, fr, nt,
                clock.instant()));
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

    /** The tile behind an image token, if {@code username} may see it (a rater of its session, or a supervisor). */
    @Transactional(readOnly = true)
    Optional<RgbTile> image(String token, String username, boolean supervisor) {
        Optional<ReviewItem> found = store.itemByImage(token);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ReviewItem i = found.get();
        if (!supervisor && store.rater(i.sessionId(), username).isEmpty()) {
            return Optional.empty();
        }
        if (token.equals(i.imageSource())) {
            return Optional.of(tiles.read(i.sourceArchiveId(), i.sourceIndex()));
        }
        if (ReviewItem.PAIR.equals(i.kind())) {
            boolean left = token.equals(i.imageA());
            boolean real = left == i.realLeft();
            return Optional.of(real ? tiles.read(i.realArchiveId(), i.realIndex()) : tiles.read(i.archiveId(), i.tileIndex()));
        }
        return Optional.of(tiles.read(i.archiveId(), i.tileIndex()));
    }
}
