package org.stainbench.review;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.checkpoints.GeneratedSetStatus;
import org.stainbench.shell.Names;

/**
 * The rules a new review session must satisfy (the validation step of {@link Reviews#create}); every violation is an
 * {@link IllegalArgumentException} whose message is shown as is, and nothing is written.
 */
@Component
class NewSessionRules {

    static final int MAX_PER_CHECKPOINT = 200;
    static final int MAX_REAL = 1000;

    /** A new session that passed every rule, with what the draw needs. */
    record Checked(
            String name,
            ReviewMode mode,
            String instructions,
            String criteria,
            boolean showSource,
            String selection,
            Dataset source,
            List<Long> checkpointIds,
            Map<Long, GeneratedSet> sets,
            Map<Long, String> checkpointNames,
            int perCheckpoint,
            Long realDatasetId,
            int realCount,
            int repeatPercent,
            long seed,
            List<String> raters,
            Eligibility rule,
            boolean matchTissue) {

        boolean pairs() {
            return mode == ReviewMode.TWO_AFC;
        }

        /** What {@link ReviewDraws} draws for this session. */
        ReviewDraws.Request drawRequest() {
            return new ReviewDraws.Request(
                    selection,
                    source.id(),
                    checkpointIds,
                    sets,
                    perCheckpoint,
                    realDatasetId,
                    realCount,
                    pairs(),
                    rule,
                    matchTissue,
                    seed,
                    checkpointNames);
        }

        /** The session row, created {@code at} by {@code by}. */
        ReviewSession session(String by, Instant at) {
            return new ReviewSession(
                    0,
                    name,
                    mode,
                    instructions,
                    criteria,
                    showSource,
                    selection,
                    source.id(),
                    realDatasetId,
                    perCheckpoint,
                    realCount,
                    repeatPercent,
                    seed,
                    by,
                    at);
        }
    }

    private final ReviewStore store;
    private final Catalog catalog;
    private final Checkpoints checkpoints;
    private final Accounts accounts;

    NewSessionRules(ReviewStore store, Catalog catalog, Checkpoints checkpoints, Accounts accounts) {
        this.store = store;
        this.catalog = catalog;
        this.checkpoints = checkpoints;
        this.accounts = accounts;
    }

    Checked check(Reviews.NewSession f) {
        String name = name(f.name());
        if (f.mode() == null) {
            throw new IllegalArgumentException("Choose a mode.");
        }
        String instructions = f.instructions() == null ? "" : f.instructions().trim();
        if (instructions.length() > 4000) {
            throw new IllegalArgumentException("Instructions are at most 4000 characters.");
        }
        String criteria = f.mode() == ReviewMode.LIKERT ? normaliseCriteria(f.criteria()) : null;
        String selection = f.selection() == null ? ReviewSession.GALLERY : f.selection();
        if (!selection.equals(ReviewSession.RANDOM) && !selection.equals(ReviewSession.GALLERY)) {
            throw new IllegalArgumentException(
                    "Tiles come from matched rows (GALLERY) or a random sample per checkpoint (RANDOM).");
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
        Map<Long, String> names = new LinkedHashMap<>();
        for (long ck : cks) {
            String ckName = checkpoints
                    .find(ck)
                    .orElseThrow(() -> new IllegalArgumentException("No checkpoint " + ck + "."))
                    .name();
            names.put(ck, ckName);
            GeneratedSet set = checkpoints.sets(ck).stream()
                    .filter(s -> s.sourceDatasetId() == source.id())
                    .filter(s -> s.status() == GeneratedSetStatus.READY)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "Checkpoint '" + ckName + "' has no ready generated set on '" + source.name() + "'."));
            sets.put(ck, set);
        }
        if (f.perCheckpoint() < 1 || f.perCheckpoint() > MAX_PER_CHECKPOINT) {
            throw new IllegalArgumentException(
                    "Tiles per checkpoint must be between 1 and " + MAX_PER_CHECKPOINT + ".");
        }
        if (f.repeatPercent() < 0 || f.repeatPercent() > 50) {
            throw new IllegalArgumentException("Repeated items must be between 0 and 50 %.");
        }
        boolean pairs = f.mode() == ReviewMode.TWO_AFC;
        int realCount = pairs ? 0 : f.realCount();
        if (realCount < 0 || realCount > MAX_REAL) {
            throw new IllegalArgumentException("Real control tiles must be between 0 and " + MAX_REAL + ".");
        }
        Long realDataset = realDataset(f, pairs, realCount);
        showSource(f, realCount);
        List<String> raters = raters(f.raters());
        Eligibility rule = f.rule() == null ? Eligibility.DEFAULT : f.rule();
        if (f.matchTissue() && !pairs && realCount == 0) {
            throw new IllegalArgumentException(
                    "Matching on tissue fraction needs real controls (2AFC, or real control tiles > 0).");
        }
        return new Checked(
                name,
                f.mode(),
                instructions,
                criteria,
                f.showSource(),
                selection,
                source,
                cks,
                sets,
                names,
                f.perCheckpoint(),
                realDataset,
                realCount,
                f.repeatPercent(),
                f.seed(),
                raters,
                rule,
                f.matchTissue());
    }

    private String name(String raw) {
        String name = raw == null ? "" : raw.trim();
        if (name.isEmpty() || name.length() > 200) {
            throw new IllegalArgumentException("Give the session a name of 1–200 characters.");
        }
        Names.check("The session name", raw);
        if (store.nameTaken(name)) {
            throw new IllegalArgumentException("A review session named '" + name + "' already exists.");
        }
        return name;
    }

    private Long realDataset(Reviews.NewSession f, boolean pairs, int realCount) {
        Long realDataset = f.realDatasetId();
        if ((pairs || realCount > 0) && realDataset == null) {
            throw new IllegalArgumentException(
                    pairs
                            ? "Two-alternative forced choice needs a real IHC dataset."
                            : "Choose the real IHC dataset the controls come from.");
        }
        if (realDataset != null) {
            Dataset real = catalog.requireReal(realDataset, "the real controls");
            if (real.stain() != Stain.IHC) {
                throw new IllegalArgumentException(
                        "Real controls must come from an IHC dataset; '" + real.name() + "' is H&E.");
            }
        }
        return realDataset;
    }

    private static void showSource(Reviews.NewSession f, int realCount) {
        if (!f.showSource()) {
            return;
        }
        if (f.mode() == ReviewMode.TWO_AFC || f.mode() == ReviewMode.REAL_OR_VIRTUAL) {
            throw new IllegalArgumentException("The H&E source cannot be shown when raters judge real versus virtual:"
                    + " it would tell them which tile is generated.");
        }
        if (realCount > 0) {
            throw new IllegalArgumentException("The H&E source cannot be shown with real controls: real tiles have no"
                    + " H&E source, so its absence would reveal them.");
        }
    }

    private List<String> raters(List<String> given) {
        List<String> raters = given == null ? List.of() : List.copyOf(new LinkedHashSet<>(given));
        Set<String> pathologists = Set.copyOf(accounts.usernamesWithRole(Role.PATHOLOGIST));
        for (String r : raters) {
            if (!pathologists.contains(r)) {
                throw new IllegalArgumentException("'" + r + "' is not an enabled pathologist account.");
            }
        }
        return raters;
    }

    /** Likert criteria, one per line: 1–12 distinct lines of at most 200 characters without commas. */
    static String normaliseCriteria(String text) {
        List<String> list = text == null
                ? List.of()
                : text.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("Likert sessions need at least one criterion (one per line).");
        }
        if (list.size() > 12) {
            throw new IllegalArgumentException("At most 12 criteria.");
        }
        for (String c : list) {
            if (c.length() > 200 || c.contains(",")) {
                throw new IllegalArgumentException(
                        "A criterion is at most 200 characters, without commas: '" + c + "'.");
            }
        }
        if (new LinkedHashSet<>(list).size() != list.size()) {
            throw new IllegalArgumentException("Criteria must differ from each other.");
        }
        return String.join("\n", list);
    }
}
