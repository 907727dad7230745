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

    /** A deletion refused because others depend on the thing: 409 with the dependants (kind, title, href). */
    @ExceptionHandler(Dependants.Blocked.class)
    ProblemDetail blocked(Dependants.Blocked e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        p.setTitle("Others depend on it");
        p.setProperty("dependants", e.dependants());
        return p;
    }
}
