package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobState;
import org.stainbench.jobs.JobSummary;
import org.stainbench.support.Python;

/**
 * Issue 16, item 2: an archive agrees with its dataset. Every archive here was written by numpy
 * ({@code src/test/python/archive_checks.py}): the stain in the file name must be the dataset's, tiles must have the
 * dataset's size, a file name is used once per dataset, names off the lab's convention leave stain and patient blank,
 * tiles of only 0/1 or an archive of one value are refused at ingest with the reason, and a damaged compressed entry
 * is reported as a damaged archive.
 */
@SpringBootTest
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchiveChecksTest {

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogStore store;

    @Autowired
    JobQueue jobs;

    @Autowired
    JdbcClient jdbc;

    Path numpy;
    long ck7;
    long he;

    @BeforeAll
    void setUp() {
        numpy = Python.fixtures("archive_checks.py");
        ck7 = catalog.createDataset("AC CK7", Stain.IHC, "CK7", "test", 64, null, "ac");
        he = catalog.createDataset("AC H&E", Stain.HE, null, "test", 64, null, "ac");
    }

    Archive upload(long dataset, String name, String fixture) throws Exception {
        try (InputStream in = Files.newInputStream(numpy.resolve(fixture))) {
            return catalog.registerUpload(dataset, name, in, "ac");
        }
    }

    Archive ingested(Archive queued) {
        JobSummary s = CatalogFixtures.await(jobs, queued.jobId());
        assertThat(s.state()).isIn(JobState.SUCCEEDED, JobState.FAILED);
        return store.findArchive(queued.id()).orElseThrow();
    }

    long archiveRows() {
        return jdbc.sql("select count(*) from archive").query(Long.class).single();
    }

    long tilesOf(long archiveId) {
        return jdbc.sql("select count(*) from tile where archive_id = ?")
                .param(archiveId)
                .query(Long.class)
                .single();
    }

    @Test
    void theStainInTheFileNameMustBeTheDatasets() throws Exception {
        long rows = archiveRows();
        assertThatThrownBy(() -> upload(ck7, "he_5555555.npz", "tissue64.npz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "'he_5555555.npz' is named as an H&E archive (stain code 'he'), but dataset 'AC CK7' is IHC (CK7)."
                                + " Register it in a dataset of its stain, or rename it if the name is wrong.");
        assertThatThrownBy(() -> upload(he, "ck7_5555555.npz", "tissue64.npz"))
                .hasMessageStartingWith(
                        "'ck7_5555555.npz' is named as an IHC (CK7) archive (stain code 'ck7'), but dataset 'AC H&E' is H&E.");
        assertThatThrownBy(() -> upload(he, "ihc_5555555_2.npz", "tissue64.npz"))
                .hasMessageStartingWith(
                        "'ihc_5555555_2.npz' is named as an IHC archive (stain code 'ihc'), but dataset 'AC H&E' is H&E.");
        long her2 = catalog.createDataset("AC HER2", Stain.IHC, "HER2", "test", 64, null, "ac");
        assertThatThrownBy(() -> upload(her2, "ck7_5555555.npz", "tissue64.npz"))
                .hasMessageStartingWith(
                        "'ck7_5555555.npz' is named as an IHC (CK7) archive (stain code 'ck7'), but dataset 'AC HER2' is IHC (HER2).");
        assertThat(archiveRows()).isEqualTo(rows);
        // the dataset's own marker, and the generic ihc, fit an IHC dataset
        Archive a = ingested(upload(ck7, "ck7_5555555.npz", "tissue64.npz"));
        assertThat(a.status()).as(a.error()).isEqualTo(ArchiveStatus.READY);
        assertThat(a.stainCode()).isEqualTo("ck7");
        assertThat(a.patient()).isEqualTo("5555555");
        Archive b = ingested(upload(her2, "HER2_5555556_1.npz", "lab64.npz"));
        assertThat(b.status()).as(b.error()).isEqualTo(ArchiveStatus.READY);
        assertThat(b.stainCode()).isEqualTo("her2");
        assertThat(b.replicate()).isEqualTo(1);
    }

    @Test
    void tilesOfAnotherSizeThanTheDatasetsAreRefusedAtIngest() throws Exception {
        Archive plain = ingested(upload(ck7, "ihc_7001_1.npz", "small32.npz"));
        assertThat(plain.status()).isEqualTo(ArchiveStatus.FAILED);
        assertThat(plain.error()).isEqualTo("its tiles are 32 × 32 px, but dataset 'AC CK7' holds 64 px tiles");
        assertThat(tilesOf(plain.id())).isZero();
        // the lab's object arrays: the size is known only from the decoded tiles
        Archive lab = ingested(upload(ck7, "ihc_7001_2.npz", "lab32.npz"));
        assertThat(lab.status()).isEqualTo(ArchiveStatus.FAILED);
        assertThat(lab.error()).isEqualTo("its tiles are 32 × 32 px, but dataset 'AC CK7' holds 64 px tiles");
        assertThat(tilesOf(lab.id())).isZero();
    }

    @Test
    void aFileNameIsUsedOncePerDataset() throws Exception {
        long ds = catalog.createDataset("AC names", Stain.IHC, "CK7", "test", 64, null, "ac");
        Archive first = upload(ds, "ihc_7003_1.npz", "tissue64_c.npz");
        long rows = archiveRows();
        // other content under the same name (any case) is refused; nothing is kept
        assertThatThrownBy(() -> upload(ds, "ihc_7003_1.npz", "tissue64_d.npz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "Dataset 'AC names' already holds an archive named 'ihc_7003_1.npz' (registered by ac); a file name"
                                + " is used once per dataset. Rename the file, or remove the registered one first.");
        assertThatThrownBy(() -> upload(ds, "IHC_7003_1.NPZ", "tissue64_d.npz"))
                .hasMessageStartingWith("Dataset 'AC names' already holds an archive named 'ihc_7003_1.npz'");
        assertThat(archiveRows()).isEqualTo(rows);
        assertThat(catalog.archives(ds)).extracting(Archive::id).containsExactly(first.id());
        ingested(first);
    }

    @Test
    void namesOffTheLabsConventionLeaveStainAndPatientBlank() throws Exception {
        Archive a = ingested(upload(ck7, "plain_tiles.npz", "tissue64_b.npz"));
        assertThat(a.status()).as(a.error()).isEqualTo(ArchiveStatus.READY);
        assertThat(a.stainCode()).isNull();
        assertThat(a.patient()).isNull();
        assertThat(a.replicate()).isNull();
    }

    @Test
    void tilesOfOnlyZeroAndOneOrOfOneValueAreRefusedAtIngestWithTheReason() throws Exception {
        Archive binary = ingested(upload(he, "he_7004_1.npz", "binary.npz"));
        assertThat(binary.status()).isEqualTo(ArchiveStatus.FAILED);
        assertThat(binary.error())
                .matches("tile \\d holds only the values 0 and 1: this looks like a mask or an image in \\[0, 1\\]"
                        + " stored as 8 bits, where 8-bit RGB values 0\\.\\.255 are expected");
        assertThat(tilesOf(binary.id())).isZero();
        Archive constant = ingested(upload(he, "he_7004_2.npz", "constant.npz"));
        assertThat(constant.status()).isEqualTo(ArchiveStatus.FAILED);
        assertThat(constant.error())
                .isEqualTo("every pixel of every tile has the value 7: the archive holds no image content");
        assertThat(tilesOf(constant.id())).isZero();
    }

    @Test
    void aDamagedCompressedEntryIsReportedAsADamagedArchive() throws Exception {
        for (String fixture : new String[] {"damaged_plain.npz", "damaged_lab.npz"}) {
            Archive a = ingested(upload(he, "he_7005_" + (fixture.contains("lab") ? 2 : 1) + ".npz", fixture));
            assertThat(a.status()).as(fixture).isEqualTo(ArchiveStatus.FAILED);
            assertThat(a.error())
                    .as(fixture)
                    .startsWith("the archive is damaged: entry '")
                    .contains("cannot be decompressed intact")
                    .doesNotContain("Exception")
                    .doesNotContain("java.")
                    .doesNotContain("class ");
            assertThat(tilesOf(a.id())).isZero();
        }
    }
}
