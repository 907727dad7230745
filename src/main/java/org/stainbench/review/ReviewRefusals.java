package org.stainbench.review;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/** A disabled rater opening a session's rating or practice pages: 403 with the reason (their answers are kept). */
@ControllerAdvice(assignableTypes = {ReviewController.class, PracticeController.class})
class ReviewRefusals {

    @ExceptionHandler(StudyDesigns.RaterDisabled.class)
    ModelAndView disabled(StudyDesigns.RaterDisabled e) {
        ModelAndView mav = new ModelAndView("review/disabled", HttpStatus.FORBIDDEN);
        mav.addObject("disabledReason", e.getMessage());
        return mav;
    }
}
