package org.stainbench.shell;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * A query string Tomcat cannot decode (e.g. {@code /search?q=100%} typed raw: a bare '%' is no percent-escape) is the
 * caller's mistake: a 400 page that says so, logged at DEBUG without a stack trace (it was an ERROR with one).
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class BadEncodingAdvice {

    static final String MESSAGE = "The address could not be decoded: a percent sign (%) must be written as %25, "
            + "and every other % must start a two-digit hex escape such as %20.";

    private static final Logger log = LoggerFactory.getLogger(BadEncodingAdvice.class);

    @ExceptionHandler(InvalidParameterException.class)
    ModelAndView badEncoding(InvalidParameterException e, HttpServletRequest request) {
        log.debug("Undecodable query string on {}: {}", request.getRequestURI(), e.getMessage());
        ModelAndView mav = new ModelAndView("error/4xx", HttpStatus.BAD_REQUEST);
        mav.addObject("status", 400);
        mav.addObject("reason", HttpStatus.BAD_REQUEST.getReasonPhrase());
        mav.addObject("path", request.getRequestURI());
        mav.addObject("problem", MESSAGE);
        return mav;
    }
}
