package org.stainbench.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.PageRequest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.shell.Activity;

@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ActivityTrailTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    ActivityTrail trail;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Evaluations evaluations;

    @Autowired
    java.time.Clock clock;

    static org.springframework.test.web.servlet.request.RequestPostProcessor member(String name) {
        return user(name).roles("MEMBER", "SUPERVISOR");
    }

    /** The newest trail entry of this person and action. */
    private ActivityTrail.Entry last(String actor, String action) {
        var page = trail.find(new ActivityTrail.Filter(actor, action, null, null, null), PageRequest.of(0, 1));
        assertThat(page.getContent()).as("a '" + action + "' entry by " + actor).isNotEmpty();
        return page.getContent().get(0);
    }

    private static void assertEntry(
            ActivityTrail.Entry e, String actor, String action, String type, Object subject, String href) {
        assertThat(e.actor()).isEqualTo(actor);
        assertThat(e.action()).isEqualTo(action);
        assertThat(e.subjectType()).isEqualTo(type);
        assertThat(e.subjectId()).isEqualTo(String.valueOf(subject));
        assertThat(e.href()).isEqualTo(href);
    }

    private long submitJob(String who, String title, Long from) throws Exception {
        var req = post("/jobs")
                .with(member(who))
                .with(csrf())
                .param("title", title)
                .param("command", "echo trail")
                .param("cpus", "1")
                .param("memoryMb", "100")
                .param("timeLimitMinutes", "5")
                .param("executor", "agent");
        if (from != null) {
            req = req.param("from", from.toString());
        }
        String url = mvc.perform(req)
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        return Long.parseLong(url.replace("/jobs/", ""));
    }

    @Test
    void registeringADatasetIsRecorded() throws Exception {
        String url = mvc.perform(post("/datasets")
                        .with(member("tr-reg"))
                        .with(csrf())
                        .param("name", "Trail registered")
                        .param("stain", "HE")
                        .param("tileSize", "64"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        long id = Long.parseLong(url.replace("/datasets/", ""));
        ActivityTrail.Entry e = last("tr-reg", "registered");
        assertEntry(e, "tr-reg", "registered", "dataset", id, "/datasets/" + id);
        assertThat(e.summary()).contains("Trail registered");
    }

    @Test
    void launchingCancellingRetryingAndCloningAJobAreRecorded() throws Exception {
        long job = submitJob("tr-job", "trail job", null);
        assertEntry(last("tr-job", "launched"), "tr-job", "launched", "job", job, "/jobs/" + job);

        mvc.perform(post("/jobs/" + job + "/cancel").with(member("tr-job")).with(csrf()))
                .andExpect(status().is3xxRedirection());
        assertEntry(last("tr-job", "cancelled"), "tr-job", "cancelled", "job", job, "/jobs/" + job);

        mvc.perform(post("/jobs/" + job + "/retry").with(member("tr-job")).with(csrf()))
                .andExpect(status().is3xxRedirection());
        assertEntry(last("tr-job", "retried"), "tr-job", "retried", "job", job, "/jobs/" + job);

        long clone = submitJob("tr-job", "trail job again", job);
        ActivityTrail.Entry e = last("tr-job", "cloned");
        assertEntry(e, "tr-job", "cloned", "job", clone, "/jobs/" + clone);
        assertThat(e.summary()).contains("cloned from job " + job);
        mvc.perform(post("/jobs/" + clone + "/cancel").with(member("tr-job")).with(csrf()));
    }

    @Test
    void editingACommandTemplateIsRecorded() throws Exception {
        String url = mvc.perform(post("/jobs/templates")
                        .with(member("tr-edit"))
                        .with(csrf())
                        .param("name", "trail-template")
                        .param("command", "echo {x}")
                        .param("parameters", "x=1")
                        .param("cpus", "1")
                        .param("memoryMb", "100")
                        .param("timeLimitMinutes", "5"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        long id = Long.parseLong(url.replace("/jobs/templates/", ""));
        assertEntry(
                last("tr-edit", "registered"),
                "tr-edit",
                "registered",
                "command template",
                id,
                "/jobs/templates/" + id);
        mvc.perform(post("/jobs/templates/" + id)
                        .with(member("tr-edit"))
                        .with(csrf())
                        .param("name", "trail-template")
                        .param("command", "echo {x} {x}")
                        .param("parameters", "x=2")
                        .param("cpus", "1")
                        .param("memoryMb", "100")
                        .param("timeLimitMinutes", "5"))
                .andExpect(status().is3xxRedirection());
        assertEntry(last("tr-edit", "edited"), "tr-edit", "edited", "command template", id, "/jobs/templates/" + id);
    }

    @Test
    void deletingAndRestoringAreRecorded() throws Exception {
        long id = catalog.createDataset("Trail deleted", Stain.HE, null, null, 64, null, "tr-del");
        mvc.perform(post("/datasets/" + id + "/delete").with(member("tr-del")).with(csrf()))
                .andExpect(status().is3xxRedirection());
        assertEntry(last("tr-del", "deleted"), "tr-del", "deleted", "dataset", id, "/datasets/" + id);
        mvc.perform(post("/admin/deleted/dataset/" + id + "/restore")
                        .with(user("tr-admin").roles("ADMIN", "MEMBER", "SUPERVISOR"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        ActivityTrail.Entry e = last("tr-admin", "restored");
        assertEntry(e, "tr-admin", "restored", "dataset", id, "/datasets/" + id);
        assertThat(e.summary()).contains("deleted by tr-del");
    }

    @Test
    void exportingIsRecorded() throws Exception {
        long id = catalog.createDataset("Trail exported", Stain.HE, null, null, 64, null, "tr-exp");
        mvc.perform(get("/datasets/" + id + "/split.csv").with(user("tr-exp").roles("SUPERVISOR")))
                .andExpect(status().isOk());
        assertEntry(last("tr-exp", "exported"), "tr-exp", "exported", "dataset", id, "/datasets/" + id);
    }

    @Test
    void exportingAnEvaluationTableIsRecorded() throws Exception {
        java.nio.file.Path sheet = java.nio.file.Path.of("..", "shared", "data", "lab", "quantitative_results.xlsx");
        long id;
        try (var in = java.nio.file.Files.newInputStream(sheet)) {
            id = evaluations
                    .importSheet("quantitative_results.xlsx", in, "tr-imp")
                    .id();
        }
        mvc.perform(get("/evaluations/" + id + "/export.csv")
                        .with(user("tr-csv").roles("SUPERVISOR")))
                .andExpect(status().isOk());
        ActivityTrail.Entry csv = last("tr-csv", "exported");
        assertEntry(csv, "tr-csv", "exported", "evaluation", id, "/evaluations/" + id);
        assertThat(csv.summary()).endsWith("as CSV");
        mvc.perform(get("/evaluations/" + id + "/export.tex")
                        .with(user("tr-csv").roles("SUPERVISOR")))
                .andExpect(status().isOk());
        assertThat(last("tr-csv", "exported").summary()).endsWith("as LaTeX");
    }

    @Test
    void refusedOrInvalidActionsRecordNothing() throws Exception {
        long before = trail.find(new ActivityTrail.Filter("tr-none", null, null, null, null), PageRequest.of(0, 1))
                .getTotalElements();
        // bad input: the job is not queued, the dataset not created
        mvc.perform(post("/jobs")
                        .with(member("tr-none"))
                        .with(csrf())
                        .param("title", "x")
                        .param("command", " ")
                        .param("executor", "agent"))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/datasets")
                        .with(member("tr-none"))
                        .with(csrf())
                        .param("name", "")
                        .param("stain", "HE")
                        .param("tileSize", "64"))
                .andExpect(status().isOk());
        // a deletion refused inside its transaction: a checkpoint trained on the dataset depends on it
        long id = catalog.createDataset("Trail blocked", Stain.HE, null, null, 64, null, "tr-other");
        checkpoints.register(
                new Checkpoints.NewCheckpoint(
                        "trail-blocker", null, "none", null, null, null, null, null, id, null, null),
                null,
                null,
                null,
                "tr-other");
        mvc.perform(post("/datasets/" + id + "/delete").with(member("tr-none")).with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(content().string(Matchers.containsString("trail-blocker")));
        assertThat(catalog.dataset(id)).isPresent();
        assertThat(trail.find(new ActivityTrail.Filter("tr-none", null, null, null, null), PageRequest.of(0, 1))
                        .getTotalElements())
                .isEqualTo(before);
    }

    @Test
    void theFilterNarrowsByKindAndDatesAndThePagePages() throws Exception {
        for (int i = 0; i < 55; i++) {
            events.publishEvent(Activity.of("tr-many", "edited", "widget", i, "Edited widget " + i, "/widgets/" + i));
        }
        events.publishEvent(Activity.of("tr-many", "edited", "gadget", 1, "Edited gadget 1", "/gadgets/1"));
        var widgets =
                trail.find(new ActivityTrail.Filter("tr-many", null, "widget", null, null), PageRequest.of(0, 100));
        assertThat(widgets.getTotalElements()).isEqualTo(55);
        assertThat(widgets.getContent()).allMatch(e -> e.subjectType().equals("widget"));
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        assertThat(trail.find(new ActivityTrail.Filter("tr-many", null, null, today, today), PageRequest.of(0, 100))
                        .getTotalElements())
                .isEqualTo(56);
        assertThat(trail.find(
                                new ActivityTrail.Filter("tr-many", null, null, today.plusDays(1), null),
                                PageRequest.of(0, 100))
                        .getTotalElements())
                .isZero();
        assertThat(trail.find(
                                new ActivityTrail.Filter("tr-many", null, null, null, today.minusDays(1)),
                                PageRequest.of(0, 100))
                        .getTotalElements())
                .isZero();
        var supervisor = user("sue").roles("SUPERVISOR");
        mvc.perform(get("/activity").with(supervisor).param("actor", "tr-many").param("type", "gadget"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Edited gadget 1")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("Edited widget 3<"))));
        // 55 widgets: two pages of 50; the newest first, the oldest on page 2
        mvc.perform(get("/activity").with(supervisor).param("actor", "tr-many").param("type", "widget"))
                .andExpect(content().string(Matchers.containsString("Edited widget 54")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("Edited widget 0<"))));
        mvc.perform(get("/activity")
                        .with(supervisor)
                        .param("actor", "tr-many")
                        .param("type", "widget")
                        .param("page", "1"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Edited widget 0<")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("Edited widget 54<"))));
    }

    private long count(String actor, String action) {
        return trail.find(new ActivityTrail.Filter(actor, action, null, null, null), PageRequest.of(0, 10))
                .getTotalElements();
    }

    @Test
    void adminActionsAreRecordedWithTheirActor() throws Exception {
        var admin = user("admin").roles("ADMIN", "MEMBER", "SUPERVISOR");
        mvc.perform(post("/admin/users")
                        .with(csrf())
                        .with(admin)
                        .param("username", "trail.user")
                        .param("role", "MEMBER")
                        .param("password", "trail-password"))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/admin/tokens")
                        .with(csrf())
                        .with(admin)
                        .param("name", "trail-token")
                        .param("owner", "trail.user")
                        .param("scope", "API"))
                .andExpect(status().is3xxRedirection());
        var page = trail.find(new ActivityTrail.Filter("admin", null, null, null, null), PageRequest.of(0, 10));
        assertThat(page.getContent())
                .extracting(ActivityTrail.Entry::summary)
                .contains("Created user 'trail.user' (MEMBER)", "Created API token 'trail-token' for trail.user");
    }

    @Test
    void workThatRolledBackLeavesNoTrace() {
        long before = count("ghost", null);
        try {
            tx.executeWithoutResult(s -> {
                events.publishEvent(Activity.of("ghost", "deleted", "dataset", 1, "Deleted dataset 'x'", null));
                throw new IllegalStateException("rolled back");
            });
        } catch (IllegalStateException expected) {
            // the transaction rolled back
        }
        assertThat(count("ghost", null)).isEqualTo(before);
        tx.executeWithoutResult(
                s -> events.publishEvent(Activity.of("ghost", "deleted", "dataset", 2, "Deleted dataset 'y'", null)));
        assertThat(count("ghost", "deleted")).isEqualTo(before + 1);
    }

    @Test
    void thePageFiltersAndHasAnHtmxTwin() throws Exception {
        events.publishEvent(Activity.of("zoe", "exported", "report", 3, "Exported report Q3", "/reports/3"));
        events.publishEvent(Activity.of("yan", "cancelled", "job", 4, "Cancelled job #4", "/jobs/4"));
        var supervisor = user("sue").roles("SUPERVISOR");
        mvc.perform(get("/activity").with(supervisor).param("actor", "zoe"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Exported report Q3")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("Cancelled job #4"))))
                .andExpect(content().string(Matchers.containsString("<title>Activity")));
        mvc.perform(get("/activity")
                        .with(supervisor)
                        .param("action", "cancelled")
                        .header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Cancelled job #4")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("<title>"))));
        mvc.perform(get("/activity").with(user("pat").roles("PATHOLOGIST"))).andExpect(status().isForbidden());
        mvc.perform(get("/activity")
                        .with(user("ada").roles("ADMIN", "MEMBER", "SUPERVISOR"))
                        .param("actor", "zoe"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Exported report Q3")));
    }
}
