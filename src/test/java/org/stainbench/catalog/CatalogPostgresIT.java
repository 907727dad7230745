package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.jobs.JobQueue;
import org.stainbench.support.PostgresTest;
import org.stainbench.tiles.SyntheticTiles;

/** The catalog's SQL on a real PostgreSQL: register, ingest, filter, neighbours, split, duplicate refusal. */
@SpringBootTest
@ActiveProfiles("test")
@PostgresTest
class CatalogPostgresIT {

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogStore store;

    @Autowired
    JobQueue jobs;

    @Autowired
    DataSource dataSource;

    @Test
    void ingestFiltersAndSplitOnPostgres(@TempDir Path dir) throws Exception {
        try (var c = dataSource.getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        long ds = catalog.createDataset("PG CK7", Stain.IHC, "CK7", "pg", 64, null, "pg");
        for (int p = 0; p < 3; p++) {
            Path f = CatalogFixtures.labArchive(
                    dir, "ihc_" + (900 + p) + "_1.npz", SyntheticTiles.Stain.CK7, 6, 64, 70 + p);
            Archive a;
            try (InputStream in = Files.newInputStream(f)) {
                a = catalog.registerUpload(ds, f.getFileName().toString(), in, "pg");
            }
            CatalogFixtures.await(jobs, a.jobId());
            assertThat(store.findArchive(a.id()).orElseThrow().status()).isEqualTo(ArchiveStatus.READY);
        }
        assertThat(store.countTiles(ds, TileFilter.NONE)).isEqualTo(18);
        long informative = store.countTiles(ds, new TileFilter(true, null, null, null, null));
        assertThat(informative).isEqualTo(store.countInformative(ds)).isBetween(1L, 17L);
        assertThat(store.countTiles(ds, new TileFilter(null, 0.0, 1.0, null, null)))
                .isEqualTo(store.tiles(ds, TileFilter.NONE, 0, 100).stream()
                        .filter(t -> Double.valueOf(1.0).equals(t.label()))
                        .count());
        List<TileInfo> all = store.tiles(ds, TileFilter.NONE, 0, 100);
        assertThat(store.neighbour(all.get(5), TileFilter.NONE, true)).get().isEqualTo(all.get(6));
        assertThat(store.neighbour(all.get(6), TileFilter.NONE, false)).get().isEqualTo(all.get(5));
        catalog.split(ds, 3, 70, "pg");
        long train = store.countTiles(ds, new TileFilter(null, null, null, null, "train"));
        assertThat(train).isEqualTo(12);
        assertThat(catalog.splitCsv(ds).lines().skip(2)).hasSize(3);
        assertThat(store.datasetCounts().get(ds)).containsExactly(3, 18);
        Path again = dir.resolve("ihc_900_1.npz");
        assertThatThrownBy(() -> {
                    try (InputStream in = Files.newInputStream(again)) {
                        catalog.registerUpload(ds, "copy.npz", in, "pg");
                    }
                })
                .hasMessageContaining("is already registered");
        List<java.util.Map<String, Object>> h = Histograms.of(store, ds);
        assertThat(h).hasSize(5);
        for (java.util.Map<String, Object> m : h) {
            assertThat(java.util.Arrays.stream((long[]) m.get("counts")).sum()).isEqualTo(18);
        }
    }
}
