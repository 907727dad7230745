package org.stainbench.accounts;

import java.util.Locale;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.stainbench.shell.Roles;

/**
 * The role checks of the JSON API controllers, written once: the caller's user has {@code ROLE_<role>}, and (for
 * {@link #requireApiToken}) calls with an {@link TokenScope#API API}-scope machine token. A failed check is a 403.
 */
public final class ApiAccess {

    private ApiAccess() {}

    /** The caller's user has the role (any machine token). */
    public static void requireRole(Authentication auth, String role) {
        if (!hasRole(auth, role)) {
            throw new AccessDeniedException("This needs the " + role.toLowerCase(Locale.ROOT) + " role.");
        }
    }

    /** The caller uses an API-scope token of a user with the role. */
    public static void requireApiToken(Authentication auth, String role) {
        boolean api = auth != null && auth.getPrincipal() instanceof ApiPrincipal p && p.scope() == TokenScope.API;
        if (!api || !hasRole(auth, role)) {
            throw new AccessDeniedException(
                    "This needs an API token of a user with the " + role.toLowerCase(Locale.ROOT) + " role.");
        }
    }

    static boolean hasRole(Authentication auth, String role) {
        return Roles.has(auth, role);
    }
}
