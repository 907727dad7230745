package org.stainbench.review;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The review landing page: the sessions assigned to the signed-in pathologist. */
@Controller
class ReviewController {

    @GetMapping("/review")
    String assigned() {
        return "review/index";
    }
}
