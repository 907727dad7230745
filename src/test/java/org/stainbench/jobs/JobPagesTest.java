package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.UserRequestPostProcessor;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.jobs.agent.Protocol;

/** The jobs, job, nodes and template pages: content, htmx twins, validation and who may change what. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class JobPagesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JobQueue queue;

    @Autowired
    JobStore store;

    @Autowired
    AgentService agents;

    @Autowired
    CommandTemplates templates;

    @Autowired
    JdbcClient jdbc;

    static UserRequestPostProcessor member() {
        return user("mia").roles("MEMBER", "SUPERVISOR");
    }

    static UserRequestPostProcessor supervisor() {
        return user("sam").roles("SUPERVISOR");
    }

    @Test
    void theQueueListsJobsWithFiltersAndTheJobPageShowsTimelineAndLog() throws Exception {
        long id = queue.submit(JobRequest.embedded("test-count", "page count", Map.of("n", "3"), "alice"));
        EmbeddedJobsTest.await(queue, id);
        mvc.perform(get("/jobs").with(supervisor()))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("page count"), containsString("test-count"))));
        mvc.perform(get("/jobs")
                        .param("state", "QUEUED")
                        .param("type", "test-count")
                        .with(supervisor()))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("page count"))));
        mvc.perform(get("/jobs").param("state", "NOPE").with(supervisor()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Unknown state")));
        mvc.perform(get("/jobs/" + id).with(supervisor()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("SUCCEEDED"),
                                containsString("step 3 of 3"),
                                containsString("id=\"timeline\""),
                                containsString("embedded-"),
                                not(containsString("id=\"retry-job\"")))));
        // issue 18: a succeeded job offers no Retry (clone it instead), and a retry of it is refused
        mvc.perform(get("/jobs/" + id).with(member()))
                .andExpect(content()
                        .string(allOf(not(containsString("id=\"retry-job\"")), containsString("id=\"job-actions\""))));
        mvc.perform(post("/jobs/" + id + "/retry").with(member()).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(
                        flash().attribute("error", containsString("succeeded; only a failed, cancelled or lost job")));
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        long failed = queue.submit(
                JobRequest.embedded("test-count", "page count failing", Map.of("n", "1", "fail", "boom"), "alice"));
        EmbeddedJobsTest.await(queue, failed);
        mvc.perform(get("/jobs/" + failed).with(member()))
                .andExpect(content().string(containsString("id=\"retry-job\"")));
        // The log tail: a fragment for htmx, the full page without it.
        mvc.perform(get("/jobs/" + id + "/log").header("HX-Request", "true").with(supervisor()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("id=\"job-log\""),
                                containsString("step 3 of 3"),
                                not(containsString("<html")))));
        mvc.perform(get("/jobs/" + id + "/log").with(supervisor()))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("<html"), containsString("id=\"timeline\""))));
        mvc.perform(get("/jobs/999999").with(supervisor())).andExpect(status().isNotFound());
    }

    @Test
    void theQueueShowsJobsPeopleLaunchedByDefaultWithMineAndAllFilters() throws Exception {
        long auto = queue.submit(JobRequest.embedded("test-automatic", "automatic side job", Map.of(), "system"));
        long mine = queue.submit(JobRequest.embedded("test-count", "kim's count", Map.of("n", "1"), "kim"));
        long theirs = queue.submit(JobRequest.embedded("test-count", "lou's count", Map.of("n", "1"), "lou"));
        EmbeddedJobsTest.await(queue, auto);
        EmbeddedJobsTest.await(queue, mine);
        EmbeddedJobsTest.await(queue, theirs);
        UserRequestPostProcessor kim = user("kim").roles("MEMBER", "SUPERVISOR");
        // default: launched by people, the automatic kinds named as hidden
        mvc.perform(get("/jobs").with(kim))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("kim&#39;s count"),
                                containsString("lou&#39;s count"),
                                not(containsString("automatic side job")),
                                containsString("id=\"automatic-note\""),
                                containsString("test-automatic"),
                                containsString("<option value=\"launched\" selected=\"selected\">"))));
        mvc.perform(get("/jobs").param("show", "mine").with(kim))
                .andExpect(content()
                        .string(allOf(
                                containsString("kim&#39;s count"),
                                not(containsString("lou&#39;s count")),
                                not(containsString("automatic side job")))));
        mvc.perform(get("/jobs").param("show", "all").with(kim))
                .andExpect(content()
                        .string(allOf(containsString("kim&#39;s count"), containsString("automatic side job"))));
        // choosing the automatic kind shows it
        mvc.perform(get("/jobs").param("type", "test-automatic").with(kim))
                .andExpect(content()
                        .string(allOf(containsString("automatic side job"), not(containsString("kim&#39;s count")))));
        mvc.perform(get("/jobs").param("show", "everyone").with(kim))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Unknown choice show=")));
    }

    @Test
    void supervisorsGetNoNewJobForm() throws Exception {
        mvc.perform(get("/jobs/new").with(supervisor())).andExpect(status().isForbidden());
        mvc.perform(get("/jobs/new").with(member())).andExpect(status().isOk());
        mvc.perform(get("/jobs").with(supervisor()))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("id=\"new-job\""))));
    }

    @Test
    void membersQueueCommandJobsAndAJobNoNodeCanRunSaysWhy() throws Exception {
        agents.register(
                4242,
                new Protocol.Registration(
                        "page-node",
                        "page-host",
                        8,
                        32_000,
                        List.of(new Protocol.Gpu(0, "NVIDIA A40", 46068, "GPU-1")),
                        false,
                        "test"));
        var result = mvc.perform(post("/jobs")
                        .with(member())
                        .with(csrf())
                        .param("title", "big one")
                        .param("command", "python train.py")
                        .param("gpus", "4")
                        .param("gpuMemoryMb", "40000")
                        .param("cpus", "2")
                        .param("memoryMb", "1000")
                        .param("timeLimitMinutes", "60")
                        .param("executor", "agent")
                        .param("environment", "SEED=7")
                        .param("outputs", "model.pt"))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrlPattern("/jobs/*"))
                .andReturn();
        long id = Long.parseLong(result.getResponse().getRedirectedUrl().replace("/jobs/", ""));
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        mvc.perform(get("/jobs/" + id).with(supervisor()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("No online node can run this job"),
                                containsString("it needs 4 GPU(s); the most any online node has is 1"),
                                containsString("python train.py"),
                                containsString("SEED=7"))));
        // Clone and edit: the form comes back filled in.
        mvc.perform(get("/jobs/new").param("from", Long.toString(id)).with(member()))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("python train.py"), containsString("model.pt"))));
        // Supervisors read only.
        long before = jdbc.sql("select count(*) from job").query(Long.class).single();
        mvc.perform(post("/jobs")
                        .with(supervisor())
                        .with(csrf())
                        .param("title", "x")
                        .param("command", "true"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/jobs/" + id + "/cancel").with(supervisor()).with(csrf()))
                .andExpect(status().isForbidden());
        assertThat(jdbc.sql("select count(*) from job").query(Long.class).single())
                .isEqualTo(before);
        // Bad input: a clear message, nothing queued.
        mvc.perform(post("/jobs")
                        .with(member())
                        .with(csrf())
                        .param("title", "bad")
                        .param("command", " ")
                        .param("cpus", "1")
                        .param("memoryMb", "10")
                        .param("timeLimitMinutes", "5"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", "A command job needs a command."));
        assertThat(jdbc.sql("select count(*) from job").query(Long.class).single())
                .isEqualTo(before);
        // Cancel, then retry.
        mvc.perform(post("/jobs/" + id + "/cancel").with(member()).with(csrf())).andExpect(status().is3xxRedirection());
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        mvc.perform(post("/jobs/" + id + "/retry").with(member()).with(csrf())).andExpect(status().is3xxRedirection());
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        queue.cancel(id, "test");
        // The node page: GPUs and state.
        mvc.perform(get("/nodes").with(supervisor()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("page-node"),
                                containsString("0: NVIDIA A40 (46068 MB)"),
                                containsString(">idle<"))));
    }

    @Test
    void templatesAreValidatedWhenSavedAndWhenLaunched() throws Exception {
        mvc.perform(post("/jobs/templates")
                        .with(member())
                        .with(csrf())
                        .param("name", "tile-eval")
                        .param("command", "python eval.py --slide {slide} --seed {seed} --home ${HOME}")
                        .param("parameters", "slide")
                        .param("cpus", "1")
                        .param("memoryMb", "100")
                        .param("timeLimitMinutes", "10"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", containsString("Unknown parameter {seed} in the command")));
        assertThat(templates.all()).noneMatch(t -> t.name().equals("tile-eval"));
        mvc.perform(post("/jobs/templates")
                        .with(supervisor())
                        .with(csrf())
                        .param("name", "x")
                        .param("command", "y"))
                .andExpect(status().isForbidden());

        var saved = mvc.perform(post("/jobs/templates")
                        .with(member())
                        .with(csrf())
                        .param("name", "tile-eval")
                        .param("command", "python eval.py --slide {slide} --seed {seed} --home ${HOME}")
                        .param("parameters", "slide\nseed=42")
                        .param("outputs", "metrics-{seed}.json")
                        .param("cpus", "1")
                        .param("memoryMb", "100")
                        .param("timeLimitMinutes", "10"))
                .andExpect(status().is3xxRedirection())
                .andReturn();
        long templateId = Long.parseLong(saved.getResponse().getRedirectedUrl().replace("/jobs/templates/", ""));
        mvc.perform(get("/jobs/templates/" + templateId).with(supervisor()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("python eval.py --slide {slide}")));
        mvc.perform(post("/jobs/templates/" + templateId + "/launch")
                        .with(member())
                        .with(csrf()))
                .andExpect(flash().attribute("error", "Missing value for parameter 'slide'."));
        var launched = mvc.perform(post("/jobs/templates/" + templateId + "/launch")
                        .with(member())
                        .with(csrf())
                        .param("p.slide", "he 1811474.svs"))
                .andExpect(status().is3xxRedirection())
                .andReturn();
        long job = Long.parseLong(launched.getResponse().getRedirectedUrl().replace("/jobs/", ""));
        CommandSpec spec = CommandSpec.of(store.find(job).orElseThrow().spec());
        assertThat(spec.command()).isEqualTo("python eval.py --slide 'he 1811474.svs' --seed 42 --home ${HOME}");
        assertThat(spec.outputs()).containsExactly("metrics-42.json");
        assertThat(spec.template()).isEqualTo("tile-eval");
        assertThat(store.find(job).orElseThrow().params()).containsEntry("slide", "he 1811474.svs");
        queue.cancel(job, "test");
    }

    @Test
    void theHomePageCountsJobs() throws Exception {
        long id = queue.submitCommand(
                CommandJob.shell("waiting", "true", new Resources(64, 1, 1, 1, Duration.ofMinutes(1)), "alice"));
        mvc.perform(get("/").with(user("mel").roles("MEMBER", "SUPERVISOR")))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("jobs queued"), containsString("jobs running"))));
        queue.cancel(id, "test");
    }
}
