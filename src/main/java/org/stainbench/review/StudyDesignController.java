package org.stainbench.review;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Disabling and enabling a session's raters at any time, also after answers (members; answers are kept). */
@Controller
class StudyDesignController {

    private final Reviews reviews;
    private final StudyDesigns designs;

    StudyDesignController(Reviews reviews, StudyDesigns designs) {
        this.reviews = reviews;
        this.designs = designs;
    }

    @PostMapping("/review/sessions/{id}/raters/{username}/disable")
    String disable(
            @PathVariable long id, @PathVariable String username, Authentication auth, RedirectAttributes flash) {
        return set(id, username, true, auth, flash);
    }

    @PostMapping("/review/sessions/{id}/raters/{username}/enable")
    String enable(@PathVariable long id, @PathVariable String username, Authentication auth, RedirectAttributes flash) {
        return set(id, username, false, auth, flash);
    }

    private String set(long id, String username, boolean disabled, Authentication auth, RedirectAttributes flash) {
        ReviewSession s = reviews.requireToChange(id, auth);
        try {
            designs.setDisabled(s, username, disabled, auth.getName());
            flash.addFlashAttribute(
                    "message",
                    (disabled ? "Disabled" : "Enabled") + " rater '" + username + "'"
                            + (disabled ? "; their answers are kept." : "."));
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/review/sessions/" + id;
    }
}
