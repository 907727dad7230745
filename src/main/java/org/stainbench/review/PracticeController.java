package org.stainbench.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
import org.stainbench.tiles.RgbTile;

/**
 * The practice block of a session (raters of the session only, like the rating screen): one item per screen with the
 * same keys, each answer followed by its feedback; then the study. Practice images at
 * {@code /review/practice/images/{token}} (the session's enabled raters and supervisors).
 */
@Controller
class PracticeController {

    private final Reviews reviews;
    private final StudyDesigns designs;
    private final Practice practice;

    PracticeController(Reviews reviews, StudyDesigns designs, Practice practice) {
        this.reviews = reviews;
        this.designs = designs;
        this.practice = practice;
    }

    private ReviewSession assigned(long id, Authentication auth) {
        Optional<ReviewSession> s = reviews.find(id);
        if (s.isEmpty() || !reviews.isRater(id, auth.getName())) {
            if (s.isPresent() && ReviewAccess.has(auth, "SUPERVISOR")) {
                throw new AccessDeniedException("Only the session's raters practise.");
            }
            throw new Reviews.NotFound("No review session " + id + " is assigned to you.");
        }
        if (designs.disabledAt(id, auth.getName()).isPresent()) {
            throw new StudyDesigns.RaterDisabled("A team member has disabled you as a rater of this session; your answers"
                    + " are kept.");
        }
        return s.get();
    }

    @GetMapping("/review/sessions/{id}/practice")
    String current(@PathVariable long id, @RequestHeader(value = "HX-Request", required = false) String hx,
                   Authentication auth, Model model, HttpServletResponse response) {
        ReviewSession s = assigned(id, auth);
        return show(s, practice.next(id, auth.getName()).orElse(null), hx, auth, model, response);
    }

    @GetMapping("/review/sessions/{id}/practice/{step}")
    String step(@PathVariable long id, @PathVariable int step, @RequestHeader(value = "HX-Request", required = false) String hx,
                Authentication auth, Model model, HttpServletResponse response) {
        ReviewSession s = assigned(id, auth);
        if (step < 1 || step > practice.items(id).size()) {
            throw new Reviews.NotFound("No practice item " + step + " in this session.");
        }
        return show(s, step - 1, hx, auth, model, response);
    }

    private String show(ReviewSession s, Integer step, String hx, Authentication auth, Model model,
                        HttpServletResponse response) {
        List<Practice.Item> items = practice.items(s.id());
        Map<Long, Practice.Answer> answers = practice.answers(s.id(), auth.getName());
        model.addAttribute("s", ReviewController.rated(s));
        model.addAttribute("total", items.size());
        model.addAttribute("answered", answers.size());
        model.addAttribute("criteria", s.criteriaList());
        model.addAttribute("markerScores", ReviewMode.MARKER_SCORES);
        if (step != null) {
            Practice.Item it = items.get(step);
            Practice.Answer a = answers.get(it.id());
            model.addAttribute("step", step);
            model.addAttribute("item", it);
            model.addAttribute("answer", a);
            model.addAttribute("scores", a == null ? List.of() : a.scoreList());
            model.addAttribute("feedback", a == null ? null : practice.feedback(s, it, a));
            model.addAttribute("nextHref", step + 1 < items.size()
                    ? "/review/sessions/" + s.id() + "/practice/" + (step + 2) : "/review/sessions/" + s.id() + "/practice");
        }
        response.setHeader("Cache-Control", "no-store");
        return hx != null ? "review/practice :: rater" : "review/practice";
    }

    @PostMapping("/review/sessions/{id}/practice/{step}")
    String answer(@PathVariable long id, @PathVariable int step, @RequestParam Map<String, String> params,
                  @RequestHeader(value = "HX-Request", required = false) String hx, Authentication auth, Model model,
                  HttpServletResponse response, RedirectAttributes flash) {
        ReviewSession s = assigned(id, auth);
        try {
            List<Integer> scores = new ArrayList<>();
            for (int c = 0; c < s.criteriaList().size(); c++) {
                scores.add(ReviewController.integer(params.get("s" + c)));
            }
            practice.answer(s, auth.getName(), step - 1, params.get("choice"), ReviewController.integer(params.get("confidence")),
                    scores, ReviewController.decimal(params.get("fraction")));
        } catch (IllegalArgumentException e) {
            if (hx != null) {
                model.addAttribute("error", e.getMessage());
                response.setHeader("HX-Retarget", "#rater-error");
                response.setHeader("HX-Reswap", "innerHTML");
                return "review/rate :: error";
            }
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/review/sessions/" + id + "/practice/" + step;
        }
        if (hx != null) {
            return show(s, step - 1, hx, auth, model, response);
        }
        return "redirect:/review/sessions/" + id + "/practice/" + step;
    }

    @GetMapping("/review/practice/images/{token}")
    ResponseEntity<byte[]> image(@PathVariable String token, Authentication auth) {
        Optional<Map.Entry<Long, RgbTile>> found = practice.image(token);
        if (found.isEmpty() || !ReviewAccess.has(auth, "SUPERVISOR") && (!reviews.isRater(found.get().getKey(), auth.getName())
                || designs.disabledAt(found.get().getKey(), auth.getName()).isPresent())) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.noStore().cachePrivate()).body(ReviewImages.png(found.get().getValue()));
    }
}
