package org.stainbench.accounts;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Issue 15, item 6: sign-ins are throttled per user name and per client address, with a clear message; while locked
 * even the right password is refused. Each test uses its own addresses so other tests' sign-ins are not affected.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LoginThrottlingTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    private ResultActions signIn(String user, String password, String address) throws Exception {
        return mvc.perform(post("/login")
                .with(csrf())
                .param("username", user)
                .param("password", password)
                .with(r -> {
                    r.setRemoteAddr(address);
                    return r;
                }));
    }

    @Test
    void fiveWrongPasswordsLockTheAccountEvenForTheRightOne() throws Exception {
        accounts.createUser("lt-lou", null, Role.MEMBER, "Tundra-Whistle-3381");
        for (int i = 1; i <= 4; i++) {
            signIn("lt-lou", "Wrong-Guess-000" + i, "10.77.0." + i).andExpect(redirectedUrl("/login?error"));
        }
        signIn("lt-lou", "Wrong-Guess-0005", "10.77.0.5").andExpect(redirectedUrlPattern("/login?locked=*"));
        signIn("lt-lou", "Tundra-Whistle-3381", "10.77.0.6").andExpect(redirectedUrlPattern("/login?locked=*"));
        mvc.perform(get("/login").param("locked", "30"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Too many failed sign-ins")))
                .andExpect(content().string(Matchers.containsString("try again in 30 seconds")));
        // another account is not affected
        accounts.createUser("lt-kim", null, Role.MEMBER, "Basalt-Orchid-5092");
        signIn("lt-kim", "Basalt-Orchid-5092", "10.77.0.7").andExpect(redirectedUrl("/"));
    }

    @Test
    void oneAddressGuessingManyAccountsIsLocked() throws Exception {
        accounts.createUser("lt-ida", null, Role.MEMBER, "Copper-Glacier-7714");
        for (int i = 1; i < 20; i++) {
            signIn("lt-guess" + i, "Wrong-Guess-1234", "10.78.0.1").andExpect(redirectedUrl("/login?error"));
        }
        signIn("lt-guess20", "Wrong-Guess-1234", "10.78.0.1").andExpect(redirectedUrlPattern("/login?locked=*"));
        signIn("lt-ida", "Copper-Glacier-7714", "10.78.0.1").andExpect(redirectedUrlPattern("/login?locked=*"));
        signIn("lt-ida", "Copper-Glacier-7714", "10.78.0.2").andExpect(redirectedUrl("/"));
    }

    @Test
    void aBadLockParameterStillShowsTheLoginPage() throws Exception {
        mvc.perform(get("/login").param("locked", "<script>"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("try again in a while")));
    }
}
