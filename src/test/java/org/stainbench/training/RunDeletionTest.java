package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.accounts.TokenScope;
import org.stainbench.jobs.CommandJob;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.Resources;

/**
 * Deleting a tracked run (or an experiment with its runs) is soft and reversible: from the run page (members, with a
 * confirmation), through MLflow's {@code runs/delete} and {@code runs/restore} ({@code experiments/…}), and back from
 * the admins' trash; the run leaves the runs list, the
 * search and MLflow's default search; its page is 404 except for admins (banner with Restore); a run whose job is
 * still queued cannot be deleted; each deletion and restore is in the activity trail.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class RunDeletionTest {

    static final String API = "/api/2.0/mlflow";

    @Autowired
    MockMvc mvc;

    @Autowired
    Accounts accounts;

    @Autowired
    TrackingStore store;

    @Autowired
    Runs runs;

    @Autowired
    JobQueue jobs;

    @Autowired
    JdbcClient jdbc;

    static String token;
    final RequestPostProcessor member = user("rd-ann").roles("MEMBER", "SUPERVISOR");
    final RequestPostProcessor supervisor = user("rd-sue").roles("SUPERVISOR");
    final RequestPostProcessor admin = user("rd-ada").roles("ADMIN", "MEMBER", "SUPERVISOR");

    @BeforeEach
    void token() {
        if (token == null) {
            accounts.register("rd-ann", "Ann", Role.MEMBER, "Cedar-Lattice-5830");
            token = accounts.newToken("rd-ann-laptop", "rd-ann", TokenScope.API);
        }
    }

    Tracking.RunInfo run(String name) {
        long exp = store.experimentByName("rd-deletion")
                .map(Tracking.Experiment::id)
                .orElseGet(() -> store.createExperiment("rd-deletion", null, Map.of()));
        return store.createRun(exp, "rd-ann", System.currentTimeMillis(), name, Map.of());
    }

    String page(String path, RequestPostProcessor who) throws Exception {
        return mvc.perform(get(path).with(who))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    long activities(String action, String uuid) {
        return jdbc.sql("select count(*) from activity where action = ? and subject_type = 'run' and subject_id = ?")
                .params(action, uuid)
                .query(Long.class)
                .single();
    }

    @Test
    void aMemberDeletesARunFromItsPageAndAnAdminRestoresIt() throws Exception {
        Tracking.RunInfo run = run("rd lonely run");
        String path = "/runs/" + run.uuid();
        assertThat(page(path, member)).contains("id=\"delete-run\"");
        assertThat(page(path, supervisor)).doesNotContain("id=\"delete-run\"");
        assertThat(page("/runs", member)).contains("rd lonely run");

        String confirm = page(path + "/delete", member);
        assertThat(confirm).contains("id=\"confirm-delete\"").contains("epoch checkpoints stay registered");
        mvc.perform(get(path + "/delete").with(supervisor)).andExpect(status().isForbidden());
        mvc.perform(post(path + "/delete").with(supervisor).with(csrf())).andExpect(status().isForbidden());
        mvc.perform(post(path + "/delete").with(member).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/runs"));

        assertThat(store.requireRun(run.uuid()).lifecycleStage()).isEqualTo("deleted");
        assertThat(runs.isDeleted(run.uuid())).isTrue();
        assertThat(page("/runs", member)).doesNotContain("rd lonely run");
        assertThat(page("/search?q=rd+lonely", member)).doesNotContain(path);
        mvc.perform(get(path).with(member)).andExpect(status().isNotFound());
        mvc.perform(get(path + "/by-epoch").with(member).header("HX-Request", "true"))
                .andExpect(status().isNotFound());
        assertThat(page(path, admin))
                .contains("id=\"deleted-banner\"")
                .contains("rd-ann")
                .contains("/admin/deleted/run/" + run.id() + "/restore")
                .doesNotContain("id=\"delete-run\"");
        assertThat(page("/admin/deleted", admin)).contains("data-deleted=\"run:" + run.id() + "\"");
        assertThat(activities("deleted", run.uuid())).isEqualTo(1);

        mvc.perform(post("/admin/deleted/run/" + run.id() + "/restore")
                        .with(admin)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/admin/deleted"));
        assertThat(store.requireRun(run.uuid()).lifecycleStage()).isEqualTo("active");
        assertThat(store.deletion(run.id())).isEmpty();
        assertThat(page("/runs", member)).contains("rd lonely run");
        assertThat(page(path, member)).doesNotContain("deleted-banner");
        assertThat(page("/admin/deleted", admin)).doesNotContain("data-deleted=\"run:" + run.id() + "\"");
        assertThat(activities("restored", run.uuid())).isEqualTo(1);
    }

    @Test
    void aRunWhoseJobIsQueuedIsNotDeletedUntilTheJobEnds() throws Exception {
        Tracking.RunInfo run = run("rd run with a job");
        // an agent job: no agent runs in tests, so it stays queued
        long job = jobs.submitCommand(new CommandJob(
                "command",
                "rd training",
                "sleep 1",
                Map.of(),
                List.of(),
                List.of(),
                new Resources(1, 0, 1, 64, Duration.ofMinutes(5)),
                "rd-ann",
                run.uuid(),
                false));
        store.setTag(run, "stainbench.job_id", Long.toString(job));
        String path = "/runs/" + run.uuid();

        String confirm = page(path + "/delete", member);
        assertThat(confirm)
                .contains("id=\"dependants\"")
                .contains("/jobs/" + job)
                .doesNotContain("id=\"confirm-delete\"");
        mvc.perform(post(path + "/delete").with(member).with(csrf())).andExpect(status().isConflict());
        mvc.perform(post(API + "/runs/delete")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"run_id\": \"" + run.uuid() + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"))
                .andExpect(jsonPath("$.message", org.hamcrest.Matchers.containsString("Cancel the job first")));
        assertThat(store.requireRun(run.uuid()).lifecycleStage()).isEqualTo("active");
        assertThat(activities("deleted", run.uuid())).isZero();

        jobs.cancel(job, "rd-ann");
        mvc.perform(post(path + "/delete").with(member).with(csrf())).andExpect(status().is3xxRedirection());
        assertThat(store.requireRun(run.uuid()).lifecycleStage()).isEqualTo("deleted");
    }

    @Test
    void anExperimentIsDeletedWithItsRunsAndRestoredWithExactlyThose() throws Exception {
        long exp = store.createExperiment("rd experiment", null, Map.of());
        Tracking.RunInfo kept = store.createRun(exp, "rd-ann", 1L, "rd exp run a", Map.of());
        Tracking.RunInfo earlier = store.createRun(exp, "rd-ann", 2L, "rd exp run b", Map.of());
        runs.delete(earlier, "rd-ann"); // deleted before the experiment: stays deleted when it comes back

        assertThat(page("/runs?experiment=" + exp, member)).contains("id=\"delete-experiment\"");
        assertThat(page("/runs?experiment=0", member)).doesNotContain("id=\"delete-experiment\"");
        assertThat(page("/runs?experiment=" + exp, supervisor)).doesNotContain("id=\"delete-experiment\"");
        assertThat(page("/runs/experiments/" + exp + "/delete", member))
                .contains("id=\"confirm-delete\"")
                .contains("Its 1 run is deleted with it");
        mvc.perform(post("/runs/experiments/" + exp + "/delete").with(member).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/runs"));

        assertThat(store.requireExperiment(exp).lifecycleStage()).isEqualTo("deleted");
        assertThat(store.requireRun(kept.uuid()).lifecycleStage()).isEqualTo("deleted");
        assertThat(page("/runs", member)).doesNotContain("rd exp run a").doesNotContain("rd experiment");
        assertThat(page("/runs?experiment=" + exp, member)).doesNotContain("rd exp run a");
        mvc.perform(get("/runs/" + kept.uuid()).with(member)).andExpect(status().isNotFound());
        // the trash lists the experiment, not the runs that come back with it
        String trash = page("/admin/deleted", admin);
        assertThat(trash)
                .contains("data-deleted=\"experiment:" + exp + "\"")
                .doesNotContain("data-deleted=\"run:" + kept.id() + "\"")
                .doesNotContain("data-deleted=\"run:" + earlier.id() + "\"");
        assertThat(jdbc.sql("select count(*) from activity where action = 'deleted' and subject_type = 'experiment' "
                                + "and subject_id = ?")
                        .param(Long.toString(exp))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        // MLflow: creating a run in it is refused; the Default experiment cannot be deleted
        mvc.perform(post(API + "/runs/create")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"experiment_id\": \"" + exp + "\"}"))
                .andExpect(status().isBadRequest());
        mvc.perform(post(API + "/experiments/delete")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"experiment_id\": \"0\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));
        mvc.perform(post(API + "/experiments/search")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"view_type\": \"DELETED_ONLY\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.experiments[?(@.experiment_id == '" + exp + "')]")
                        .isNotEmpty())
                .andExpect(jsonPath("$.experiments[?(@.experiment_id == '0')]").isEmpty());

        mvc.perform(post("/admin/deleted/experiment/" + exp + "/restore")
                        .with(admin)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        assertThat(store.requireExperiment(exp).lifecycleStage()).isEqualTo("active");
        assertThat(store.requireRun(kept.uuid()).lifecycleStage()).isEqualTo("active");
        assertThat(store.requireRun(earlier.uuid()).lifecycleStage())
                .as("deleted on its own before")
                .isEqualTo("deleted");
        assertThat(page("/runs?experiment=" + exp, member))
                .contains("rd exp run a")
                .doesNotContain("rd exp run b");
        assertThat(page("/admin/deleted", admin)).contains("data-deleted=\"run:" + earlier.id() + "\"");

        // the same through MLflow's experiments/delete and experiments/restore
        for (String action : List.of("delete", "restore")) {
            mvc.perform(post(API + "/experiments/" + action)
                            .header("Authorization", "Bearer " + token)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"experiment_id\": \"" + exp + "\"}"))
                    .andExpect(status().isOk());
            mvc.perform(get(API + "/experiments/get")
                            .param("experiment_id", Long.toString(exp))
                            .header("Authorization", "Bearer " + token))
                    .andExpect(jsonPath("$.experiment.lifecycle_stage")
                            .value(action.equals("delete") ? "deleted" : "active"));
            assertThat(store.requireRun(kept.uuid()).lifecycleStage())
                    .isEqualTo(action.equals("delete") ? "deleted" : "active");
        }
    }

    @Test
    void mlflowsDeleteAndRestoreAsThePythonClientSendsThem() throws Exception {
        Tracking.RunInfo run = run("rd api run");
        String exp = Long.toString(run.experimentId());
        String body = "{\"run_id\": \"" + run.uuid() + "\"}";
        // mlflow.delete_run(run_id): POST runs/delete, answer {}; repeating it is harmless
        for (int i = 0; i < 2; i++) {
            mvc.perform(post(API + "/runs/delete")
                            .header("Authorization", "Bearer " + token)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(body))
                    .andExpect(status().isOk())
                    .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                            .json("{}"));
        }
        assertThat(activities("deleted", run.uuid())).isEqualTo(1);
        mvc.perform(get(API + "/runs/get").param("run_id", run.uuid()).header("Authorization", "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.run.info.lifecycle_stage").value("deleted"));
        mvc.perform(post(API + "/runs/search")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"experiment_ids\": [\"" + exp + "\"]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.runs[?(@.info.run_id == '" + run.uuid() + "')]")
                        .isEmpty());
        mvc.perform(post(API + "/runs/search")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"experiment_ids\": [\"" + exp + "\"], \"run_view_type\": \"DELETED_ONLY\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.runs[?(@.info.run_id == '" + run.uuid() + "')]")
                        .isNotEmpty());
        // a deleted run takes no more metrics
        mvc.perform(post(API + "/runs/log-metric")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"run_id\": \"" + run.uuid()
                                + "\", \"key\": \"loss\", \"value\": 1.0, \"timestamp\": 1, \"step\": 0}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code").value("INVALID_PARAMETER_VALUE"));

        mvc.perform(post(API + "/runs/restore")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isOk());
        assertThat(store.requireRun(run.uuid()).lifecycleStage()).isEqualTo("active");
        assertThat(activities("restored", run.uuid())).isEqualTo(1);

        mvc.perform(post(API + "/runs/delete")
                        .header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"run_id\": \"0123456789abcdef0123456789abcdef\"}"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code").value("RESOURCE_DOES_NOT_EXIST"));
    }
}
