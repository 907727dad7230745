package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobState;

/** The LoRA form: defaults, preview (htmx fragment and full page), checks, and the launch. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LoraLaunchTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    TrackingStore store;

    @Autowired
    JobQueue jobs;

    static Long datasetId;

    final org.springframework.test.web.servlet.request.RequestPostProcessor member =
            user("mia").roles("MEMBER", "SUPERVISOR");

    @BeforeEach
    void dataset() {
        if (datasetId == null) {
            datasetId = catalog.createDataset("lora-he", Stain.HE, null, "site A", 1024, null, "mia");
        }
    }

    MockHttpServletRequestBuilder filled(MockHttpServletRequestBuilder b, String split, String template) {
        return filled(b, split, template, java.util.Map.of());
    }

    MockHttpServletRequestBuilder filled(
            MockHttpServletRequestBuilder b, String split, String template, java.util.Map<String, String> overrides) {
        LoraForm d = LoraForm.defaults();
        var values = new java.util.LinkedHashMap<String, String>();
        values.put("experiment", "lora-ck7");
        values.put("runName", "r4-seed3");
        values.put("datasetId", String.valueOf(datasetId));
        values.put("split", split);
        values.put("baseModel", d.baseModel());
        values.put("flow", "mist_er");
        values.put("rank", "4");
        values.put("alpha", "4");
        values.put("targetModules", d.targetModules());
        values.put("learningRate", "1e-4");
        values.put("batchSize", "4");
        values.put("epochs", "3");
        values.put("gradientAccumulation", "1");
        values.put("uncondDropout", "0.1");
        values.put("gradientClip", "1.0");
        values.put("maxTilesPerArchive", "300");
        values.put("mixedPrecision", "bf16");
        values.put("tf32", "true");
        values.put("seed", "3");
        values.put("checkpointPattern", d.checkpointPattern());
        values.put("commandTemplate", template);
        values.put("gpus", "1");
        values.put("cpus", "16");
        values.put("memoryGb", "48");
        values.put("hours", "48");
        values.put("executor", "agent");
        values.putAll(overrides);
        b.with(csrf()).with(member);
        values.forEach(b::param);
        return b;
    }

    @Test
    void theFormStartsFromTheTeamsDefaults() throws Exception {
        mvc.perform(get("/training/new").with(member))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("attn2.to_q,attn2.to_k,attn2.to_v,attn2.to_out.0")))
                .andExpect(content().string(Matchers.containsString("name=\"rank\" min=\"1\" value=\"4\"")))
                .andExpect(content().string(Matchers.containsString("name=\"epochs\" min=\"1\" value=\"20\"")))
                .andExpect(content().string(Matchers.containsString("lora-he")));
    }

    @Test
    void previewRendersTheCommandAsFragmentOrPage() throws Exception {
        mvc.perform(filled(post("/training/new/preview"), "all", LoraForm.DEFAULT_TEMPLATE)
                        .header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("--rank 4 --alpha 4")))
                .andExpect(content().string(Matchers.containsString("--dataset lora-he")))
                .andExpect(content()
                        .string(Matchers.containsString(
                                "--checkpoint_pattern &#39;{dataset}_{stain}_lora_{epoch}.pth&#39;")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("<title>"))));
        mvc.perform(filled(post("/training/new/preview"), "all", LoraForm.DEFAULT_TEMPLATE))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("<title>New LoRA training")))
                .andExpect(content().string(Matchers.containsString("--lr 0.0001")));
    }

    @Test
    void badInputIsExplainedAndLaunchesNothing() throws Exception {
        long runsBefore = store.runCount();
        mvc.perform(filled(post("/training"), "all", "python train.py --warmup {warmup_steps}"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("uses {warmup_steps}, which is not a parameter")));
        mvc.perform(filled(post("/training"), "train", LoraForm.DEFAULT_TEMPLATE))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("has no train/test split yet")));
        mvc.perform(filled(post("/training"), "all", LoraForm.DEFAULT_TEMPLATE, java.util.Map.of("epochs", "0")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Epochs must be a whole number from 1 to 1000.")));
        assertThat(store.runCount()).isEqualTo(runsBefore);
    }

    @Test
    void aGeneratedSetIsNotTrainingDataAndIsNotOffered() throws Exception {
        // a generated set as the catalog records it (checkpoint and source by value)
        long generated = catalog.createGeneratedDataset(
                "lora-generated", Stain.IHC, "CK7", null, 1024, null, 424242L, datasetId, "mia");
        long runsBefore = store.runCount();
        mvc.perform(filled(
                        post("/training"),
                        "all",
                        LoraForm.DEFAULT_TEMPLATE,
                        java.util.Map.of("datasetId", String.valueOf(generated))))
                .andExpect(status().isOk())
                .andExpect(
                        content()
                                .string(
                                        Matchers.containsString(
                                                "is a generated set from &#39;lora-he&#39;, not real tiles: the training data must be a dataset of real tiles.")));
        assertThat(store.runCount()).isEqualTo(runsBefore);
        String page = mvc.perform(get("/training/new").with(member))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("<option value=\"" + datasetId + "\"")
                .doesNotContain("<option value=\"" + generated + "\"");
    }

    @Test
    void launchingCreatesTheRunAndSubmitsTheCommand() throws Exception {
        String location = mvc.perform(filled(post("/training"), "all", LoraForm.DEFAULT_TEMPLATE))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        assertThat(location).startsWith("/runs/");
        String uuid = location.substring("/runs/".length());
        Tracking.Run run = store.full(store.requireRun(uuid));
        assertThat(run.info().name()).isEqualTo("r4-seed3");
        assertThat(run.info().userId()).isEqualTo("mia");
        assertThat(run.params())
                .containsEntry("rank", "4")
                .containsEntry("flow", "mist_er")
                .containsEntry("seed", "3")
                .containsEntry("lr", "0.0001")
                .containsEntry("dataset", "lora-he");
        long jobId = Long.parseLong(run.tags().get("stainbench.job_id"));
        var job = jobs.find(jobId).orElseThrow();
        assertThat(job.type()).isEqualTo("train");
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.title()).contains("r4-seed3", "lora-he");
        mvc.perform(get("/runs/" + uuid).with(member))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("/jobs/" + jobId)));
        assertThat(new LoraForm(
                                null,
                                null,
                                null,
                                "all",
                                "b",
                                "none",
                                4,
                                4.0,
                                "m",
                                1e-4,
                                4,
                                3,
                                1,
                                0.1,
                                1.0,
                                300,
                                "bf16",
                                true,
                                0L,
                                "{dataset}_{stain}_lora_{epoch}.pth",
                                "x",
                                1,
                                1,
                                1,
                                1,
                                "agent")
                        .checkpointFiles("lora-he", "he"))
                .isEqualTo(List.of("lora-he_he_lora_1.pth", "lora-he_he_lora_2.pth", "lora-he_he_lora_3.pth"));
    }

    @Test
    void theSplitSideDefaultsToAllWhenADatasetHasNoSplitAndNoNodeIsWarnedBeforeLaunch() throws Exception {
        // issue 18: "train" always failed on the demo (its dataset is never split)
        String page = mvc.perform(get("/training/new").with(member))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("<option value=\"all\" selected=\"selected\">all</option>")
                .doesNotContain("<option value=\"train\" selected=\"selected\">")
                .contains("lora-he · H&amp;E · not split");
        // the default form (1 GPU, 16 CPUs, 48 GB) finds no online node that could take it: said before launching
        assertThat(page).contains("id=\"no-node-warning\"").contains("Queue training (no node online)");
        // hover help on the jargon
        assertThat(page)
                .contains("<abbr class=\"term\" title=\"Which side of the dataset")
                .contains(">Split side</abbr>")
                .contains("mist_pr / mist_er");
    }

    @Test
    void aProblemIsShownAtTheTopFocusedAndNextToItsField() throws Exception {
        String page = mvc.perform(filled(post("/training"), "train", LoraForm.DEFAULT_TEMPLATE))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        // at the top, above the form (it used to appear below the command template), focused on load by form-errors.js
        int summary = page.indexOf("id=\"form-errors\"");
        assertThat(summary).isPositive().isLessThan(page.indexOf("id=\"lora-form\""));
        assertThat(page)
                .contains("data-focus-on-load")
                .contains("href=\"#f-split\"")
                .contains("/js/form-errors.js");
        // and next to the field
        int field = page.indexOf("id=\"f-split\"");
        int error = page.indexOf("id=\"f-split-error\"");
        assertThat(field).isPositive();
        assertThat(error).isGreaterThan(field).isLessThan(page.indexOf("name=\"baseModel\""));
        assertThat(page.substring(error, page.indexOf("</small>", error))).contains("has no train/test split yet");
    }

    @Test
    void aRunWhoseJobWaitsSaysQueuedNotRunning() throws Exception {
        String location = mvc.perform(filled(
                        post("/training"),
                        "all",
                        LoraForm.DEFAULT_TEMPLATE,
                        java.util.Map.of("runName", "waits-for-a-node")))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        String page = mvc.perform(get(location).with(member))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String status = page.substring(
                page.indexOf("id=\"run-status\""), page.indexOf("</span>", page.indexOf("id=\"run-status\"")));
        // no node agent is online in this test (or none that has 16 CPUs and 48 GB): the run says so, not RUNNING
        assertThat(status).contains("queued — no").doesNotContain("RUNNING");
        // and the runs list says the same in the run's row (it said RUNNING before)
        String uuid = location.substring(location.lastIndexOf('/') + 1);
        String list = mvc.perform(get("/runs").with(member))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        int row = list.indexOf("data-run=\"" + uuid + "\"");
        assertThat(row).isPositive();
        String cells = list.substring(row, list.indexOf("</tr>", row));
        assertThat(cells).contains("queued — no").doesNotContain(">RUNNING<");
    }

    @Test
    void supervisorsGetNoTrainingForms() throws Exception {
        mvc.perform(get("/training/new").with(user("sue").roles("SUPERVISOR"))).andExpect(status().isForbidden());
        mvc.perform(get("/training/cpu").with(user("sue").roles("SUPERVISOR"))).andExpect(status().isForbidden());
        mvc.perform(get("/runs").with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.not(Matchers.containsString("id=\"new-training\""))));
    }

    @Test
    void supervisorsCannotLaunch() throws Exception {
        mvc.perform(filled(post("/training"), "all", LoraForm.DEFAULT_TEMPLATE)
                        .with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isForbidden());
    }
}
