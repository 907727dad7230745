package org.stainbench.slides;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobState;
import org.stainbench.jobs.JobSummary;
import org.stainbench.support.PostgresTest;
import org.stainbench.support.Waits;

/** The slides SQL on a real PostgreSQL: register, annotate, tile into a dataset, read everything back. */
@SpringBootTest
@ActiveProfiles("test")
@PostgresTest
class SlidesPostgresIT {

    @BeforeAll
    static void needsTools() {
        SlideFixtures.requireTools();
    }

    @Autowired
    Slides slides;

    @Autowired
    Catalog catalog;

    @Autowired
    JobQueue jobs;

    @Test
    void registerAnnotateAndTileOnPostgres() throws Exception {
        Path allowed = slides.allowedRoots().get(0);
        Files.createDirectories(allowed);
        Path tif = SlideFixtures.pyramid(allowed, "he_henorm_1.png", 0, 0, 1024, 1024, "he_pg_2.tif");
        Slide s = slides.registerPath(tif.toString(), "pRCC", "pg");
        assertThat(slides.slides(0, 10)).extracting(Slide::name).contains("he_pg_2.tif");
        assertThat(s.label()).isEqualTo(SlideLabel.PRCC);
        assertThat(slides.importAnnotations(
                        s.id(),
                        """
                {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[600,0],[600,600],[0,600],[0,0]]]},
                 "properties":{"classification":{"name":"Tumor"}}}""",
                        "pg"))
                .isEqualTo(1);
        long dataset = catalog.createDataset("pg-slides", Stain.HE, null, null, 256, null, "pg");
        long id = slides.startTiling(
                s.id(), new Slides.TilingRequest(dataset, 0, null, 256, 0, null, null, null, true, true, false), "pg");
        Tiling t = slides.tiling(id).orElseThrow();
        JobSummary j = Waits.jobFinished(jobs, t.jobId(), Duration.ofSeconds(120));
        assertThat(j.state()).as(String.valueOf(j.error())).isEqualTo(JobState.SUCCEEDED);
        t = slides.tiling(id).orElseThrow();
        assertThat(t.state()).isEqualTo("DONE");
        assertThat(t.colourCast()).isTrue();
        // only the 3 x 3 tiles touching the polygon (x, y < 600) are read: 16 in the grid
        assertThat(t.tilesTotal()).isEqualTo(16);
        assertThat(t.tilesRead()).isLessThanOrEqualTo(9);
        assertThat(slides.tiles(id)).isNotEmpty().allSatisfy(x -> {
            assertThat(x.className()).isEqualTo("Tumor");
            assertThat(x.x()).isLessThan(600);
        });
        assertThat(t.archiveId()).isNotNull();
    }
}
