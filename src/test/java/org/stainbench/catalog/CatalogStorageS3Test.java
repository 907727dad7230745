package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stainbench.support.S3Server;

/**
 * The catalog's storage tests on a bucket of a real S3 API server (s3proxy): uploads, tile files and thumbnails are
 * objects in the bucket, tiles are read by range requests and kept by the artifact cache; nothing stays in the local
 * artifact folder but scratch space.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class CatalogStorageS3Test extends CatalogStorageContract {

    static final String BUCKET = S3Server.get().newBucket();

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        for (String p : S3Server.get().properties(BUCKET)) {
            int eq = p.indexOf('=');
            registry.add(p.substring(0, eq), () -> p.substring(eq + 1));
        }
    }

    @Override
    String kind() {
        return "s3";
    }

    @Override
    void afterIngest(Archive a) throws Exception {
        assertThat(artifacts.describe()).isEqualTo("s3://" + BUCKET + "/");
        // the bytes are in the bucket only: no upload, no output and no staging left in the local folder
        assertThat(Files.exists(files.output(a.id()))).isFalse();
        assertThat(Files.exists(files.ingestFolder(a.id()))).isFalse();
        assertThat(CatalogFixtures.filesUnder(files.uploads())).isEmpty();
        // the tiles and thumbnails read above are in the cache: reading them again asks the bucket nothing
        long[] before = cache.hitsAndMisses();
        for (TileInfo t : store.tiles(a.datasetId(), TileFilter.NONE, 0, 100)) {
            bytes("/tiles/" + t.id() + "/thumb");
            bytes("/tiles/" + t.id() + "/image?format=png");
        }
        long[] after = cache.hitsAndMisses();
        assertThat(after[1]).isEqualTo(before[1]);
        assertThat(after[0] - before[0]).isEqualTo(2L * a.tilesTotal());
        assertThat(cache.size()).isPositive();
    }
}
