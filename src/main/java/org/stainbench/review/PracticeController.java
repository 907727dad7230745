package org.stainbench.review;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
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
    private final RaterScreens screens;

    PracticeController(Reviews reviews, StudyDesigns designs, Practice practice, RaterScreens screens) {
        this.reviews = reviews;
        this.designs = designs;
        this.practice = practice;
        this.screens = screens;
    }

    private ReviewSession assigned(long id, Authentication auth) {
        return screens.assigned(id, auth, "practise", "");
    }

    @GetMapping("/review/sessions/{id}/practice")
    String current(@PathVariable long id, Authentication auth, Model model, HttpServletResponse response) {
        return show(assigned(id, auth), practice.next(id, auth.getName()).orElse(null), false, auth, model, response);
    }

    @HxRequest
    @GetMapping("/review/sessions/{id}/practice")
    String currentFragment(@PathVariable long id, Authentication auth, Model model, HttpServletResponse response) {
        return show(assigned(id, auth), practice.next(id, auth.getName()).orElse(null), true, auth, model, response);
    }

    @GetMapping("/review/sessions/{id}/practice/{step}")
    String step(
            @PathVariable long id,
            @PathVariable int step,
            Authentication auth,
            Model model,
            HttpServletResponse response) {
        return step(id, step, false, auth, model, response);
    }

    @HxRequest
    @GetMapping("/review/sessions/{id}/practice/{step}")
    String stepFragment(
            @PathVariable long id,
            @PathVariable int step,
            Authentication auth,
            Model model,
            HttpServletResponse response) {
        return step(id, step, true, auth, model, response);
    }

    private String step(long id, int step, boolean hx, Authentication auth, Model model, HttpServletResponse response) {
        ReviewSession s = assigned(id, auth);
        if (step < 1 || step > practice.items(id).size()) {
            throw new Reviews.NotFound("No practice item " + step + " in this session.");
        }
        return show(s, step - 1, hx, auth, model, response);
    }

    private String show(
            ReviewSession s, Integer step, boolean hx, Authentication auth, Model model, HttpServletResponse response) {
        List<Practice.Item> items = practice.items(s.id());
        Map<Long, Practice.Answer> answers = practice.answers(s.id(), auth.getName());
        screens.common(model, s, items.size(), answers.size(), response);
        if (step != null) {
            Practice.Item it = items.get(step);
            Practice.Answer a = answers.get(it.id());
            model.addAttribute("step", step);
            model.addAttribute("item", it);
            model.addAttribute("answer", a);
            model.addAttribute("scores", a == null ? List.of() : a.scoreList());
            model.addAttribute("feedback", a == null ? null : practice.feedback(s, it, a));
            model.addAttribute(
                    "nextHref",
                    step + 1 < items.size()
                            ? "/review/sessions/" + s.id() + "/practice/" + (step + 2)
                            : "/review/sessions/" + s.id() + "/practice");
        }
        return hx ? "review/practice :: rater" : "review/practice";
    }

    @PostMapping("/review/sessions/{id}/practice/{step}")
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
    @PostMapping("/review/sessions/{id}/practice/{step}")
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
        try {
            practice.answer(
                    s,
                    auth.getName(),
                    step - 1,
                    form.choice(),
                    form.confidenceValue(),
                    form.scoreValues(s.criteriaList().size()),
                    form.fractionValue());
        } catch (IllegalArgumentException e) {
            if (hx) {
                return RaterScreens.refused(e.getMessage(), model, response);
            }
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/review/sessions/" + id + "/practice/" + step;
        }
        if (hx) {
            return show(s, step - 1, hx, auth, model, response);
        }
        return "redirect:/review/sessions/" + id + "/practice/" + step;
    }

    @GetMapping("/review/practice/images/{token}")
    ResponseEntity<byte[]> image(@PathVariable String token, Authentication auth) {
        Optional<Map.Entry<Long, RgbTile>> found = practice.image(token);
        if (found.isEmpty()
                || !ReviewAccess.has(auth, "SUPERVISOR")
                        && (!reviews.isRater(found.get().getKey(), auth.getName())
                                || designs.disabledAt(found.get().getKey(), auth.getName())
                                        .isPresent())) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.noStore().cachePrivate())
                .body(ReviewImages.png(found.get().getValue()));
    }
}
