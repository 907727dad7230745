package org.stainbench.accounts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sign-in throttling on the form login: refuses {@code POST /login} while its user name or the client address is locked
 * ({@link LoginThrottle}), and counts the outcome of every other attempt. Refusals go to {@code /login?locked=SECONDS}.
 */
class LoginThrottleFilter extends OncePerRequestFilter
        implements AuthenticationFailureHandler, AuthenticationSuccessHandler {

    private final LoginThrottle throttle;
    private final SavedRequestAwareAuthenticationSuccessHandler success =
            new SavedRequestAwareAuthenticationSuccessHandler();

    LoginThrottleFilter(LoginThrottle throttle) {
        this.throttle = throttle;
        success.setDefaultTargetUrl("/");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !("POST".equals(request.getMethod()) && "/login".equals(path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var locked = throttle.lockedFor(request.getParameter("username"), request.getRemoteAddr());
        if (locked.isPresent()) {
            sendLocked(request, response, locked.get());
            return;
        }
        chain.doFilter(request, response);
    }

    @Override
    public void onAuthenticationFailure(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        var locked = throttle.failed(request.getParameter("username"), request.getRemoteAddr());
        if (locked.isPresent()) {
            sendLocked(request, response, locked.get());
        } else {
            response.sendRedirect(request.getContextPath() + "/login?error");
        }
    }

    @Override
    public void onAuthenticationSuccess(
            HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException, ServletException {
        throttle.succeeded(authentication.getName());
        success.onAuthenticationSuccess(request, response, authentication);
    }

    private static void sendLocked(HttpServletRequest request, HttpServletResponse response, Duration left)
            throws IOException {
        long seconds = Math.max(1, (left.toMillis() + 999) / 1000);
        response.sendRedirect(request.getContextPath() + "/login?locked=" + seconds);
    }
}
