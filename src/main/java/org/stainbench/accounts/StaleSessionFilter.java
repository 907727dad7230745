package org.stainbench.accounts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On the web chain: reloads the signed-in user's row on every request (one indexed select) and ends the session when
 * the row no longer matches the {@link SignedInUser#fingerprint() fingerprint} taken at sign-in, i.e. when the user was
 * disabled, re-roled or got a new password since. The request is then not served: the browser is sent to
 * {@code /login?expired} (htmx requests get {@code HX-Redirect}).
 */
class StaleSessionFilter extends OncePerRequestFilter {

    static final String EXPIRED_URL = "/login?expired";

    private final UserRepository users;

    StaleSessionFilter(UserRepository users) {
        this.users = users;
    }

    /** Static files open to everyone need no check (and no query). */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/css/")
                || path.startsWith("/js/")
                || path.startsWith("/img/")
                || path.startsWith("/webjars/")
                || path.equals("/favicon.ico");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof SignedInUser signedIn && !current(signedIn)) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            SecurityContextHolder.clearContext();
            String target = request.getContextPath() + EXPIRED_URL;
            if ("true".equals(request.getHeader("HX-Request"))) {
                response.setHeader("HX-Redirect", target);
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            } else {
                response.sendRedirect(target);
            }
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean current(SignedInUser signedIn) {
        return users.findByUsername(signedIn.getUsername())
                .map(u -> SignedInUser.fingerprint(u).equals(signedIn.fingerprint()))
                .orElse(false);
    }
}
