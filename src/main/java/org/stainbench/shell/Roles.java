package org.stainbench.shell;

import org.springframework.security.core.Authentication;

/**
 * Whether a caller holds a role ({@code ADMIN}, {@code MEMBER}, {@code SUPERVISOR}, …; granted as {@code ROLE_<role>},
 * higher roles include the lower ones), tested in one place. The rules that use it are the module facades' (one named
 * method per rule, e.g. {@code Catalog.mayDelete}); URL-level rules stay in {@code SecurityConfig}.
 */
public final class Roles {

    private Roles() {}

    /** The caller is signed in and holds {@code ROLE_<role>}; {@code null} (nobody signed in) holds none. */
    public static boolean has(Authentication auth, String role) {
        return auth != null
                && auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_" + role));
    }
}
