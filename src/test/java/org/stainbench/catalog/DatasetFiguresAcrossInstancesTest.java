package org.stainbench.catalog;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.tiles.TileMeasures;

/**
 * Issue 21, item 2: the dataset page keeps its figures (informative count, histograms) in memory, keyed by the
 * dataset's ready archives and their ingest times as read from the database on every view. A re-ingest done by
 * another instance (here: the rows written directly, as that instance's ingest writes them) shows on this instance's
 * next view; no message between instances is needed.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class DatasetFiguresAcrossInstancesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogStore store;

    private static List<IngestPipeline.TileResult> tiles(int n, int informative) {
        List<IngestPipeline.TileResult> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean keep = i < informative;
            double lap = keep ? 300 : 5;
            rows.add(new IngestPipeline.TileResult(
                    i,
                    new TileMeasures(
                            lap,
                            keep ? 0.5 : 0.0,
                            keep ? 0.1 : 0.9,
                            TileMeasures.passes(lap, keep ? 0.5 : 0.0, keep ? 0.1 : 0.9),
                            keep ? 0.9 : 0.1,
                            keep ? 0.9 : 0.1),
                    0,
                    1,
                    0.0));
        }
        return rows;
    }

    private void page(long ds, int informative) throws Exception {
        mvc.perform(get("/datasets/" + ds).with(user("fig-member").roles("MEMBER", "SUPERVISOR")))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(Matchers.containsString("<strong>" + informative + "</strong><span>informative")));
    }

    @Test
    void aReIngestThroughAnotherInstanceShowsOnTheNextView() throws Exception {
        long ds = catalog.createDataset("Figures across instances", Stain.HE, null, "test", 128, null, "fig-member");
        long archive = store.insertArchive(
                ds,
                "he_7100001_1.npz",
                ArchiveNames.parse("he_7100001_1.npz"),
                "7".repeat(64),
                1,
                "PATH",
                "/nowhere",
                "fig-member",
                Instant.now());
        Instant first = Instant.now().minus(Duration.ofMinutes(5));
        store.insertTiles(archive, ds, tiles(20, 12));
        store.ready(archive, 20, 128, 128, "object (N, 2)", first);
        page(ds, 12);
        page(ds, 12); // cached

        // another instance re-ingests the archive: new tiles, a new ingest time
        store.deleteTiles(archive);
        store.insertTiles(archive, ds, tiles(20, 3));
        store.ready(archive, 20, 128, 128, "object (N, 2)", first.plusSeconds(60));
        page(ds, 3);
    }
}
