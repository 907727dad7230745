package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.accounts.TokenScope;

/**
 * The node agent API's token rule is the jobs facade's ({@link AgentService#nodeToken}, issue 20), not its
 * controller's: only a NODE-scope token acts as a node; a person's API token, a job's credential and nobody may not.
 */
@SpringBootTest
@ActiveProfiles("test")
class AgentRoleRulesTest {

    @Autowired
    AgentService agents;

    @Test
    void onlyNodeTokensActAsANode() {
        for (TokenScope scope : TokenScope.values()) {
            ApiPrincipal caller = new ApiPrincipal("ar-ann", 42, "ar-token", scope);
            if (scope == TokenScope.NODE) {
                assertThat(agents.nodeToken(caller)).isEqualTo(42);
            } else {
                assertThatThrownBy(() -> agents.nodeToken(caller))
                        .as(scope.name())
                        .isInstanceOf(AccessDeniedException.class)
                        .hasMessage("Node agent endpoints need a NODE-scope token.");
            }
        }
        assertThatThrownBy(() -> agents.nodeToken(null)).isInstanceOf(AccessDeniedException.class);
    }
}
