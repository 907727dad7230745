package org.stainbench.review;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
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
    private final RaterScreens screens;

    ReviewController(Reviews reviews, StudyDesigns designs, Practice practice, RaterScreens screens) {
        this.reviews = reviews;
        this.designs = designs;
        this.practice = practice;
        this.screens = screens;
    }

    record Assigned(ReviewSession session, long answered, int total) {}

    @GetMapping("/review")
    String landing(@RequestParam(defaultValue = "0") int page, Authentication auth, Model model) {
        List<Assigned> mine = new ArrayList<>();
        for (ReviewSession s : reviews.sessionsOf(auth.getName())) {
            mine.add(new Assigned(
                    s,
                    reviews.answered(s.id(), auth.getName()),
                    reviews.steps(s, auth.getName()).size()));
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

    // rating: each screen has a full-page method and an @HxRequest twin that answers htmx with the fragment

    private ReviewSession assigned(long id, Authentication auth) {
        return screens.assigned(id, auth, "score it", " Ask them to enable you again to go on.");
    }

    @GetMapping("/review/sessions/{id}/rate")
    String current(@PathVariable long id, Authentication auth, Model model, HttpServletResponse response) {
        return current(id, false, auth, model, response);
    }

    @HxRequest
    @GetMapping("/review/sessions/{id}/rate")
    String currentFragment(@PathVariable long id, Authentication auth, Model model, HttpServletResponse response) {
        return current(id, true, auth, model, response);
    }

    private String current(long id, boolean hx, Authentication auth, Model model, HttpServletResponse response) {
        ReviewSession s = assigned(id, auth);
        if (practice.pending(id, auth.getName())) {
            return "redirect:/review/sessions/" + id + "/practice";
        }
        return show(s, reviews.showing(s, auth.getName(), null), hx, auth, model, response);
    }

    @GetMapping("/review/sessions/{id}/rate/{step}")
    String step(
            @PathVariable long id,
            @PathVariable int step,
            Authentication auth,
            Model model,
            HttpServletResponse response,
            RedirectAttributes flash) {
        return step(id, step, false, auth, model, response, flash);
    }

    @HxRequest
    @GetMapping("/review/sessions/{id}/rate/{step}")
    String stepFragment(
            @PathVariable long id,
            @PathVariable int step,
            Authentication auth,
            Model model,
            HttpServletResponse response,
            RedirectAttributes flash) {
        return step(id, step, true, auth, model, response, flash);
    }

    private String step(
            long id,
            int step,
            boolean hx,
            Authentication auth,
            Model model,
            HttpServletResponse response,
            RedirectAttributes flash) {
        ReviewSession s = assigned(id, auth);
        if (practice.pending(id, auth.getName())) {
            return "redirect:/review/sessions/" + id + "/practice";
        }
        try {
            return show(s, reviews.showing(s, auth.getName(), step - 1), hx, auth, model, response);
        } catch (StudyDesigns.Refused e) {
            // not allowed by the session's design: the current item, with the reason
            if (hx) {
                model.addAttribute("refused", e.getMessage());
                response.setHeader("HX-Push-Url", "/review/sessions/" + id + "/rate");
                return show(s, reviews.showing(s, auth.getName(), null), hx, auth, model, response);
            }
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/review/sessions/" + id + "/rate";
        }
    }

    private String show(
            ReviewSession s,
            Optional<Reviews.Showing> showing,
            boolean hx,
            Authentication auth,
            Model model,
            HttpServletResponse response) {
        screens.common(
                model, s, reviews.steps(s, auth.getName()).size(), reviews.answered(s.id(), auth.getName()), response);
        model.addAttribute("showing", showing.orElse(null));
        StudyDesign design = designs.design(s.id());
        model.addAttribute("allowBack", design.allowBack());
        model.addAttribute("allowChange", design.allowChange());
        showing.filter(x -> x.answer() == null)
                .ifPresent(x -> designs.shown(s.id(), auth.getName(), x.item().id(), x.repeatNo()));
        model.addAttribute(
                "scores",
                showing.flatMap(x -> Optional.ofNullable(x.answer()))
                        .map(ReviewAnswer::scoreList)
                        .orElse(List.of()));
        return hx ? "review/rate :: rater" : "review/rate";
    }

    /** What a rater may know of the session: name, mode, instructions, criteria, whether a source is shown. */
    record Rated(
            long id, String name, ReviewMode mode, String instructions, List<String> criteria, boolean showSource) {}

    static Rated rated(ReviewSession s) {
        return new Rated(s.id(), s.name(), s.mode(), s.instructions(), s.criteriaList(), s.showSource());
    }

    @PostMapping("/review/sessions/{id}/rate/{step}")
    String answer(
            @PathVariable long id,
            @PathVariable int step,
            AnswerForm form,
            Authentication auth,
            Model model,
            HttpServletResponse response,
            RedirectAttributes flash) {
        return answer(id, step, form, false, auth, model, response, flash);
    }

    @HxRequest
    @PostMapping("/review/sessions/{id}/rate/{step}")
    String answerFragment(
            @PathVariable long id,
            @PathVariable int step,
            AnswerForm form,
            Authentication auth,
            Model model,
            HttpServletResponse response,
            RedirectAttributes flash) {
        return answer(id, step, form, true, auth, model, response, flash);
    }

    private String answer(
            long id,
            int step,
            AnswerForm form,
            boolean hx,
            Authentication auth,
            Model model,
            HttpServletResponse response,
            RedirectAttributes flash) {
        ReviewSession s = assigned(id, auth);
        List<Integer> scores = form.scoreValues(s.criteriaList().size());
        Optional<Integer> next;
        try {
            if (practice.pending(id, auth.getName())) {
                throw new IllegalArgumentException("Finish the practice block first: its answers are not counted.");
            }
            next = reviews.answer(
                    s,
                    auth.getName(),
                    step - 1,
                    form.choice(),
                    form.confidenceValue(),
                    scores,
                    form.fractionValue(),
                    form.note());
        } catch (IllegalArgumentException e) {
            if (hx) {
                return RaterScreens.refused(e.getMessage(), model, response);
            }
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/review/sessions/" + id + "/rate/" + step;
        }
        String to =
                next.map(n -> "/review/sessions/" + id + "/rate/" + (n + 1)).orElse("/review/sessions/" + id + "/rate");
        if (hx) {
            response.setHeader("HX-Push-Url", to);
            return show(
                    s,
                    next.isEmpty() ? Optional.empty() : reviews.showing(s, auth.getName(), next.get()),
                    hx,
                    auth,
                    model,
                    response);
        }
        return "redirect:" + to;
    }
}
