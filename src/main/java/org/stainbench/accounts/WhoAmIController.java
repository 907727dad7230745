package org.stainbench.accounts;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET /api/whoami}: the token's owner, its roles, the token's name and scope. */
@RestController
class WhoAmIController {

    @GetMapping("/api/whoami")
    WhoAmI whoami(Authentication auth) {
        if (!(auth.getPrincipal() instanceof ApiPrincipal p)) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "Only machine tokens may call the API.");
        }
        List<String> roles = auth.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_"))
                .map(a -> a.substring(5))
                .sorted()
                .toList();
        return new WhoAmI(p.username(), roles, p.tokenName(), p.scope().name());
    }

    record WhoAmI(String username, List<String> roles, String token, String scope) {}
}
