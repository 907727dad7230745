package org.stainbench.shell;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * JSON API errors as RFC 9457 problem details. Spring MVC's own exceptions are mapped by the
 * base class; a plain {@link IllegalArgumentException} from an API controller means bad input.
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiProblems extends ResponseEntityExceptionHandler {

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badInput(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** An upload over a configured limit: 413 naming the limit and its setting. */
    @ExceptionHandler(TooLarge.class)
    ProblemDetail tooLarge(TooLarge e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
        p.setTitle("Upload too large");
        p.setProperty("limit", e.limit());
        p.setProperty("setting", e.setting());
        return p;
    }

    /** A deletion refused because others depend on the thing: 409 with the dependants (kind, title, href). */
    @ExceptionHandler(Dependants.Blocked.class)
    ProblemDetail blocked(Dependants.Blocked e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        p.setTitle("Others depend on it");
        p.setProperty("dependants", e.dependants());
        return p;
    }
}
