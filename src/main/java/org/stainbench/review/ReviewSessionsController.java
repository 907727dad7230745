package org.stainbench.review;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.checkpoints.GeneratedSetStatus;

/** The team's side of review: create and edit sessions (members), session page and results with CSV (supervisors). */
@Controller
class ReviewSessionsController {

    private final Reviews reviews;
    private final Catalog catalog;
    private final Checkpoints checkpoints;
    private final Accounts accounts;
    private final SecureRandom seeds = new SecureRandom();
    private final StudyDesigns designs;
    private final RaterProgress progress;
    private final ReviewAnswersCsv answersCsv;

    ReviewSessionsController(
            Reviews reviews,
            Catalog catalog,
            Checkpoints checkpoints,
            Accounts accounts,
            StudyDesigns designs,
            RaterProgress progress,
            ReviewAnswersCsv answersCsv) {
        this.designs = designs;
        this.progress = progress;
        this.answersCsv = answersCsv;
        this.reviews = reviews;
        this.catalog = catalog;
        this.checkpoints = checkpoints;
        this.accounts = accounts;
    }

    /** A checkpoint with a ready generated set on a source dataset, for the form. */
    record Choice(Checkpoint checkpoint, long sourceDatasetId, String sourceName) {}

    @GetMapping("/review/sessions/new")
    String form(Authentication auth, Model model) {
        reviews.mayCreate(auth);
        if (!model.containsAttribute("f")) {
            Map<String, Object> f = new HashMap<>();
            f.put("mode", ReviewMode.TWO_AFC.name());
            f.put("criteria", String.join("\n", ReviewMode.CK7_CRITERIA));
            f.put("perCheckpoint", 10);
            f.put("realCount", 10);
            f.put("repeatPercent", 10);
            f.put("seed", seeds.nextLong(1, 1_000_000_000L));
            f.put("selection", ReviewSession.GALLERY);
            f.put("informativeOnly", "on");
            f.put("minTissue", Eligibility.DEFAULT.minTissue());
            f.put("minCenter", Eligibility.DEFAULT.minCenter());
            f.put(
                    "instructions",
                    "Judge each tile as you would a CK7 slide. Answer with the keyboard; every answer is"
                            + " saved at once and you can stop and resume at any time.");
            model.addAttribute("f", f);
        }
        formModel(model);
        return "review/new";
    }

    private void formModel(Model model) {
        List<Choice> choices = new ArrayList<>();
        Map<Long, String> names = new HashMap<>();
        for (Dataset d : catalog.datasets()) {
            names.put(d.id(), d.name());
        }
        for (GeneratedSet s : checkpoints.allSets()) {
            if (s.status() == GeneratedSetStatus.READY) {
                checkpoints
                        .find(s.checkpointId())
                        .ifPresent(c -> choices.add(new Choice(
                                c,
                                s.sourceDatasetId(),
                                names.getOrDefault(s.sourceDatasetId(), "dataset " + s.sourceDatasetId()))));
            }
        }
        model.addAttribute("choices", choices);
        model.addAttribute(
                "sources",
                catalog.datasets().stream()
                        .filter(d -> d.stain() == Stain.HE)
                        .filter(d -> choices.stream().anyMatch(c -> c.sourceDatasetId() == d.id()))
                        .toList());
        model.addAttribute("realDatasets", catalog.realDatasets(Stain.IHC));
        model.addAttribute("pathologists", accounts.usernamesWithRole(Role.PATHOLOGIST));
        model.addAttribute("modes", ReviewMode.values());
        model.addAttribute("navigations", StudyDesign.Navigation.values());
    }

    @PostMapping("/review/sessions")
    String create(NewSessionForm form, Authentication auth, RedirectAttributes flash) {
        try {
            ReviewSession s = reviews.create(form, auth);
            flash.addFlashAttribute("message", "Created review session '" + s.name() + "'.");
            return "redirect:/review/sessions/" + s.id();
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            flash.addFlashAttribute("f", form.echo());
            return "redirect:/review/sessions/new";
        }
    }

    /** The session-settings form: name, instructions, Likert criteria. */
    record EditForm(String name, String instructions, String criteria) {}

    record RaterRow(String username, long answered, int total) {}

    /** One pool of the draw, for the session page: eligible of total. */
    record PoolRow(String label, int eligible, int total) {}

    @GetMapping("/review/sessions/{id}")
    String session(@PathVariable long id, Authentication auth, Model model) {
        ReviewSession s = reviews.requireForTeam(id, auth);
        List<ReviewItem> items = reviews.items(id);
        List<RaterRow> raters = new ArrayList<>();
        for (ReviewStore.Rater r : reviews.raters(id)) {
            raters.add(new RaterRow(
                    r.username(),
                    reviews.answered(id, r.username()),
                    reviews.steps(s, r.username()).size()));
        }
        long answers = reviews.answerCount(id);
        model.addAttribute("s", s);
        model.addAttribute("items", items.size());
        model.addAttribute("repeats", RaterSequence.repeats(items.size(), s.repeatPercent()));
        model.addAttribute("raters", raters);
        model.addAttribute("answers", answers);
        model.addAttribute("locked", answers > 0);
        model.addAttribute("source", catalog.dataset(s.sourceDatasetId()).orElse(null));
        model.addAttribute(
                "real",
                s.realDatasetId() == null
                        ? null
                        : catalog.dataset(s.realDatasetId()).orElse(null));
        model.addAttribute(
                "candidates",
                accounts.usernamesWithRole(Role.PATHOLOGIST).stream()
                        .filter(u -> raters.stream().noneMatch(r -> r.username().equals(u)))
                        .toList());
        Map<Long, Long> perCheckpoint = new LinkedHashMap<>();
        for (ReviewItem i : items) {
            if (!i.real()) {
                perCheckpoint.merge(i.checkpointId(), 1L, Long::sum);
            }
        }
        Map<String, Long> groups = new LinkedHashMap<>();
        perCheckpoint.forEach((ck, n) -> groups.put(checkpointName(ck), n));
        model.addAttribute("groups", groups);
        model.addAttribute("design", designs.design(id));
        model.addAttribute("progress", progress.of(s));
        model.addAttribute("realItems", items.stream().filter(ReviewItem::real).count());
        ReviewSampling sampling = reviews.sampling(id).orElse(null);
        model.addAttribute("sampling", sampling);
        model.addAttribute(
                "pools",
                sampling == null
                        ? List.of()
                        : sampling.pools().stream()
                                .map(p -> new PoolRow(
                                        switch (p.kind()) {
                                            case ReviewSampling
                                                    .POOL_ROWS -> "source indices with a tile in every checkpoint";
                                            case ReviewSampling.POOL_REAL -> "real IHC tiles";
                                            default -> "generated by " + checkpointName(p.checkpointId());
                                        },
                                        p.eligible(),
                                        p.total()))
                                .toList());
        return "review/session";
    }

    String checkpointName(Long id) {
        return id == null ? "–" : checkpoints.find(id).map(Checkpoint::name).orElse("checkpoint " + id);
    }

    @PostMapping("/review/sessions/{id}/edit")
    String edit(@PathVariable long id, EditForm form, Authentication auth, RedirectAttributes flash) {
        try {
            reviews.edit(id, form.name(), form.instructions(), form.criteria(), auth);
            flash.addFlashAttribute("message", "Saved.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/review/sessions/" + id;
    }

    @PostMapping("/review/sessions/{id}/raters")
    String addRater(
            @PathVariable long id,
            @RequestParam(required = false) String username,
            Authentication auth,
            RedirectAttributes flash) {
        try {
            reviews.addRater(id, username, auth);
            flash.addFlashAttribute("message", "Added rater '" + username + "'.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/review/sessions/" + id;
    }

    @PostMapping("/review/sessions/{id}/raters/{username}/remove")
    String removeRater(
            @PathVariable long id, @PathVariable String username, Authentication auth, RedirectAttributes flash) {
        try {
            reviews.removeRater(id, username, auth);
            flash.addFlashAttribute("message", "Removed rater '" + username + "'.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/review/sessions/" + id;
    }

    @PostMapping("/review/sessions/{id}/delete")
    String delete(@PathVariable long id, Authentication auth, RedirectAttributes flash) {
        try {
            reviews.delete(id, auth);
            flash.addFlashAttribute("message", "Deleted the review session.");
            return "redirect:/review";
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/review/sessions/" + id;
        }
    }

    /** One item in the results table: what it was, with links back to tiles and checkpoint. */
    record ItemRow(
            int position,
            String token,
            String kind,
            String group,
            Long checkpointId,
            Long tileId,
            Long realTileId,
            Long sourceTileId,
            String realSide,
            long answers) {}

    /** Everything the results page, its methods paragraph and the methods text are computed from. */
    private record Computed(
            ReviewSession s,
            List<ReviewItem> items,
            List<String> raters,
            List<ReviewAnswer> answers,
            Function<Long, String> name,
            ReviewResults.Results r,
            ReviewMethods.Context methods) {}

    private Computed compute(long id) {
        ReviewSession s = reviews.require(id);
        List<ReviewItem> items = reviews.items(id);
        List<String> raters =
                reviews.raters(id).stream().map(ReviewStore.Rater::username).toList();
        List<ReviewAnswer> answers = reviews.answers(id);
        Map<Long, String> names = new HashMap<>();
        Function<Long, String> name = ck -> names.computeIfAbsent(ck, this::checkpointName);
        ReviewResults.Results r = ReviewResults.compute(s, items, raters, answers, name, reviews.shownAt(id), true);
        String source =
                catalog.dataset(s.sourceDatasetId()).map(Dataset::name).orElse("dataset " + s.sourceDatasetId());
        String real = s.realDatasetId() == null
                ? "–"
                : catalog.dataset(s.realDatasetId()).map(Dataset::name).orElse("dataset " + s.realDatasetId());
        ReviewMethods.Context methods = new ReviewMethods.Context(
                s,
                items,
                raters,
                answers,
                r,
                name,
                source,
                real,
                RaterSequence.repeats(items.size(), s.repeatPercent()),
                reviews.sampling(id).orElse(null),
                designs.design(id));
        return new Computed(s, items, raters, answers, name, r, methods);
    }

    @GetMapping("/review/sessions/{id}/results")
    String results(@PathVariable long id, Authentication auth, Model model) {
        reviews.requireForTeam(id, auth);
        Computed c = compute(id);
        ReviewSession s = c.s();
        List<ReviewItem> items = c.items();
        List<ReviewAnswer> answers = c.answers();
        Function<Long, String> name = c.name();
        model.addAttribute("s", s);
        model.addAttribute("r", c.r());
        model.addAttribute("methods", ReviewMethods.paragraphs(c.methods()));
        Map<Long, Long> answerCounts = new HashMap<>();
        for (ReviewAnswer a : answers) {
            answerCounts.merge(a.itemId(), 1L, Long::sum);
        }
        List<ItemRow> rows = new ArrayList<>();
        for (ReviewItem i : items) {
            rows.add(new ItemRow(
                    i.position() + 1,
                    i.token(),
                    i.kind(),
                    ReviewResults.groupOf(i, name),
                    i.checkpointId(),
                    i.archiveId() == null
                            ? null
                            : catalog.tileId(i.archiveId(), i.tileIndex()).orElse(null),
                    i.realArchiveId() == null
                            ? null
                            : catalog.tileId(i.realArchiveId(), i.realIndex()).orElse(null),
                    i.sourceArchiveId() == null
                            ? null
                            : catalog.tileId(i.sourceArchiveId(), i.sourceIndex())
                                    .orElse(null),
                    i.realLeft() == null ? null : i.realLeft() ? "left" : "right",
                    answerCounts.getOrDefault(i.id(), 0L)));
        }
        model.addAttribute("items", rows);
        model.addAttribute("raters", c.raters());
        return "review/results";
    }

    /** The methods paragraph as plain text (the same text as on the results page), for pasting into a paper. */
    @GetMapping("/review/sessions/{id}/methods.txt")
    ResponseEntity<byte[]> methods(@PathVariable long id, Authentication auth) {
        reviews.requireForTeam(id, auth);
        Computed c = compute(id);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"review-" + id + "-methods.txt\"")
                .body(ReviewMethods.text(c.methods()).getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping("/review/sessions/{id}/answers.csv")
    ResponseEntity<byte[]> csv(@PathVariable long id, Authentication auth) {
        byte[] csv = answersCsv.export(id, auth).getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"review-" + id + "-answers.csv\"")
                .body(csv);
    }
}
