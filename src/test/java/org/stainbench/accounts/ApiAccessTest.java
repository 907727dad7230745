package org.stainbench.accounts;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.TestingAuthenticationToken;

/** The JSON API's role checks, written once for the catalog and evaluation APIs. */
class ApiAccessTest {

    static TestingAuthenticationToken token(TokenScope scope, String... roles) {
        return new TestingAuthenticationToken(new ApiPrincipal("ann", 7, "laptop", scope), null, roles);
    }

    @Test
    void roleCheckAcceptsAnyTokenOfAUserWithTheRole() {
        assertThatCode(() -> ApiAccess.requireRole(token(TokenScope.API, "ROLE_MEMBER"), "MEMBER"))
                .doesNotThrowAnyException();
        assertThatCode(() -> ApiAccess.requireRole(token(TokenScope.NODE, "ROLE_MEMBER"), "MEMBER"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ApiAccess.requireRole(token(TokenScope.API, "ROLE_SUPERVISOR"), "MEMBER"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("This needs the member role.");
        assertThatThrownBy(() -> ApiAccess.requireRole(null, "MEMBER")).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void apiTokenCheckAlsoNeedsTheApiScope() {
        assertThatCode(() -> ApiAccess.requireApiToken(token(TokenScope.API, "ROLE_SUPERVISOR"), "SUPERVISOR"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ApiAccess.requireApiToken(token(TokenScope.NODE, "ROLE_SUPERVISOR"), "SUPERVISOR"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("This needs an API token of a user with the supervisor role.");
        assertThatThrownBy(() -> ApiAccess.requireApiToken(token(TokenScope.API, "ROLE_SUPERVISOR"), "MEMBER"))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() ->
                        ApiAccess.requireApiToken(new TestingAuthenticationToken("ann", null, "ROLE_MEMBER"), "MEMBER"))
                .isInstanceOf(AccessDeniedException.class);
    }
}
