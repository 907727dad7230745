package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.jobs.JobQueue;
import org.stainbench.tiles.SyntheticTiles;

/**
 * Issue 18: the ingest job's title names the dataset, so the ingests of the same file name into five generated sets no
 * longer read as five identical "Ingest ihc_2517730_1.npz".
 */
@SpringBootTest
@ActiveProfiles("test")
class JobTitlesTest {

    @Autowired
    Catalog catalog;

    @Autowired
    JobQueue jobs;

    @Test
    void theIngestTitleNamesTheArchiveAndItsDataset(@TempDir Path tmp) throws Exception {
        // the same name, other content (the catalog refuses the same content twice)
        Path file =
                CatalogFixtures.labArchive(tmp.resolve("a"), "ihc_2517730_1.npz", SyntheticTiles.Stain.CK7, 2, 64, 7);
        Path other =
                CatalogFixtures.labArchive(tmp.resolve("b"), "ihc_2517730_1.npz", SyntheticTiles.Stain.CK7, 2, 64, 8);
        long a = catalog.createDataset("Titles CK7 one", Stain.IHC, "CK7", null, 64, null, "ti-ann");
        long b = catalog.createDataset("Titles CK7 two", Stain.IHC, "CK7", null, 64, null, "ti-ann");
        Archive x;
        Archive y;
        try (InputStream in = Files.newInputStream(file)) {
            x = catalog.registerUpload(a, "ihc_2517730_1.npz", in, "ti-ann");
        }
        try (InputStream in = Files.newInputStream(other)) {
            y = catalog.registerUpload(b, "ihc_2517730_1.npz", in, "ti-ann");
        }
        String first = CatalogFixtures.await(jobs, x.jobId()).title();
        String second = CatalogFixtures.await(jobs, y.jobId()).title();
        assertThat(first).isEqualTo("Ingest ihc_2517730_1.npz into Titles CK7 one");
        assertThat(second).isEqualTo("Ingest ihc_2517730_1.npz into Titles CK7 two");
    }
}
