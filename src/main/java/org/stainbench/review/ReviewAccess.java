package org.stainbench.review;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;

/** Review's own rules on top of the URL rules: managing needs MEMBER, results SUPERVISOR, rating an assignment. */
final class ReviewAccess {

    private ReviewAccess() {}

    static boolean has(Authentication auth, String role) {
        return auth != null
                && auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_" + role));
    }

    static void requireMember(Authentication auth) {
        if (!has(auth, "MEMBER")) {
            throw new AccessDeniedException("Only team members create and change review sessions.");
        }
    }

    static void requireSupervisor(Authentication auth) {
        if (!has(auth, "SUPERVISOR")) {
            throw new AccessDeniedException("Review sessions and their results are for team members and supervisors.");
        }
    }
}
