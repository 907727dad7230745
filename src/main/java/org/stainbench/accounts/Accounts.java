package org.stainbench.accounts;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.shell.Names;

/**
 * Account rules in one place: creating users, changing roles, enabling, tokens. Every rule
 * violation is an {@link IllegalArgumentException} whose message is shown to the person as is.
 */
@Service
@Transactional
public class Accounts {

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    static final int MIN_PASSWORD = PasswordRule.MIN_LENGTH;

    private final UserRepository users;
    private final MachineTokenRepository tokens;
    private final PasswordEncoder encoder;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    Accounts(
            UserRepository users,
            MachineTokenRepository tokens,
            PasswordEncoder encoder,
            Clock clock,
            ApplicationEventPublisher events) {
        this.events = events;
        this.users = users;
        this.tokens = tokens;
        this.encoder = encoder;
        this.clock = clock;
    }

    UserAccount createUser(String username, String displayName, Role role, String password) {
        return createUser(username, displayName, role, password, true);
    }

    /**
     * As {@link #createUser(String, String, Role, String)}; {@code checkRule=false} only for the first administrator
     * whose password comes from the environment ({@link AdminBootstrap} warns instead).
     */
    UserAccount createUser(String username, String displayName, Role role, String password, boolean checkRule) {
        String name = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "User name must be 2–64 characters: lower-case letters, digits, '.', '_' or '-'.");
        }
        if (role == null) {
            throw new IllegalArgumentException("Choose a role.");
        }
        if (checkRule) {
            PasswordRule.check(name, password);
        } else if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("Password must not be empty.");
        }
        if (users.existsByUsername(name)) {
            throw new IllegalArgumentException("A user named '" + name + "' already exists.");
        }
        Names.check("The display name", displayName);
        String display = displayName == null || displayName.isBlank() ? null : displayName.trim();
        return users.save(new UserAccount(name, display, encoder.encode(password), role, clock.instant()));
    }

    /** Creates a user (for other modules' setup code and tests); rules as on the admin page. */
    public void register(String username, String displayName, Role role, String password) {
        createUser(username, displayName, role, password);
    }

    /** Creates a machine token for {@code owner} and returns its secret (shown once, stored hashed). */
    public String newToken(String name, String owner, TokenScope scope) {
        return issueToken(name, owner, scope).secret();
    }

    void changeRole(long userId, Role role, String actingUser) {
        UserAccount user = find(userId);
        if (user.getRole() == Role.ADMIN && role != Role.ADMIN) {
            guardLastAdmin(user, "take the administrator role from");
        }
        user.setRole(role);
        if (role == Role.PATHOLOGIST) {
            tokens.findByOwnerAndRevokedAtIsNull(user).forEach(t -> t.revoke(clock.instant()));
        }
        events.publishEvent(Activity.of(
                actingUser,
                "edited",
                ActivitySubject.USER,
                userId,
                "Changed the role of " + user.getUsername() + " to " + role,
                "/admin/users"));
    }

    void setEnabled(long userId, boolean enabled, String actingUser) {
        UserAccount user = find(userId);
        if (!enabled) {
            if (user.getUsername().equals(actingUser)) {
                throw new IllegalArgumentException("You cannot disable your own account.");
            }
            if (user.getRole() == Role.ADMIN) {
                guardLastAdmin(user, "disable");
            }
        }
        user.setEnabled(enabled);
        events.publishEvent(Activity.of(
                actingUser,
                enabled ? "enabled" : "disabled",
                "user",
                userId,
                (enabled ? "Enabled " : "Disabled ") + user.getUsername(),
                "/admin/users"));
    }

    void changeOwnPassword(String username, String current, String password) {
        UserAccount user = users.findByUsername(username)
                .orElseThrow(() -> new IllegalArgumentException("No user named '" + username + "'."));
        if (current == null || !encoder.matches(current, user.getPasswordHash())) {
            throw new IllegalArgumentException("The current password is wrong.");
        }
        PasswordRule.check(user.getUsername(), password);
        user.setPasswordHash(encoder.encode(password));
    }

    void resetPassword(long userId, String password) {
        UserAccount user = find(userId);
        PasswordRule.check(user.getUsername(), password);
        user.setPasswordHash(encoder.encode(password));
    }

    /** Creates a token and returns its secret, which is never stored and cannot be shown again. */
    IssuedToken issueToken(String name, String ownerUsername, TokenScope scope) {
        if (name == null || name.isBlank() || name.length() > 128) {
            throw new IllegalArgumentException(
                    "Give the token a name of 1–128 characters (e.g. the machine it is for).");
        }
        Names.check("The token name", name);
        if (scope == null || !TokenScope.issuable().contains(scope)) {
            throw new IllegalArgumentException("Choose a scope: " + TokenScope.issuable() + ".");
        }
        UserAccount owner = users.findByUsername(ownerUsername == null ? "" : ownerUsername.trim())
                .orElseThrow(() -> new IllegalArgumentException("No user named '" + ownerUsername + "'."));
        if (!owner.isEnabled()) {
            throw new FieldProblem("owner", "User '" + owner.getUsername() + "' is disabled.");
        }
        if (owner.getRole() == Role.PATHOLOGIST) {
            throw new FieldProblem(
                    "owner",
                    "User '" + owner.getUsername() + "' is a pathologist: pathologists cannot hold machine tokens.");
        }
        String secret = TokenSecrets.newSecret();
        MachineToken token = tokens.save(new MachineToken(
                name.trim(),
                owner,
                scope,
                TokenSecrets.hash(secret),
                TokenSecrets.displayPrefix(secret),
                clock.instant()));
        return new IssuedToken(token.getId(), token.getName(), secret);
    }

    /** Issues a NODE-scope token (node agents, Slurm one-job agents) and returns its secret, shown once. */
    public String issueNodeToken(String name, String ownerUsername) {
        return issueToken(name, ownerUsername, TokenScope.NODE).secret();
    }

    /**
     * Revokes the NODE tokens whose name starts with {@code namePrefix} and that were created before {@code before}
     * (tokens a server issued for itself at an earlier start); returns how many.
     */
    public int revokeNodeTokens(String namePrefix, Instant before) {
        var old = tokens.findByScopeAndRevokedAtIsNullAndNameStartingWithAndCreatedAtBefore(
                TokenScope.NODE, namePrefix, before);
        old.forEach(t -> t.revoke(clock.instant()));
        return old.size();
    }

    // the admin pages' lists (the controller reaches the repositories only through here)

    /** A page of users by name. */
    @Transactional(readOnly = true)
    Page<UserAccount> users(int page, int size) {
        return users.findAll(PageRequest.of(Math.max(page, 0), size, Sort.by("username")));
    }

    /** A page of machine tokens, newest first. */
    @Transactional(readOnly = true)
    Page<MachineToken> tokens(int page, int size) {
        return tokens.findAllByOrderByCreatedAtDesc(PageRequest.of(Math.max(page, 0), size));
    }

    /** Who may own a new machine token: enabled users other than pathologists, by name. */
    @Transactional(readOnly = true)
    List<String> tokenOwners() {
        return users.findAll(Sort.by("username")).stream()
                .filter(u -> u.isEnabled() && u.getRole() != Role.PATHOLOGIST)
                .map(UserAccount::getUsername)
                .toList();
    }

    // the admin pages' actions: the write and its activity event together

    /** An administrator ({@code by}) creates a user, recorded in the activity trail. */
    UserAccount createUser(String username, String displayName, Role role, String password, String by) {
        UserAccount user = createUser(username, displayName, role, password);
        events.publishEvent(Activity.of(
                by,
                "registered",
                ActivitySubject.USER,
                user.getId(),
                "Created user '" + user.getUsername() + "' (" + user.getRole() + ")",
                "/admin/users"));
        return user;
    }

    /** An administrator ({@code by}) resets a user's password, recorded in the activity trail. */
    void resetPassword(long userId, String password, String by) {
        resetPassword(userId, password);
        events.publishEvent(Activity.of(
                by,
                "edited",
                ActivitySubject.USER,
                userId,
                "Reset the password of " + find(userId).getUsername(),
                "/admin/users"));
    }

    /** An administrator ({@code by}) issues a token, recorded in the activity trail. */
    IssuedToken issueToken(String name, String ownerUsername, TokenScope scope, String by) {
        IssuedToken issued = issueToken(name, ownerUsername, scope);
        events.publishEvent(Activity.of(
                by,
                "registered",
                ActivitySubject.TOKEN,
                issued.id(),
                "Created " + scope + " token '" + issued.name() + "' for " + ownerUsername,
                "/admin/tokens"));
        return issued;
    }

    /** An administrator ({@code by}) revokes a token, recorded in the activity trail. */
    void revokeToken(long tokenId, String by) {
        revokeToken(tokenId);
        String name = tokens.findById(tokenId).map(MachineToken::getName).orElse("#" + tokenId);
        events.publishEvent(Activity.of(
                by, "revoked", ActivitySubject.TOKEN, tokenId, "Revoked token '" + name + "'", "/admin/tokens"));
    }

    void revokeToken(long tokenId) {
        MachineToken token = tokens.findById(tokenId)
                .orElseThrow(() -> new IllegalArgumentException("No token with id " + tokenId + "."));
        token.revoke(clock.instant());
    }

    /** Creates a user with the same rules as the admin page (for other modules' set-up and tests). */
    public void createAccount(String username, Role role, String password) {
        createUser(username, null, role, password);
    }

    /** Issues a machine token of scope API for {@code ownerUsername}; returns its secret (never stored). */
    public String issueApiToken(String name, String ownerUsername) {
        return issueToken(name, ownerUsername, TokenScope.API).secret();
    }

    /** Whether {@code username} is an enabled account (a job credential acts for its submitter only then). */
    @Transactional(readOnly = true)
    public boolean isEnabledUser(String username) {
        return username != null
                && users.findByUsername(username).filter(UserAccount::isEnabled).isPresent();
    }

    /** Usernames of enabled users with the given role, sorted; for pickers in other modules. */
    @Transactional(readOnly = true)
    public List<String> usernamesWithRole(Role role) {
        return users.findAll().stream()
                .filter(u -> u.getRole() == role && u.isEnabled())
                .map(UserAccount::getUsername)
                .sorted()
                .toList();
    }

    private UserAccount find(long userId) {
        return users.findById(userId)
                .orElseThrow(() -> new IllegalArgumentException("No user with id " + userId + "."));
    }

    private void guardLastAdmin(UserAccount user, String verb) {
        if (user.isEnabled() && users.countByRoleAndEnabledTrue(Role.ADMIN) <= 1) {
            throw new IllegalArgumentException(
                    "Cannot " + verb + " '" + user.getUsername() + "': it is the last enabled administrator.");
        }
    }

    record IssuedToken(long id, String name, String secret) {}

    /** A rule violation that belongs to one form field ({@code field}), shown next to it. */
    static final class FieldProblem extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final String field;

        FieldProblem(String field, String message) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }
}
