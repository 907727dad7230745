package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The training facade's role rules (issue 20: in {@link Runs}, not in the controllers): deleting a run or an experiment
 * from the pages needs a member ({@link Runs#checkMayDelete}), and a deleted run's page opens for admins only
 * ({@link Runs#visibleRun}); each shown for a role that may not, on the facade and through the page that asks it.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class RunRoleRulesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Runs runs;

    static TestingAuthenticationToken as(String... roles) {
        return new TestingAuthenticationToken(
                "rr-user",
                null,
                java.util.Arrays.stream(roles).map(r -> "ROLE_" + r).toArray(String[]::new));
    }

    Tracking.RunInfo run(String name) {
        return runs.createRun(runs.experimentNamed("rr-role-rules"), "rr-ann", name, Map.of());
    }

    @Test
    void onlyMembersMayDeleteFromThePages() throws Exception {
        assertThatThrownBy(() -> runs.checkMayDelete(as("SUPERVISOR")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Deleting needs the member role.");
        assertThatThrownBy(() -> runs.checkMayDelete(null)).isInstanceOf(AccessDeniedException.class);
        runs.checkMayDelete(as("MEMBER", "SUPERVISOR"));

        Tracking.RunInfo run = run("rr guarded run");
        long experiment = run.experimentId();
        mvc.perform(get("/runs/experiments/" + experiment + "/delete")
                        .with(user("rr-sue").roles("SUPERVISOR")))
                .andExpect(status().isForbidden());
        mvc.perform(get("/runs/experiments/" + experiment + "/delete")
                        .with(user("rr-ann").roles("MEMBER")))
                .andExpect(status().isOk());
        mvc.perform(get("/runs/" + run.uuid() + "/delete").with(user("rr-sue").roles("SUPERVISOR")))
                .andExpect(status().isForbidden());
    }

    @Test
    void aDeletedRunsPageOpensForAdminsOnly() throws Exception {
        Tracking.RunInfo run = run("rr deleted run");
        assertThat(runs.visibleRun(run.uuid(), as("MEMBER", "SUPERVISOR"))).isPresent();
        runs.delete(run, "rr-ann");
        assertThat(runs.visibleRun(run.uuid(), as("MEMBER", "SUPERVISOR"))).isEmpty();
        assertThat(runs.visibleRun(run.uuid(), null)).isEmpty();
        assertThat(runs.visibleRun(run.uuid(), as("ADMIN", "MEMBER", "SUPERVISOR")))
                .get()
                .extracting(Tracking.RunInfo::lifecycleStage)
                .isEqualTo("deleted");
        mvc.perform(get("/runs/" + run.uuid()).with(user("rr-ann").roles("MEMBER", "SUPERVISOR")))
                .andExpect(status().isNotFound());
        mvc.perform(get("/runs/" + run.uuid()).with(user("rr-ada").roles("ADMIN", "MEMBER", "SUPERVISOR")))
                .andExpect(status().isOk());
    }
}
