package org.stainbench.review;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * What the rating screen ({@link ReviewController}) and the practice block ({@link PracticeController}) share, written
 * once: who may open a session's screen, the model every rater screen shows, and the htmx answer to a refused answer.
 */
@Component
class RaterScreens {

    private final Reviews reviews;
    private final ReviewStore store;
    private final StudyDesigns designs;

    RaterScreens(Reviews reviews, ReviewStore store, StudyDesigns designs) {
        this.reviews = reviews;
        this.store = store;
        this.designs = designs;
    }

    /**
     * The session, if the user is one of its enabled raters. A supervisor who does not rate it is refused (403,
     * "Only the session's raters {@code doing}."); anyone else learns nothing about it, not even that it exists (404);
     * a disabled rater is told so, followed by {@code disabledHint}.
     */
    ReviewSession assigned(long id, Authentication auth, String doing, String disabledHint) {
        Optional<ReviewSession> s = store.find(id);
        if (s.isEmpty() || !reviews.isRater(id, auth.getName())) {
            if (s.isPresent() && ReviewAccess.has(auth, "SUPERVISOR")) {
                throw new AccessDeniedException("Only the session's raters " + doing + ".");
            }
            throw new Reviews.NotFound("No review session " + id + " is assigned to you.");
        }
        if (designs.disabledAt(id, auth.getName()).isPresent()) {
            throw new StudyDesigns.RaterDisabled(
                    "A team member has disabled you as a rater of this session; your answers" + " are kept."
                            + disabledHint);
        }
        return s.get();
    }

    /** The model every rater screen shows: what a rater may know of the session, the counts, the scales. */
    void common(Model model, ReviewSession s, int total, long answered, HttpServletResponse response) {
        model.addAttribute("s", ReviewController.rated(s));
        model.addAttribute("total", total);
        model.addAttribute("answered", answered);
        model.addAttribute("criteria", s.criteriaList());
        model.addAttribute("markerScores", ReviewMode.MARKER_SCORES);
        response.setHeader("Cache-Control", "no-store");
    }

    /** htmx swaps only 2xx responses: the message goes into the error slot, the item stays as it was. */
    static String refused(String message, Model model, HttpServletResponse response) {
        model.addAttribute("error", message);
        response.setHeader("HX-Retarget", "#rater-error");
        response.setHeader("HX-Reswap", "innerHTML");
        return "review/rate :: error";
    }
}
