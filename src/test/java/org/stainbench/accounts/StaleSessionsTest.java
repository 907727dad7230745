package org.stainbench.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.catalog.Catalog;

/**
 * Issue 15, item 1: disabling a user, changing their role or their password ends the sessions they have open (the
 * next request is not served and goes to the login page); their machine tokens follow the same rules.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class StaleSessionsTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Autowired
    UserRepository users;

    @Autowired
    Catalog catalog;

    private MockHttpSession signIn(String user, String password) throws Exception {
        var login = mvc.perform(formLogin("/login").user(user).password(password))
                .andExpect(redirectedUrl("/"))
                .andReturn();
        return (MockHttpSession) login.getRequest().getSession();
    }

    private long id(String username) {
        return users.findByUsername(username).orElseThrow().getId();
    }

    @Test
    void anAdminDemotedToSupervisorCannotCreateUsersWithTheOldSession() throws Exception {
        accounts.createUser("ss-ada", null, Role.ADMIN, "Tulip-Quarry-4471");
        MockHttpSession session = signIn("ss-ada", "Tulip-Quarry-4471");
        mvc.perform(get("/admin/users").session(session)).andExpect(status().isOk());

        accounts.changeRole(id("ss-ada"), Role.SUPERVISOR, "admin");

        mvc.perform(post("/admin/users")
                        .session(session)
                        .with(csrf())
                        .param("username", "ss-mallory")
                        .param("role", "ADMIN")
                        .param("password", "Granite-Otter-9915"))
                .andExpect(redirectedUrl(StaleSessionFilter.EXPIRED_URL));
        assertThat(users.findByUsername("ss-mallory")).isEmpty();
        assertThat(session.isInvalid()).isTrue();
        // signing in again gives the new role's rights only
        MockHttpSession fresh = signIn("ss-ada", "Tulip-Quarry-4471");
        mvc.perform(get("/admin/users").session(fresh)).andExpect(status().isForbidden());
        mvc.perform(get("/dashboard").session(fresh)).andExpect(status().isOk());
    }

    @Test
    void aDisabledMembersOldSessionCannotCreateADataset() throws Exception {
        accounts.createUser("ss-mo", null, Role.MEMBER, "Cobalt-Heron-2290");
        MockHttpSession session = signIn("ss-mo", "Cobalt-Heron-2290");
        String token =
                accounts.issueToken("ss-mo-script", "ss-mo", TokenScope.API).secret();
        mvc.perform(get("/api/whoami").header("Authorization", "Bearer " + token))
                .andExpect(status().isOk());

        accounts.setEnabled(id("ss-mo"), false, "admin");

        mvc.perform(post("/datasets")
                        .session(session)
                        .with(csrf())
                        .param("name", "SS stale dataset")
                        .param("stain", "HE")
                        .param("tileSize", "64"))
                .andExpect(redirectedUrl(StaleSessionFilter.EXPIRED_URL));
        assertThat(catalog.datasets()).noneMatch(d -> d.name().equals("SS stale dataset"));
        mvc.perform(get("/api/whoami").header("Authorization", "Bearer " + token))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/login?expired")).andExpect(content().string(Matchers.containsString("session has ended")));
    }

    @Test
    void aPasswordResetEndsTheOldSession() throws Exception {
        accounts.createUser("ss-rex", null, Role.MEMBER, "Maple-Vortex-3318");
        MockHttpSession session = signIn("ss-rex", "Maple-Vortex-3318");
        mvc.perform(get("/datasets").session(session)).andExpect(status().isOk());

        accounts.resetPassword(id("ss-rex"), "Saffron-Kettle-6027");

        mvc.perform(get("/datasets").session(session)).andExpect(redirectedUrl(StaleSessionFilter.EXPIRED_URL));
    }

    @Test
    void htmxRequestsOfAStaleSessionAreSentToTheLoginPage() throws Exception {
        accounts.createUser("ss-hx", null, Role.MEMBER, "Amber-Falcon-5154");
        MockHttpSession session = signIn("ss-hx", "Amber-Falcon-5154");
        accounts.changeRole(id("ss-hx"), Role.SUPERVISOR, "admin");
        mvc.perform(get("/search").param("q", "x").header("HX-Request", "true").session(session))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("HX-Redirect", StaleSessionFilter.EXPIRED_URL));
    }

    @Test
    void changingOnesOwnPasswordEndsOtherSessionsButKeepsThisOne() throws Exception {
        accounts.createUser("ss-own", null, Role.SUPERVISOR, "Velvet-Canyon-8842");
        MockHttpSession here = signIn("ss-own", "Velvet-Canyon-8842");
        MockHttpSession elsewhere = signIn("ss-own", "Velvet-Canyon-8842");

        mvc.perform(post("/account/password")
                        .session(here)
                        .with(csrf())
                        .param("current", "Velvet-Canyon-8842")
                        .param("password", "Nimbus-Trellis-1937")
                        .param("repeat", "Nimbus-Trellis-1937"))
                .andExpect(redirectedUrl("/account"));

        mvc.perform(get("/dashboard").session(here)).andExpect(status().isOk());
        mvc.perform(get("/dashboard").session(elsewhere)).andExpect(redirectedUrl(StaleSessionFilter.EXPIRED_URL));
    }

    @Test
    void unchangedAccountsKeepTheirSessions() throws Exception {
        accounts.createUser("ss-calm", null, Role.MEMBER, "Quartz-Meadow-7260");
        MockHttpSession session = signIn("ss-calm", "Quartz-Meadow-7260");
        accounts.createUser("ss-other", null, Role.MEMBER, "Harbor-Lantern-4083");
        accounts.changeRole(id("ss-other"), Role.SUPERVISOR, "admin");
        mvc.perform(get("/datasets").session(session)).andExpect(status().isOk());
        mvc.perform(get("/datasets").session(session)).andExpect(status().isOk());
    }
}
