package org.stainbench.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
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
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/** Issue 15, item 6: passwords containing the user name or on the common list are refused everywhere. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class PasswordRuleTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Autowired
    UserRepository users;

    @Test
    void theRule() {
        assertThat(PasswordRule.problem("nora", "short")).contains("Password must have at least 10 characters.");
        assertThat(PasswordRule.problem("nora", "xx-NORA-2026-yy"))
                .contains("Password must not contain the user name.");
        assertThat(PasswordRule.problem("nora", "Qwertyuiop")).get().asString().contains("common passwords");
        assertThat(PasswordRule.problem("nora", "password123")).isPresent();
        assertThat(PasswordRule.problem("nora", "Tulip-Quarry-4471")).isEmpty();
    }

    @Test
    void creatingAUserRefusesAPasswordWithItsNameOrACommonOne() throws Exception {
        assertThatThrownBy(() -> accounts.createUser("pr-otto", null, Role.MEMBER, "my-PR-Otto-pass"))
                .hasMessage("Password must not contain the user name.");
        assertThatThrownBy(() -> accounts.createUser("pr-otto", null, Role.MEMBER, "1234567890"))
                .hasMessageContaining("common passwords");
        mvc.perform(post("/admin/users")
                        .with(csrf())
                        .with(AccessRulesTest.as(Role.ADMIN))
                        .param("username", "pr-otto")
                        .param("role", "MEMBER")
                        .param("password", "Password123"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("list of common passwords")));
        assertThat(users.findByUsername("pr-otto")).isEmpty();
    }

    @Test
    void resetAndOwnChangeFollowTheRule() throws Exception {
        accounts.createUser("pr-uma", null, Role.SUPERVISOR, "Sorrel-Beacon-6620");
        long id = users.findByUsername("pr-uma").orElseThrow().getId();
        mvc.perform(post("/admin/users/{id}/password", id)
                        .with(csrf())
                        .with(AccessRulesTest.as(Role.ADMIN))
                        .param("password", "pr-uma-2026!"))
                .andExpect(flash().attribute("error", "Password must not contain the user name."));
        var session = mvc.perform(formLogin("/login").user("pr-uma").password("Sorrel-Beacon-6620"))
                .andExpect(redirectedUrl("/"))
                .andReturn()
                .getRequest()
                .getSession();
        mvc.perform(post("/account/password")
                        .session((org.springframework.mock.web.MockHttpSession) session)
                        .with(csrf())
                        .param("current", "Sorrel-Beacon-6620")
                        .param("password", "welcome123")
                        .param("repeat", "welcome123"))
                .andExpect(flash().attribute("error", Matchers.containsString("common passwords")));
        mvc.perform(formLogin("/login").user("pr-uma").password("Sorrel-Beacon-6620"))
                .andExpect(redirectedUrl("/"));
    }

    @Test
    void theAdminPasswordFromTheEnvironmentIsOnlyWarnedAbout() {
        // application-test.properties sets 'admin-test-pw', which contains the user name: the admin exists anyway
        assertThat(PasswordRule.problem("admin", "admin-test-pw")).isPresent();
        assertThat(users.findByUsername("admin")).isPresent();
    }
}
