package org.stainbench.accounts;

import java.util.Collection;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;

/**
 * The principal of a browser session: Spring's {@link User} plus a fingerprint of the user row as it was at sign-in
 * (enabled, role, password hash). {@link StaleSessionFilter} compares it with the row on every request, so disabling a
 * user, changing their role or their password ends every session they have open.
 */
final class SignedInUser extends User {

    private static final long serialVersionUID = 1L;

    private final String fingerprint;

    SignedInUser(UserAccount u, Collection<? extends GrantedAuthority> authorities) {
        super(u.getUsername(), u.getPasswordHash(), u.isEnabled(), true, true, true, authorities);
        this.fingerprint = fingerprint(u);
    }

    String fingerprint() {
        return fingerprint;
    }

    /** Changes whenever the account is enabled/disabled, re-roled or gets a new password (a new bcrypt salt). */
    static String fingerprint(UserAccount u) {
        return TokenSecrets.hash(u.isEnabled() + "|" + u.getRole() + "|" + u.getPasswordHash());
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
