package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.RunNames;

/**
 * Issue 18: pages name a checkpoint's training run by its name, not by the first 8 characters of its id (the checkpoint
 * list, the checkpoint's lineage); {@link RunNames} falls back to the short id only for an unknown run.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class RunNamesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TrackingStore store;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    RunNames names;

    String page(String url) throws Exception {
        return mvc.perform(get(url).with(user("rn-sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    @Test
    void checkpointPagesShowTheRunsName() throws Exception {
        long exp = store.createExperiment("rn-lora", null, Map.of());
        Tracking.RunInfo run = store.createRun(exp, "rn-mia", null, "lora-r8-seed2", Map.of());
        Checkpoint ck =
                checkpoints.registerEpoch(run.uuid(), "lora-r8-seed2", 3, "PixCell-1024", "mist_pr", null, "rn-mia");
        String shortId = run.uuid().substring(0, 8);

        assertThat(names.label(run.uuid())).isEqualTo("lora-r8-seed2");
        assertThat(names.label("0123456789abcdef")).isEqualTo("01234567");

        String list = page("/checkpoints");
        assertThat(list).contains(">lora-r8-seed2 · epoch 3</a>").doesNotContain(">" + shortId + " · epoch 3<");
        String detail = page("/checkpoints/" + ck.id());
        String lineage = detail.substring(
                detail.indexOf("id=\"lineage-run\""), detail.indexOf("</a>", detail.indexOf("id=\"lineage-run\"")));
        assertThat(lineage).endsWith(">lora-r8-seed2");
        assertThat(List.of(list, detail)).allSatisfy(p -> assertThat(p).contains("href=\"/runs/" + run.uuid() + "\""));
    }
}
