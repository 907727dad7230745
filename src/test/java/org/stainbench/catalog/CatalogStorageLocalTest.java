package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.artifacts.LocalArtifactStore;

/** The catalog's storage tests on the local store (the default): the objects are the artifact folder's files. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class CatalogStorageLocalTest extends CatalogStorageContract {

    @Override
    String kind() {
        return "local";
    }

    @Override
    void afterIngest(Archive a) throws Exception {
        assertThat(artifacts).isInstanceOf(LocalArtifactStore.class);
        // the folder's layout as before the store: an existing folder works unchanged
        assertThat(files.output(a.id()).resolve(IngestPipeline.TILES_FILE)).isRegularFile();
        assertThat(files.uploads().resolve(a.sha256() + ".npz")).isRegularFile();
        assertThat(Files.exists(files.root().resolve("staging"))).isFalse();
        assertThat(cache.size()).isZero();
    }
}
