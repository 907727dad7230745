package org.stainbench.shell;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.autoconfigure.error.AbstractErrorController;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Replaces Boot's whitelabel error controller: API paths (and clients that ask for JSON) get
 * RFC 9457 problem details, browsers get the friendly 403/404/500 pages of the layout.
 */
@Controller
class ErrorPages extends AbstractErrorController {

    ErrorPages(ErrorAttributes errorAttributes) {
        super(errorAttributes);
    }

    @RequestMapping("${server.error.path:/error}")
    Object error(HttpServletRequest request) {
        HttpStatus status = getStatus(request);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri != null ? uri.toString() : request.getRequestURI();
        if (wantsProblem(request, path)) {
            Map<String, Object> attrs =
                    getErrorAttributes(request, ErrorAttributeOptions.of(ErrorAttributeOptions.Include.MESSAGE));
            ProblemDetail problem = ProblemDetail.forStatus(status);
            Object message = attrs.get("message");
            // a 5xx never tells why: its exception's text can hold SQL or paths (the log has it)
            if (!status.is5xxServerError()
                    && message != null
                    && !message.toString().isBlank()
                    && !"No message available".equals(message)) {
                problem.setDetail(message.toString());
            }
            problem.setInstance(URI.create(path));
            return ResponseEntity.status(status)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
        }
        String view =
                switch (status.value()) {
                    case 403, 404 -> "error/" + status.value();
                    default -> status.is4xxClientError() ? "error/4xx" : "error/500";
                };
        ModelAndView mav = new ModelAndView(view, status);
        mav.addObject("status", status.value());
        mav.addObject("reason", status.getReasonPhrase());
        mav.addObject("path", path);
        return mav;
    }

    private static boolean wantsProblem(HttpServletRequest request, String path) {
        if (path.startsWith("/api/")) {
            return true;
        }
        String accept = request.getHeader("Accept");
        return accept != null
                && !accept.contains("text/html")
                && (accept.contains("json") || accept.contains("problem"));
    }
}
