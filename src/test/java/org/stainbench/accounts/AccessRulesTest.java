package org.stainbench.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.UserRequestPostProcessor;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/** Each role's access rules at the HTTP level, for pages and for the token API. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class AccessRulesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Autowired
    UserRepository users;

    static UserRequestPostProcessor as(Role role) {
        return user(role.name().toLowerCase())
                .authorities(role.authorities().stream()
                        .map(org.springframework.security.core.authority.SimpleGrantedAuthority::new)
                        .toList());
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() throws Exception {
        mvc.perform(get("/")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/admin/users")).andExpect(status().is3xxRedirection());
        mvc.perform(get("/login"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Sign in")));
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
    }

    @ParameterizedTest
    @EnumSource(
            value = Role.class,
            names = {"ADMIN", "MEMBER"})
    void teamRolesSeeTheOverview(Role role) throws Exception {
        mvc.perform(get("/").with(as(role)))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("What this Stainbench holds")));
    }

    @Test
    void supervisorsStartOnTheDashboard() throws Exception {
        mvc.perform(get("/").with(as(Role.SUPERVISOR))).andExpect(redirectedUrl("/dashboard"));
    }

    @Test
    void pathologistsLandOnTheirReviewPage() throws Exception {
        mvc.perform(get("/").with(as(Role.PATHOLOGIST))).andExpect(redirectedUrl("/review"));
        mvc.perform(get("/review").with(as(Role.PATHOLOGIST))).andExpect(status().isOk());
    }

    @ParameterizedTest
    @EnumSource(
            value = Role.class,
            names = {"MEMBER", "SUPERVISOR", "PATHOLOGIST"})
    void onlyAdminsOpenAdminPages(Role role) throws Exception {
        mvc.perform(get("/admin/users").with(as(role))).andExpect(status().isForbidden());
        mvc.perform(get("/admin/tokens").with(as(role))).andExpect(status().isForbidden());
        mvc.perform(get("/admin/users").with(as(Role.ADMIN))).andExpect(status().isOk());
    }

    @Test
    void pathologistsCannotOpenTeamPages() throws Exception {
        // Any team page (the rule is by URL, so even an unknown one): forbidden before it is looked up.
        mvc.perform(get("/no-such-page").with(as(Role.PATHOLOGIST))).andExpect(status().isForbidden());
        mvc.perform(get("/no-such-page").with(as(Role.SUPERVISOR))).andExpect(status().isNotFound());
    }

    /** Issue 18: a supervisor is not shown a form that only a member can submit; it is a 403, as its POST is. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "/training/new",
                "/training/cpu",
                "/jobs/new",
                "/reports/new",
                "/review/sessions/new",
                "/datasets/1/delete",
                "/checkpoints/1/delete",
                "/runs/abc/delete",
                "/runs/experiments/1/delete"
            })
    void supervisorsGetNoFormTheyCannotSubmit(String page) throws Exception {
        mvc.perform(get(page).with(as(Role.SUPERVISOR))).andExpect(status().isForbidden());
        mvc.perform(get(page).with(as(Role.PATHOLOGIST))).andExpect(status().isForbidden());
    }

    @Test
    void membersStillOpenTheForms() throws Exception {
        for (String page :
                new String[] {"/training/new", "/training/cpu", "/jobs/new", "/reports/new", "/review/sessions/new"}) {
            mvc.perform(get(page).with(as(Role.MEMBER))).andExpect(status().isOk());
        }
    }

    @Test
    void supervisorsAreReadOnly() throws Exception {
        mvc.perform(post("/no-such-page").with(csrf()).with(as(Role.SUPERVISOR)))
                .andExpect(status().isForbidden());
        // A member passes security (and then finds no such handler).
        mvc.perform(post("/no-such-page").with(csrf()).with(as(Role.MEMBER))).andExpect(status().isNotFound());
    }

    @Test
    void formsNeedTheCsrfToken() throws Exception {
        mvc.perform(post("/admin/users")
                        .with(as(Role.ADMIN))
                        .param("username", "nocsrf")
                        .param("role", "MEMBER")
                        .param("password", "long-enough-1"))
                .andExpect(status().isForbidden());
        assertThat(users.existsByUsername("nocsrf")).isFalse();
    }

    @Test
    void adminCreatesAUserWhoCanThenSignIn() throws Exception {
        mvc.perform(post("/admin/users")
                        .with(csrf())
                        .with(as(Role.ADMIN))
                        .param("username", "Path.One")
                        .param("displayName", "Dr One")
                        .param("role", "PATHOLOGIST")
                        .param("password", "pathologist-pw"))
                .andExpect(redirectedUrl("/admin/users"));
        assertThat(users.findByUsername("path.one"))
                .get()
                .extracting(UserAccount::getRole)
                .isEqualTo(Role.PATHOLOGIST);
        mvc.perform(formLogin("/login").user("path.one").password("pathologist-pw"))
                .andExpect(redirectedUrl("/"));
        mvc.perform(formLogin("/login").user("path.one").password("wrong-password"))
                .andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void aRejectedUserFormKeepsTheInputAndSaysWhy() throws Exception {
        mvc.perform(post("/admin/users")
                        .with(csrf())
                        .with(as(Role.ADMIN))
                        .param("username", "shortpw")
                        .param("role", "MEMBER")
                        .param("password", "short"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("at least 10 characters")))
                .andExpect(content().string(Matchers.containsString("value=\"shortpw\"")));
        assertThat(users.existsByUsername("shortpw")).isFalse();
    }

    @Test
    void everyRoleChangesItsOwnPassword() throws Exception {
        accounts.createUser("pw.path", null, Role.PATHOLOGIST, "first-password");
        var pathologist = user("pw.path")
                .authorities(
                        new org.springframework.security.core.authority.SimpleGrantedAuthority("ROLE_PATHOLOGIST"));
        mvc.perform(get("/account").with(pathologist)).andExpect(status().isOk());
        mvc.perform(post("/account/password")
                        .with(csrf())
                        .with(pathologist)
                        .param("current", "wrong-password")
                        .param("password", "second-password")
                        .param("repeat", "second-password"))
                .andExpect(redirectedUrl("/account"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                        .attribute("error", "The current password is wrong."));
        mvc.perform(post("/account/password")
                        .with(csrf())
                        .with(pathologist)
                        .param("current", "first-password")
                        .param("password", "second-password")
                        .param("repeat", "second-password"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                        .attribute("message", "Password changed."));
        mvc.perform(formLogin("/login").user("pw.path").password("second-password"))
                .andExpect(redirectedUrl("/"));
        mvc.perform(formLogin("/login").user("pw.path").password("first-password"))
                .andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void tokenOnTheApiActsForItsOwner() throws Exception {
        accounts.createUser("script-owner", null, Role.MEMBER, "member-password");
        String secret =
                accounts.issueToken("trainer", "script-owner", TokenScope.API).secret();
        mvc.perform(get("/api/whoami").header("Authorization", "Bearer " + secret))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.username").value("script-owner"))
                .andExpect(jsonPath("$.roles", Matchers.contains("MEMBER", "SUPERVISOR")))
                .andExpect(jsonPath("$.token").value("trainer"))
                .andExpect(jsonPath("$.scope").value("API"));
    }

    @Test
    void nodeTokensCarryNoUserRole() throws Exception {
        String secret = accounts.issueToken("gpu-01", "admin", TokenScope.NODE).secret();
        mvc.perform(get("/api/whoami").header("Authorization", "Bearer " + secret))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.username").value("admin"))
                .andExpect(jsonPath("$.roles", Matchers.contains("NODE")));
    }

    @Test
    void apiWithoutAValidTokenIs401ProblemJson() throws Exception {
        mvc.perform(get("/api/whoami"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.instance").value("/api/whoami"));
        mvc.perform(get("/api/whoami").header("Authorization", "Bearer sbt_not-a-real-token"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("unknown, revoked")));
        // A signed-in browser session does not open the token API either.
        var login = mvc.perform(formLogin("/login").user("admin").password("admin-test-pw"))
                .andExpect(redirectedUrl("/"))
                .andReturn();
        var session = (org.springframework.mock.web.MockHttpSession)
                login.getRequest().getSession();
        mvc.perform(get("/").session(session)).andExpect(status().isOk());
        mvc.perform(get("/api/whoami").session(session).accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void revokedTokensStopWorking() throws Exception {
        Accounts.IssuedToken t = accounts.issueToken("short-lived", "admin", TokenScope.API);
        mvc.perform(get("/api/whoami").header("Authorization", "Bearer " + t.secret()))
                .andExpect(status().isOk());
        mvc.perform(post("/admin/tokens/{id}/revoke", t.id()).with(csrf()).with(as(Role.ADMIN)))
                .andExpect(redirectedUrl("/admin/tokens"));
        mvc.perform(get("/api/whoami").header("Authorization", "Bearer " + t.secret()))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void tokensDoNotOpenPages() throws Exception {
        String secret =
                accounts.issueToken("page-prober", "admin", TokenScope.API).secret();
        mvc.perform(get("/admin/users").header("Authorization", "Bearer " + secret))
                .andExpect(status().is3xxRedirection());
    }

    @Test
    void unknownApiPathsAnswerProblemJson() throws Exception {
        String secret = accounts.issueToken("lost", "admin", TokenScope.API).secret();
        mvc.perform(get("/api/no-such-thing").header("Authorization", "Bearer " + secret))
                .andExpect(status().isNotFound());
    }

    @Test
    void adminPageShowsANewTokenOnceAndStoresOnlyItsHash() throws Exception {
        var result = mvc.perform(post("/admin/tokens")
                        .with(csrf())
                        .with(as(Role.ADMIN))
                        .param("name", "agent-7")
                        .param("owner", "admin")
                        .param("scope", "NODE"))
                .andExpect(redirectedUrl("/admin/tokens"))
                .andReturn();
        Accounts.IssuedToken issued =
                (Accounts.IssuedToken) result.getFlashMap().get("issuedToken");
        assertThat(issued.secret()).startsWith("sbt_");
        mvc.perform(get("/admin/tokens").with(as(Role.ADMIN)))
                .andExpect(content().string(Matchers.not(Matchers.containsString(issued.secret()))))
                .andExpect(content().string(Matchers.containsString("agent-7")));
    }
}
