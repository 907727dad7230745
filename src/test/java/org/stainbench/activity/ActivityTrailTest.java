package org.stainbench.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

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

    private long count(String actor, String action) {
        return trail.find(new ActivityTrail.Filter(actor, action, null, null, null), PageRequest.of(0, 10))
                .getTotalElements();
    }

    @Test
    void adminActionsAreRecordedWithTheirActor() throws Exception {
        var admin = user("admin").roles("ADMIN", "MEMBER", "SUPERVISOR");
        mvc.perform(post("/admin/users").with(csrf()).with(admin).param("username", "trail.user")
                .param("role", "MEMBER").param("password", "trail-password")).andExpect(status().is3xxRedirection());
        mvc.perform(post("/admin/tokens").with(csrf()).with(admin).param("name", "trail-token")
                .param("owner", "trail.user").param("scope", "API")).andExpect(status().is3xxRedirection());
        var page = trail.find(new ActivityTrail.Filter("admin", null, null, null, null), PageRequest.of(0, 10));
        assertThat(page.getContent()).extracting(ActivityTrail.Entry::summary)
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
        tx.executeWithoutResult(s -> events.publishEvent(
                Activity.of("ghost", "deleted", "dataset", 2, "Deleted dataset 'y'", null)));
        assertThat(count("ghost", "deleted")).isEqualTo(before + 1);
    }

    @Test
    void thePageFiltersAndHasAnHtmxTwin() throws Exception {
        events.publishEvent(Activity.of("zoe", "exported", "report", 3, "Exported report Q3", "/reports/3"));
        events.publishEvent(Activity.of("yan", "cancelled", "job", 4, "Cancelled job #4", "/jobs/4"));
        var supervisor = user("sue").roles("SUPERVISOR");
        mvc.perform(get("/activity").with(supervisor).param("actor", "zoe")).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Exported report Q3")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("Cancelled job #4"))))
                .andExpect(content().string(Matchers.containsString("<title>Activity")));
        mvc.perform(get("/activity").with(supervisor).param("action", "cancelled").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Cancelled job #4")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("<title>"))));
        mvc.perform(get("/activity").with(user("pat").roles("PATHOLOGIST"))).andExpect(status().isForbidden());
    }
}
