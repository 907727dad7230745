package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobState;
import org.stainbench.support.Waits;
import org.stainbench.tiles.SyntheticTiles;

/** The CPU colour-map training from its form to its epoch checkpoints and generated sets, on the embedded executor. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class CpuTrainingTest {

    @Autowired
    CatalogTiles tiles;

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    TrackingStore store;

    @Autowired
    JobQueue jobs;

    @Autowired
    Checkpoints checkpoints;

    final RequestPostProcessor member = user("mia").roles("MEMBER", "SUPERVISOR");
    static long he;
    static long ck7;

    @BeforeEach
    void datasets() throws Exception {
        if (he != 0) {
            return;
        }
        he = catalog.createDataset("cpu-he", Stain.HE, null, null, 256, null, "mia");
        ck7 = catalog.createDataset("cpu-ck7", Stain.IHC, "CK7", null, 256, null, "mia");
        upload(he, "he_100_1.npz", SyntheticTiles.Stain.HE, 1);
        upload(ck7, "ihc_200_1.npz", SyntheticTiles.Stain.CK7, 2);
        Waits.upTo(Duration.ofSeconds(90), "demo archives ingested").until(() -> ready(he) && ready(ck7));
    }

    private boolean ready(long dataset) {
        return catalog.archives(dataset).stream().allMatch(a -> a.status() == ArchiveStatus.READY);
    }

    private void upload(long dataset, String name, SyntheticTiles.Stain stain, long seed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyntheticTiles.writeLabArchive(out, stain, 6, 256, seed, 0.0, 0.0, true);
        catalog.registerUpload(dataset, name, new ByteArrayInputStream(out.toByteArray()), "mia");
    }

    private static void await(JobQueue jobs, long id) {
        Waits.jobFinished(jobs, id, Duration.ofSeconds(120));
    }

    @Test
    void trainingLogsItsLossAndRegistersAnEpochCheckpointEach() throws Exception {
        String location = mvc.perform(post("/training/cpu")
                        .with(csrf())
                        .with(member)
                        .param("experiment", "colour-map")
                        .param("runName", "cm-test")
                        .param("sourceDatasetId", String.valueOf(he))
                        .param("targetDatasetId", String.valueOf(ck7))
                        .param("split", "all")
                        .param("epochs", "2")
                        .param("steps", "5")
                        .param("batch", "256")
                        .param("projections", "8")
                        .param("learningRate", "0.05")
                        .param("seed", "1")
                        .param("applyToDatasetId", String.valueOf(he)))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        String uuid = location.substring("/runs/".length());
        Tracking.RunInfo info = store.requireRun(uuid);
        long jobId = Long.parseLong(store.full(info).tags().get("stainbench.job_id"));
        await(jobs, jobId);
        assertThat(jobs.find(jobId).orElseThrow().state())
                .as(jobs.find(jobId).orElseThrow().error())
                .isEqualTo(JobState.SUCCEEDED);

        Tracking.Run run = store.full(store.requireRun(uuid));
        assertThat(run.info().status()).isEqualTo("FINISHED");
        assertThat(run.params()).containsEntry("epochs", "2").containsEntry("seed", "1");
        List<Tracking.Metric> loss = store.metricHistory(run.info(), "loss");
        assertThat(loss).hasSize(10).allMatch(m -> Double.isFinite(m.value()) && m.value() >= 0);
        assertThat(store.metricHistory(run.info(), "epoch_loss"))
                .extracting(Tracking.Metric::step)
                .containsExactly(1L, 2L);

        List<Checkpoint> epochs =
                checkpoints.all().stream().filter(c -> uuid.equals(c.runUuid())).toList();
        assertThat(epochs).extracting(Checkpoint::epoch).containsExactlyInAnyOrder(1, 2);
        assertThat(epochs).allMatch(c -> c.kind() == CheckpointKind.COLOUR_MAP);
        assertThat(epochs.stream()
                        .mapToLong(c -> checkpoints.sets(c.id()).size())
                        .sum())
                .isEqualTo(2);

        String page = mvc.perform(get("/runs/" + uuid).with(member))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("checkpoints/cpu-he_ck7_colourmap_2.txt")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        // a finished run's page holds the epoch form and polls for nothing (CpuTrainingInBrowserIT sees it arrive live)
        assertThat(java.util.regex.Pattern.compile("<input type=\"checkbox\" name=\"epochs\"")
                        .matcher(page)
                        .results())
                .hasSize(2);
        for (String live : List.of("epoch-form-live", "run-live", "run-checkpoints-live")) {
            var tag = java.util.regex.Pattern.compile("<div id=\"" + live + "\"[^>]*>")
                    .matcher(page);
            assertThat(tag.find()).as(live).isTrue();
            assertThat(tag.group()).as(live).doesNotContain("hx-get");
        }

        // the tile scrubber: once both epochs' sets are ingested, one frame per epoch with the same 6 source tiles
        // (the one source archive's tiles 0-5), each frame's tiles from its own epoch's generated archive
        for (Checkpoint c : epochs) {
            GeneratedFixtures.awaitGenerated(checkpoints, catalog, c.id());
        }
        String scrub = mvc.perform(get("/runs/" + uuid).with(member))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(scrub)
                .contains("id=\"tile-scrubber\"")
                .contains("data-epochs=\"1,2\"")
                .contains("/js/tile-scrubber.js");
        var frames = java.util.regex.Pattern.compile("data-epoch=\"(\\d)\" data-tiles=\"([0-9,]+)\"")
                .matcher(scrub)
                .results()
                .toList();
        assertThat(frames).hasSize(2);
        for (var f : frames) {
            Checkpoint c = epochs.stream()
                    .filter(x -> x.epoch() == Integer.parseInt(f.group(1)))
                    .findFirst()
                    .orElseThrow();
            long generated = checkpoints.sets(c.id()).get(0).datasetId();
            List<Long> ids = java.util.Arrays.stream(f.group(2).split(","))
                    .map(Long::valueOf)
                    .toList();
            assertThat(ids).hasSize(TileScrubber.TILES);
            assertThat(ids)
                    .extracting(id -> tiles.tile(id).orElseThrow().datasetId())
                    .containsOnly(generated);
            assertThat(ids)
                    .extracting(id -> tiles.tile(id).orElseThrow().index())
                    .containsExactly(0, 1, 2, 3, 4, 5);
        }
        assertThat(frames.get(0).group(2)).isNotEqualTo(frames.get(1).group(2));
    }

    @Test
    void theFormExplainsWhatIsMissing() throws Exception {
        mvc.perform(post("/training/cpu")
                        .with(csrf())
                        .with(member)
                        .param("experiment", "colour-map")
                        .param("sourceDatasetId", String.valueOf(ck7))
                        .param("targetDatasetId", String.valueOf(he))
                        .param("split", "train")
                        .param("epochs", "0")
                        .param("steps", "5")
                        .param("batch", "256")
                        .param("projections", "8")
                        .param("learningRate", "0.05")
                        .param("seed", "1"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Choose the H&amp;E dataset to learn from.")))
                .andExpect(content().string(Matchers.containsString("Choose the real IHC dataset")))
                .andExpect(content().string(Matchers.containsString("Epochs must be a whole number from 1 to 200.")));
        mvc.perform(get("/training/cpu").with(member))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("cpu-he")));
    }
}
