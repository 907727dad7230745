package org.stainbench.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.support.WebClient;

/**
 * Issue 21, item 2: with {@code stainbench.sessions.store=jdbc} browser sessions live in {@code spring_session}, and
 * the web chain's rules hold on that store as on the container's (see {@link StaleSessionsTest}): a new session id
 * at sign-in, and a session ends when its user is disabled, re-roled or given a new password. Over real HTTP with a
 * cookie jar (MockMvc's mock sessions bypass the session repository).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "stainbench.sessions.store=jdbc")
@ActiveProfiles("test")
class JdbcSessionsTest {

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @Autowired
    UserRepository users;

    @Autowired
    JdbcClient jdbc;

    private WebClient browser() {
        return new WebClient("http://127.0.0.1:" + port);
    }

    private long id(String username) {
        return users.findByUsername(username).orElseThrow().getId();
    }

    private long rows(String sessionId) {
        return jdbc.sql("select count(*) from spring_session where session_id = ?")
                .param(sessionId)
                .query(Long.class)
                .single();
    }

    private WebClient signedIn(String user, String password) throws Exception {
        WebClient b = browser();
        assertThat(b.signIn(user, password)).endsWith("/").doesNotContain("login");
        assertThat(b.get("/dashboard").statusCode()).isEqualTo(200);
        return b;
    }

    private static void sentToLogin(WebClient b) throws Exception {
        var r = b.get("/dashboard");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(WebClient.location(r)).endsWith(StaleSessionFilter.EXPIRED_URL);
    }

    @Test
    void signingInStoresTheSessionInTheDatabaseUnderANewId() throws Exception {
        accounts.createUser("js-ann", null, Role.MEMBER, "Tulip-Quarry-4471");
        WebClient b = browser();
        b.get("/login");
        String before = b.cookie("JSESSIONID").orElseThrow();
        assertThat(rows(before)).isEqualTo(1); // the anonymous session holding the CSRF token

        assertThat(b.signIn("js-ann", "Tulip-Quarry-4471")).endsWith("/");
        String after = b.cookie("JSESSIONID").orElseThrow();
        assertThat(after).isNotEqualTo(before); // session fixation: a new id at sign-in
        assertThat(rows(before)).isZero();
        assertThat(jdbc.sql("select principal_name from spring_session where session_id = ?")
                        .param(after)
                        .query(String.class)
                        .single())
                .isEqualTo("js-ann");
        assertThat(b.get("/dashboard").statusCode()).isEqualTo(200);
        // the repository's idle timeout is the container's (server.servlet.session.timeout, 30 min by default)
        assertThat(jdbc.sql("select max_inactive_interval from spring_session where session_id = ?")
                        .param(after)
                        .query(Integer.class)
                        .single())
                .isEqualTo(30 * 60);
    }

    @Test
    void aRoleChangeEndsTheStoredSession() throws Exception {
        accounts.createUser("js-ada", null, Role.ADMIN, "Granite-Otter-9915");
        WebClient b = signedIn("js-ada", "Granite-Otter-9915");
        String sid = b.cookie("JSESSIONID").orElseThrow();
        accounts.changeRole(id("js-ada"), Role.SUPERVISOR, "admin");
        sentToLogin(b);
        assertThat(rows(sid)).isZero();
    }

    @Test
    void disablingAUserEndsTheStoredSession() throws Exception {
        accounts.createUser("js-mo", null, Role.MEMBER, "Cobalt-Heron-2290");
        WebClient b = signedIn("js-mo", "Cobalt-Heron-2290");
        accounts.setEnabled(id("js-mo"), false, "admin");
        sentToLogin(b);
    }

    @Test
    void aPasswordResetEndsTheStoredSession() throws Exception {
        accounts.createUser("js-rex", null, Role.MEMBER, "Maple-Vortex-3318");
        WebClient b = signedIn("js-rex", "Maple-Vortex-3318");
        accounts.resetPassword(id("js-rex"), "Saffron-Kettle-6027");
        sentToLogin(b);
    }

    @Test
    void changingOnesOwnPasswordKeepsThisSessionAndEndsTheOther() throws Exception {
        accounts.createUser("js-own", null, Role.SUPERVISOR, "Velvet-Canyon-8842");
        WebClient here = signedIn("js-own", "Velvet-Canyon-8842");
        WebClient elsewhere = signedIn("js-own", "Velvet-Canyon-8842");
        String old = here.cookie("JSESSIONID").orElseThrow();

        var r = here.postForm(
                "/account",
                "/account/password",
                Map.of(
                        "current",
                        "Velvet-Canyon-8842",
                        "password",
                        "Nimbus-Trellis-1937",
                        "repeat",
                        "Nimbus-Trellis-1937"));
        assertThat(WebClient.location(r)).endsWith("/account");

        assertThat(here.cookie("JSESSIONID").orElseThrow()).isNotEqualTo(old);
        assertThat(here.get("/dashboard").statusCode()).isEqualTo(200);
        sentToLogin(elsewhere);
    }
}
