package org.stainbench.review;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;


import jakarta.servlet.http.HttpServletResponse;

import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The pathologist's side: the landing page (assigned sessions, or for the team every session), the rating screen
 * (one item per screen, htmx, full-page twin at the same URL); the blinded images are {@link ReviewImagesController}'s.
 * Raters see only opaque tokens.
 */
@Controller
class ReviewController {

    static final int PAGE = 30;

    private final Reviews reviews;
    private final StudyDesigns designs;
    private final Practice practice;

    ReviewController(Reviews reviews, StudyDesigns designs, Practice practice) {
        this.reviews = reviews;
        this.designs = designs;
        this.practice = practice;
    }

    record Assigned(ReviewSession session, long answered, int total) {
    }

    @GetMapping("/review")
    String landing(@RequestParam(defaultValue = "0") int page, Authentication auth, Model model) {
        List<Assigned> mine = new ArrayList<>();
        for (ReviewSession s : reviews.sessionsOf(auth.getName())) {
            mine.add(new Assigned(s, reviews.answered(s.id(), auth.getName()), reviews.steps(s, auth.getName()).size()));
        }
        model.addAttribute("assigned", mine);
        if (ReviewAccess.has(auth, "SUPERVISOR")) {
            int p = Math.max(0, page);
            List<ReviewSession> list = reviews.sessions(p * PAGE, PAGE);
            Map<Long, Long> answers = new LinkedHashMap<>();
            Map<Long, Integer> raters = new LinkedHashMap<>();
            for (ReviewSession s : list) {
                answers.put(s.id(), reviews.answerCount(s.id()));
                raters.put(s.id(), reviews.raters(s.id()).size());
            }
            model.addAttribute("page", new PageImpl<>(list, PageRequest.of(p, PAGE), reviews.count()));
            model.addAttribute("answerCounts", answers);
            model.addAttribute("raterCounts", raters);
        }
        return "review/index";
    }

    // rating

    private ReviewSession assigned(long id, Authentication auth) {
        Optional<ReviewSession> s = reviews.find(id);
        if (s.isEmpty() || !reviews.isRater(id, auth.getName())) {
            if (s.isPresent() && ReviewAccess.has(auth, "SUPERVISOR")) {
                throw new AccessDeniedException("Only the session's raters score it.");
            }
            // a pathologist learns nothing about sessions not assigned to them, not even that they exist
            throw new Reviews.NotFound("No review session " + id + " is assigned to you.");
        }
        if (designs.disabledAt(id, auth.getName()).isPresent()) {
            throw new StudyDesigns.RaterDisabled("A team member has disabled you as a rater of this session; your answers"
                    + " are kept. Ask them to enable you again to go on.");
        }
        return s.get();
    }

    @GetMapping("/review/sessions/{id}/rate")
    String current(@PathVariable long id, @RequestHeader(value = "HX-Request", required = false) String hx,
                   Authentication auth, Model model, HttpServletResponse response) {
        ReviewSession s = assigned(id, auth);
        if (practice.pending(id, auth.getName())) {
            return "redirect:/review/sessions/" + id + "/practice";
        }
        return show(s, reviews.showing(s, auth.getName(), null), hx, auth, model, response);
    }

    @GetMapping("/review/sessions/{id}/rate/{step}")
    String step(@PathVariable long id, @PathVariable int step, @RequestHeader(value = "HX-Request", required = false) String hx,
                Authentication auth, Model model, HttpServletResponse response, RedirectAttributes flash) {
        ReviewSession s = assigned(id, auth);
        if (practice.pending(id, auth.getName())) {
            return "redirect:/review/sessions/" + id + "/practice";
        }
        try {
            return show(s, reviews.showing(s, auth.getName(), step - 1), hx, auth, model, response);
        } catch (StudyDesigns.Refused e) {
            // not allowed by the session's design: the current item, with the reason
            if (hx != null) {
                model.addAttribute("refused", e.getMessage());
                response.setHeader("HX-Push-Url", "/review/sessions/" + id + "/rate");
                return show(s, reviews.showing(s, auth.getName(), null), hx, auth, model, response);
            }
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/review/sessions/" + id + "/rate";
        }
    }

    private String show(ReviewSession s, Optional<Reviews.Showing> showing, String hx, Authentication auth, Model model,
                        HttpServletResponse response) {
        int total = reviews.steps(s, auth.getName()).size();
        long answered = reviews.answered(s.id(), auth.getName());
        model.addAttribute("s", rated(s));
        model.addAttribute("total", total);
        model.addAttribute("answered", answered);
        model.addAttribute("showing", showing.orElse(null));
        model.addAttribute("criteria", s.criteriaList());
        model.addAttribute("markerScores", ReviewMode.MARKER_SCORES);
        StudyDesign design = designs.design(s.id());
        model.addAttribute("allowBack", design.allowBack());
        model.addAttribute("allowChange", design.allowChange());
        showing.filter(x -> x.answer() == null)
                .ifPresent(x -> designs.shown(s.id(), auth.getName(), x.item().id(), x.repeatNo()));
        model.addAttribute("scores", showing.flatMap(x -> Optional.ofNullable(x.answer())).map(ReviewAnswer::scoreList)
                .orElse(List.of()));
        response.setHeader("Cache-Control", "no-store");
        return hx != null ? "review/rate :: rater" : "review/rate";
    }

    /** What a rater may know of the session: name, mode, instructions, criteria, whether a source is shown. */
    record Rated(long id, String name, ReviewMode mode, String instructions, List<String> criteria, boolean showSource) {
    }

    static Rated rated(ReviewSession s) {
        return new Rated(s.id(), s.name(), s.mode(), s.instructions(), s.criteriaList(), s.showSource());
    }

    @PostMapping("/review/sessions/{id}/rate/{step}")
    String answer(@PathVariable long id, @PathVariable int step, @RequestParam Map<String, String> params,
                  @RequestHeader(value = "HX-Request", required = false) String hx, Authentication auth, Model model,
                  HttpServletResponse response, RedirectAttributes flash) {
        ReviewSession s = assigned(id, auth);
        List<Integer> scores = new ArrayList<>();
        for (int c = 0; c < s.criteriaList().size(); c++) {
            scores.add(integer(params.get("s" + c)));
        }
        Optional<Integer> next;
        try {
            if (practice.pending(id, auth.getName())) {
                throw new IllegalArgumentException("Finish the practice block first: its answers are not counted.");
            }
            next = reviews.answer(s, auth.getName(), step - 1, params.get("choice"), integer(params.get("confidence")),
                    scores, decimal(params.get("fraction")), params.get("note"));
        } catch (IllegalArgumentException e) {
            if (hx != null) {
                // htmx swaps only 2xx responses: the message goes into the error slot, the item stays as it was
                model.addAttribute("error", e.getMessage());
                response.setHeader("HX-Retarget", "#rater-error");
                response.setHeader("HX-Reswap", "innerHTML");
                return "review/rate :: error";
            }
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/review/sessions/" + id + "/rate/" + step;
        }
        String to = next.map(n -> "/review/sessions/" + id + "/rate/" + (n + 1)).orElse("/review/sessions/" + id + "/rate");
        if (hx != null) {
            response.setHeader("HX-Push-Url", to);
            return show(s, next.isEmpty() ? Optional.empty() : reviews.showing(s, auth.getName(), next.get()), hx, auth,
                    model, response);
        }
        return "redirect:" + to;
    }

    static Integer integer(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number.");
        }
    }

    static Double decimal(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a number.");
        }
    }
}
