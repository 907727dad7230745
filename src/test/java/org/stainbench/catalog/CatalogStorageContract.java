package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.artifacts.ArtifactCache;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobState;
import org.stainbench.jobs.JobSummary;
import org.stainbench.shell.Sha256;
import org.stainbench.support.Python;
import org.stainbench.tiles.Npz;
import org.stainbench.tiles.RgbTile;
import org.stainbench.tiles.SyntheticTiles;
import org.stainbench.tiles.Thumbnails;

/**
 * The catalog's bytes on an {@link ArtifactStore}, the same tests on each store (subclasses: the local folder, and a
 * bucket of a real S3 API server): an uploaded archive is kept under {@code catalog/uploads/<sha256>.npz}, its ingest
 * writes {@code catalog/archives/<id>/tiles.rgb} and {@code thumbs.bin} with the exact tile count, every tile is served
 * with the archive's very pixels and every thumbnail with the bytes the ingest encoded; deleting an archive removes its
 * objects; a refused or broken-off upload and a failing or interrupted ingest leave no object and no row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CatalogStorageContract {

    static final String PASSWORD = "Tulip-Quarry-4471";

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogStore store;

    @Autowired
    CatalogFiles files;

    @Autowired
    ArtifactStore artifacts;

    @Autowired
    ArtifactCache cache;

    @Autowired
    JobQueue jobs;

    @Autowired
    IngestRecovery recovery;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path tmp;

    String token;

    /** Which store: a short word used in names ("local", "s3"). */
    abstract String kind();

    String who() {
        return "cstore-" + kind();
    }

    @BeforeAll
    void account() {
        accounts.createAccount(who(), Role.MEMBER, PASSWORD);
        token = accounts.issueApiToken("storage", who());
    }

    long dataset(String name, int tileSize) {
        return catalog.createDataset(name + " (" + kind() + ")", Stain.HE, null, "test", tileSize, null, who());
    }

    Archive awaitIngest(long archiveId) {
        Archive a = store.findArchive(archiveId).orElseThrow();
        JobSummary s = CatalogFixtures.await(jobs, a.jobId());
        assertThat(s.state()).as("job %s: %s", s.id(), s.error()).isIn(JobState.SUCCEEDED, JobState.FAILED);
        return store.findArchive(archiveId).orElseThrow();
    }

    List<String> keys(String prefix) throws IOException {
        return artifacts.list(prefix).stream()
                .map(ArtifactStore.ArtifactObject::key)
                .toList();
    }

    long rows(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    byte[] bytes(String path) throws Exception {
        return mvc.perform(get(path).with(user(who()).roles("MEMBER", "SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
    }

    @Test
    void anUploadIsIngestedIntoTheStoreAndEveryTileAndThumbnailIsServedExactly() throws Exception {
        long ds = dataset("Storage upload", 96);
        Path file = CatalogFixtures.labArchive(tmp, "he_3100001_1.npz", SyntheticTiles.Stain.HE, 7, 96, 17);
        String sha = Sha256.of(file);
        mvc.perform(multipart("/api/datasets/" + ds + "/archives")
                        .file(new MockMultipartFile(
                                "file", "he_3100001_1.npz", "application/octet-stream", Files.readAllBytes(file)))
                        .header("Authorization", "Bearer " + token))
                .andExpect(status().isCreated());
        Archive a = awaitIngest(catalog.archives(ds).get(0).id());
        assertThat(a.status()).as(a.error()).isEqualTo(ArchiveStatus.READY);
        assertThat(a.tilesTotal()).isEqualTo(7);

        // the objects, under the folder's layout as keys
        assertThat(artifacts.readAllBytes(CatalogFiles.uploadKey(sha))).isEqualTo(Files.readAllBytes(file));
        assertThat(keys(CatalogFiles.outputPrefix(a.id())))
                .containsExactly(
                        CatalogFiles.outputKey(a.id(), IngestPipeline.THUMBS_FILE),
                        CatalogFiles.outputKey(a.id(), IngestPipeline.TILES_FILE));
        assertThat(artifacts.size(CatalogFiles.outputKey(a.id(), IngestPipeline.TILES_FILE)))
                .hasValue(7L * 96 * 96 * 3);

        List<RgbTile> want = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Npz.readTiles(in, Npz.Limits.DEFAULT, (i, t) -> want.add(t));
        }
        List<TileInfo> indexed = store.tiles(ds, TileFilter.NONE, 0, 100);
        assertThat(indexed).hasSize(7);
        for (TileInfo t : indexed) {
            // lossless PNG: every pixel is the archive's
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes("/tiles/" + t.id() + "/image?format=png")));
            RgbTile w = want.get(t.index());
            for (int y = 0; y < 96; y++) {
                for (int x = 0; x < 96; x++) {
                    int rgb = img.getRGB(x, y);
                    assertThat(new int[] {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff})
                            .as("tile %d pixel (%d, %d)", t.index(), x, y)
                            .containsExactly(w.get(x, y, 0), w.get(x, y, 1), w.get(x, y, 2));
                }
            }
            // the thumbnail is the JPEG the ingest encoded from this tile, byte for byte
            byte[] thumb = Images.jpeg(Thumbnails.thumbnail(w, Thumbnails.SIZE), IngestPipeline.THUMB_QUALITY);
            assertThat(bytes("/tiles/" + t.id() + "/thumb")).isEqualTo(thumb);
            // read again (from the cache on S3): the same bytes
            assertThat(bytes("/tiles/" + t.id() + "/thumb")).isEqualTo(thumb);
        }
        // other modules read through the catalog's door the same pixels
        assertThat(catalog.archive(a.id())).isPresent();
        afterIngest(a);
    }

    /** What each store shows beside that (where the bytes are, the cache). */
    abstract void afterIngest(Archive a) throws Exception;

    @Test
    void deletingAnArchiveRemovesItsObjectsAndASoftDeletedDatasetKeepsThem() throws Exception {
        long ds = dataset("Storage delete", 64);
        Path f1 = CatalogFixtures.labArchive(tmp, "he_3200001_1.npz", SyntheticTiles.Stain.HE, 3, 64, 21);
        Path f2 = CatalogFixtures.labArchive(tmp, "he_3200002_1.npz", SyntheticTiles.Stain.HE, 2, 64, 22);
        Archive a1;
        Archive a2;
        try (InputStream in = Files.newInputStream(f1)) {
            a1 = catalog.registerUpload(ds, "he_3200001_1.npz", in, who());
        }
        try (InputStream in = Files.newInputStream(f2)) {
            a2 = catalog.registerUpload(ds, "he_3200002_1.npz", in, who());
        }
        assertThat(awaitIngest(a1.id()).status()).isEqualTo(ArchiveStatus.READY);
        assertThat(awaitIngest(a2.id()).status()).isEqualTo(ArchiveStatus.READY);
        TileInfo t = store.tiles(ds, TileFilter.NONE, 0, 10).stream()
                .filter(x -> x.archiveId() == a1.id())
                .findFirst()
                .orElseThrow();
        bytes("/tiles/" + t.id() + "/thumb");

        catalog.deleteArchive(ds, a1.id(), who());
        assertThat(keys(CatalogFiles.outputPrefix(a1.id()))).isEmpty();
        assertThat(artifacts.exists(CatalogFiles.uploadKey(a1.sha256()))).isFalse();
        assertThat(jdbc.sql("select count(*) from tile where archive_id = ?")
                        .param(a1.id())
                        .query(Long.class)
                        .single())
                .isZero();
        mvc.perform(get("/tiles/" + t.id() + "/thumb").with(user(who()).roles("MEMBER", "SUPERVISOR")))
                .andExpect(status().isNotFound());
        // the other archive is untouched
        assertThat(keys(CatalogFiles.outputPrefix(a2.id()))).hasSize(2);
        assertThat(artifacts.exists(CatalogFiles.uploadKey(a2.sha256()))).isTrue();

        // a dataset's soft delete keeps its objects (it can be restored as it was)
        catalog.deleteDataset(ds, who());
        assertThat(keys(CatalogFiles.outputPrefix(a2.id()))).hasSize(2);
        catalog.restoreDataset(ds, who());
        TileInfo t2 = store.tiles(ds, TileFilter.NONE, 0, 10).get(0);
        assertThat(bytes("/tiles/" + t2.id() + "/image?format=png")).isNotEmpty();
    }

    @Test
    void aRefusedOrBrokenOffUploadLeavesNoObjectAndNoRow() throws Exception {
        long ds = dataset("Storage refused", 64);
        long archives = rows("archive");
        List<String> uploads = keys("catalog/uploads/");
        byte[] notAZip = "this is not an archive at all, only text".getBytes();
        mvc.perform(post("/api/datasets/" + ds + "/archives")
                        .param("fileName", "he_3300001_1.npz")
                        .contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .content(notAZip)
                        .header("Authorization", "Bearer " + token))
                .andExpect(status().isBadRequest());
        // a client that goes away half way through a valid archive
        byte[] good = Files.readAllBytes(
                CatalogFixtures.labArchive(tmp, "he_3300002_1.npz", SyntheticTiles.Stain.HE, 3, 64, 33));
        InputStream broken = new InputStream() {
            int i;

            @Override
            public int read() throws IOException {
                if (i >= good.length / 2) {
                    throw new IOException("connection reset by peer");
                }
                return good[i++] & 0xff;
            }
        };
        assertThatThrownBy(() -> catalog.registerUpload(ds, "he_3300002_1.npz", broken, who()))
                .hasMessageContaining("broke off");
        assertThat(rows("archive")).isEqualTo(archives);
        assertThat(keys("catalog/uploads/")).isEqualTo(uploads);
        assertThat(artifacts.exists(CatalogFiles.uploadKey(Sha256.of(notAZip)))).isFalse();
        assertThat(artifacts.exists(CatalogFiles.uploadKey(Sha256.of(good)))).isFalse();
        assertThat(CatalogFixtures.filesUnder(files.root().resolve("incoming"))).isEmpty();
    }

    @Test
    void aFailingIngestLeavesNoOutputAndNoTiles() throws Exception {
        Path numpy = Python.fixtures("tile_fixtures.py");
        long ds = dataset("Storage failing", 64);
        Archive a;
        // a copy with its own bytes: other tests of a shared context may have registered the fixture itself
        try (InputStream in = uniqueCopy(numpy.resolve("mixed_sizes.npz"))) {
            a = catalog.registerUpload(ds, "he_3400001_1.npz", in, who());
        }
        Archive done = awaitIngest(a.id());
        assertThat(done.status()).isEqualTo(ArchiveStatus.FAILED);
        assertThat(done.error()).contains("tiles of mixed sizes");
        assertThat(keys(CatalogFiles.outputPrefix(a.id()))).isEmpty();
        assertThat(Files.exists(files.ingestFolder(a.id()))).isFalse();
        assertThat(store.countTiles(ds, TileFilter.NONE)).isZero();
        // the archive's bytes stay for a retry
        assertThat(files.sourceExists(done)).isTrue();
    }

    @Test
    void anInterruptedIngestIsCleanedOnRestartAndTheRetryReadsTheStoredArchive() throws Exception {
        long ds = dataset("Storage interrupted", 64);
        Path file = CatalogFixtures.labArchive(tmp, "he_3500001_1.npz", SyntheticTiles.Stain.HE, 4, 64, 41);
        Archive a;
        try (InputStream in = Files.newInputStream(file)) {
            a = catalog.registerUpload(ds, "he_3500001_1.npz", in, who());
        }
        awaitIngest(a.id());
        // as if the process died mid-ingest: status INGESTING, a partial object, a job that is gone
        jdbc.sql("update archive set status = 'INGESTING', job_id = 987654321 where id = ?")
                .param(a.id())
                .update();
        artifacts.put(CatalogFiles.outputKey(a.id(), "partial"), "half-written".getBytes());
        recovery.afterStart();
        Archive after = store.findArchive(a.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(ArchiveStatus.FAILED);
        assertThat(keys(CatalogFiles.outputPrefix(a.id()))).isEmpty();
        assertThat(store.countTiles(ds, TileFilter.NONE)).isZero();
        catalog.retry(ds, a.id(), who());
        assertThat(awaitIngest(a.id()).status()).isEqualTo(ArchiveStatus.READY);
        assertThat(store.countTiles(ds, TileFilter.NONE)).isEqualTo(4);
        assertThat(keys(CatalogFiles.outputPrefix(a.id()))).hasSize(2);
    }

    /** The archive's entries, stored uncompressed as numpy writes them, in a zip whose comment makes its bytes unique. */
    static InputStream uniqueCopy(Path npz) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(npz));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                CRC32 crc = new CRC32();
                crc.update(bytes);
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setMethod(ZipEntry.STORED);
                copy.setSize(bytes.length);
                copy.setCompressedSize(bytes.length);
                copy.setCrc(crc.getValue());
                zip.putNextEntry(copy);
                zip.write(bytes);
                zip.closeEntry();
            }
            zip.setComment("copy " + UUID.randomUUID());
        }
        return new ByteArrayInputStream(out.toByteArray());
    }
}
