package org.stainbench.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.domain.Pageable;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/** Issue 15, item 7 (second half): a pathologist holds no machine token, whatever the path or the scope. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class PathologistTokensTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Autowired
    UserRepository users;

    @Autowired
    MachineTokenRepository tokens;

    private long tokensOf(String owner) {
        return tokens.findAllByOrderByCreatedAtDesc(Pageable.unpaged()).stream()
                .filter(t -> t.getOwner().getUsername().equals(owner))
                .count();
    }

    @Test
    void theAdminTokenFormRefusesAPathologistNextToTheOwnerField() throws Exception {
        accounts.createUser("pt-petra", null, Role.PATHOLOGIST, "Juniper-Socket-5521");
        var flashed = mvc.perform(post("/admin/tokens")
                        .with(csrf())
                        .with(AccessRulesTest.as(Role.ADMIN))
                        .param("name", "petra-laptop")
                        .param("owner", "pt-petra")
                        .param("scope", "API"))
                .andExpect(redirectedUrl("/admin/tokens"))
                .andExpect(flash().attribute("ownerError", Matchers.containsString("pathologists cannot hold")))
                .andExpect(flash().attributeCount(2))
                .andReturn()
                .getFlashMap();
        assertThat(tokensOf("pt-petra")).isZero();
        mvc.perform(get("/admin/tokens").with(AccessRulesTest.as(Role.ADMIN)).flashAttrs(flashed))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("id=\"token-owner-error\"")))
                .andExpect(content().string(Matchers.containsString("pathologists cannot hold machine tokens")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("value=\"pt-petra\""))));
    }

    @Test
    void noTokenPathIssuesOneToAPathologist() {
        accounts.createUser("pt-paul", null, Role.PATHOLOGIST, "Hazel-Compass-8130");
        assertThatThrownBy(() -> accounts.newToken("x", "pt-paul", TokenScope.API))
                .hasMessageContaining("pathologists cannot hold machine tokens");
        assertThatThrownBy(() -> accounts.issueApiToken("x", "pt-paul"))
                .hasMessageContaining("pathologists cannot hold machine tokens");
        assertThatThrownBy(() -> accounts.issueNodeToken("x", "pt-paul"))
                .hasMessageContaining("pathologists cannot hold machine tokens");
        assertThat(tokensOf("pt-paul")).isZero();
    }

    @Test
    void tokensOfAUserDemotedToPathologistStopWorking() throws Exception {
        accounts.createUser("pt-dora", null, Role.MEMBER, "Indigo-Ratchet-2746");
        String api = accounts.issueApiToken("dora-script", "pt-dora");
        String node = accounts.issueNodeToken("dora-node", "pt-dora");
        mvc.perform(get("/api/whoami").header("Authorization", "Bearer " + api)).andExpect(status().isOk());
        mvc.perform(get("/api/whoami").header("Authorization", "Bearer " + node))
                .andExpect(status().isOk());

        accounts.changeRole(users.findByUsername("pt-dora").orElseThrow().getId(), Role.PATHOLOGIST, "admin");

        mvc.perform(get("/api/whoami").header("Authorization", "Bearer " + api)).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/whoami").header("Authorization", "Bearer " + node))
                .andExpect(status().isUnauthorized());
        // the demotion revoked them for good: promoting the user back does not bring them back
        accounts.changeRole(users.findByUsername("pt-dora").orElseThrow().getId(), Role.MEMBER, "admin");
        mvc.perform(get("/api/whoami").header("Authorization", "Bearer " + api)).andExpect(status().isUnauthorized());
    }
}
