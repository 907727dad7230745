package org.stainbench.accounts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <machine token>} on the API filter chain.
 * A header with an unknown, revoked or disabled-owner token is answered 401 at once. A job's per-attempt
 * credential ({@link CredentialResolver#JOB_PREFIX}) is resolved by the {@link CredentialResolver} bean (the jobs
 * module) and gets only the authority {@code SCOPE_JOB}; a dead credential or a disabled user is 401 too.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    /** Last-used time is written at most this often per token. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final MachineTokenRepository tokens;
    private final AuthenticationEntryPoint entryPoint;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectProvider<CredentialResolver> credentials;
    private final UserRepository users;

    BearerTokenFilter(
            MachineTokenRepository tokens,
            AuthenticationEntryPoint entryPoint,
            TransactionTemplate tx,
            Clock clock,
            ObjectProvider<CredentialResolver> credentials,
            UserRepository users) {
        this.credentials = credentials;
        this.users = users;
        this.tokens = tokens;
        this.entryPoint = entryPoint;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        String secret = header.substring(7).trim();
        Optional<Resolved> resolved = tx.execute(status -> resolve(secret));
        if (resolved == null || resolved.isEmpty()) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(
                    request,
                    response,
                    new BadCredentialsException("The machine token is unknown, revoked, or its owner is disabled."));
            return;
        }
        Resolved r = resolved.get();
        var auth = UsernamePasswordAuthenticationToken.authenticated(
                r.principal(), null, AuthorityUtils.createAuthorityList(r.authorities()));
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(auth);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private Optional<Resolved> resolve(String secret) {
        if (secret.startsWith(CredentialResolver.JOB_PREFIX)) {
            CredentialResolver resolver = credentials.getIfAvailable();
            return resolver == null
                    ? Optional.empty()
                    : resolver.resolve(secret)
                            .filter(p -> p.scope() == TokenScope.JOB)
                            .filter(p -> users.findByUsername(p.username())
                                    .filter(UserAccount::isEnabled)
                                    .isPresent())
                            .map(p -> new Resolved(p, List.of(TokenScope.JOB.authority())));
        }
        if (!secret.startsWith(TokenSecrets.PREFIX)) {
            return Optional.empty();
        }
        return tokens.findByTokenHash(TokenSecrets.hash(secret))
                .filter(MachineToken::isActive)
                .map(t -> {
                    Instant now = clock.instant();
                    if (t.getLastUsedAt() == null
                            || t.getLastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
                        tokens.touch(t.getId(), now);
                    }
                    List<String> authorities = new ArrayList<>();
                    authorities.add(t.getScope().authority());
                    if (t.getScope() == TokenScope.API) {
                        authorities.addAll(t.getOwner().getRole().authorities());
                    } else {
                        authorities.add("ROLE_NODE");
                    }
                    return new Resolved(
                            new ApiPrincipal(t.getOwner().getUsername(), t.getId(), t.getName(), t.getScope()),
                            authorities);
                });
    }

    private record Resolved(ApiPrincipal principal, List<String> authorities) {}
}
