package org.stainbench.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.shell.Sha256;
import org.stainbench.tiles.SyntheticTiles;

/** Checkpoint registration (upload and server path, SHA-256), the training hook, generated-set pairing reports, pages. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointsTest {

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    CheckpointStore store;

    @Autowired
    Catalog catalog;

    @Autowired
    MockMvc mvc;

    long he;

    @BeforeAll
    void data(@TempDir Path tmp) {
        he = GeneratedFixtures.dataset(
                catalog, "Checkpoint H&E", Stain.HE, tmp, List.of("he_11_1.npz", "he_12_2.npz"), 4, 64, 30);
    }

    @Test
    void anUploadedAdapterIsStoredWithItsSha256AndTheDetailPageShowsTheLineage() throws Exception {
        byte[] adapter = "safetensors bytes of a LoRA adapter".getBytes(StandardCharsets.UTF_8);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(adapter));
        String location = mvc.perform(multipart("/checkpoints")
                        .file(new MockMultipartFile(
                                "adapter", "lora20.safetensors", "application/octet-stream", adapter))
                        .param("name", "lora20")
                        .param("baseModel", "PixCell-1024")
                        .param("embeddingFlow", "mist_er")
                        .param("loraRank", "16")
                        .param("loraAlpha", "32")
                        .param("targetModules", "to_q,to_k")
                        .param("runUuid", "abc123")
                        .param("epoch", "20")
                        .param("trainedOn", "" + he)
                        .param("tags", "lora, ck7 ,lora")
                        .with(user("mo").roles("MEMBER"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        Checkpoint c = store.findByName("lora20").orElseThrow();
        assertThat(location).isEqualTo("/checkpoints/" + c.id());
        assertThat(c.adapterSha256()).isEqualTo(sha);
        assertThat(c.adapterSize()).isEqualTo(adapter.length);
        assertThat(Files.readAllBytes(Path.of(c.adapterPath()))).isEqualTo(adapter);
        assertThat(c.tagList()).containsExactly("lora", "ck7");
        String html = mvc.perform(get(location).with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(html)
                .contains(sha)
                .contains("Checkpoint H&amp;E")
                .contains("/runs/abc123")
                .contains("epoch 20")
                .contains("id=\"lineage\"");
        String fragment = mvc.perform(get(location)
                        .header("HX-Request", "true")
                        .with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(fragment).contains("id=\"sets\"").doesNotContain("id=\"nav\"");
        String list = mvc.perform(get("/checkpoints").with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        // the list pages newest first: the checkpoint just registered heads page 1, however many came before it
        assertThat(checkpoints.newestFirst(0, 1)).extracting(Checkpoint::name).containsExactly("lora20");
        // the layout's top navigation is <ul id="nav">; a list of more than a page also holds its pager <nav>
        assertThat(list).contains("lora20").contains("id=\"nav\"");
        String listFragment = mvc.perform(get("/checkpoints")
                        .header("HX-Request", "true")
                        .with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(listFragment).contains("lora20").doesNotContain("id=\"nav\"");
    }

    @Test
    void badInputIsRefusedWithAClearMessageAndKeepsNothing() throws Exception {
        long before = store.count();
        mvc.perform(post("/checkpoints")
                        .param("name", "bad-flow")
                        .param("embeddingFlow", "mist_xx")
                        .with(user("mo").roles("MEMBER"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", Matchers.containsString("mist_pr, mist_er or none")));
        mvc.perform(post("/checkpoints")
                        .param("name", "outside")
                        .param("adapterPath", "/etc/passwd")
                        .with(user("mo").roles("MEMBER"))
                        .with(csrf()))
                .andExpect(flash().attribute("error", Matchers.containsString("outside the allowed roots")));
        mvc.perform(post("/checkpoints/baselines")
                        .param("name", "no target")
                        .param("kind", "REINHARD")
                        .with(user("mo").roles("MEMBER"))
                        .with(csrf()))
                .andExpect(flash().attribute("error", Matchers.containsString("target IHC dataset")));
        mvc.perform(post("/checkpoints")
                        .param("name", "x")
                        .with(user("sue").roles("SUPERVISOR"))
                        .with(csrf()))
                .andExpect(status().isForbidden());
        assertThat(store.count()).isEqualTo(before);
    }

    @Test
    void aServerPathAdapterIsHashedInPlaceAndTheTrainingHookIsIdempotent() throws Exception {
        Path f = catalog.allowedRoots().get(0).resolve("adapters/epoch3.safetensors");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "epoch three");
        Checkpoint a =
                checkpoints.registerEpoch("run-9f2", "lora-run", 3, "PixCell-1024", "none", f.toString(), "trainer");
        Checkpoint b =
                checkpoints.registerEpoch("run-9f2", "lora-run", 3, "PixCell-1024", "none", f.toString(), "trainer");
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(a.name()).isEqualTo("lora-run-epoch3");
        assertThat(a.adapterSource()).isEqualTo("PATH");
        assertThat(a.adapterPath()).isEqualTo(f.toRealPath().toString());
        assertThat(a.adapterSha256()).isEqualTo(Sha256.of(f));
    }

    @Test
    void mismatchedNamesAndRowCountsGiveAReportNotASilentPairing() {
        Path folder = catalog.allowedRoots().get(0).resolve("mismatch");
        GeneratedFixtures.archive(folder, "ihc_11_1.npz", SyntheticTiles.Stain.CK7, 5, 64, 1); // 5 rows, source has 4
        GeneratedFixtures.archive(folder, "ihc_99_1.npz", SyntheticTiles.Stain.CK7, 4, 64, 2); // no he_99_1
        GeneratedFixtures.archive(folder, "gen_12_2.npz", SyntheticTiles.Stain.CK7, 4, 64, 3); // not ihc_
        Checkpoint m = checkpoints.register(
                new Checkpoints.NewCheckpoint(
                        "mismatch-ck", null, "none", null, null, null, null, null, null, null, null),
                null,
                null,
                null,
                "mo");
        int datasets = catalog.datasets().size();
        assertThatThrownBy(() -> checkpoints.registerGenerated(m.id(), he, folder.toString(), "mo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining("ihc_11_1.npz: 5 rows, but its source he_11_1.npz has 4")
                .hasMessageContaining("ihc_99_1.npz: no he_99_1.npz in 'Checkpoint H&E'")
                .hasMessageContaining("gen_12_2.npz: not named ihc_<suffix>.npz");
        assertThat(checkpoints.sets(m.id())).isEmpty();
        assertThat(catalog.datasets()).hasSize(datasets);
    }

    @Test
    void aMatchingFolderIsPairedRowByRow() {
        Path folder = catalog.allowedRoots().get(0).resolve("matching");
        GeneratedFixtures.archive(folder, "ihc_11_1.npz", SyntheticTiles.Stain.CK7, 4, 64, 5);
        GeneratedFixtures.archive(folder, "ihc_12_2.npz", SyntheticTiles.Stain.CK7, 4, 64, 6);
        Checkpoint m = checkpoints.register(
                new Checkpoints.NewCheckpoint(
                        "matching-ck", null, "mist_pr", null, null, null, null, null, null, null, null),
                null,
                null,
                null,
                "mo");
        GeneratedSet s = checkpoints.registerGenerated(m.id(), he, folder.toString(), "mo");
        List<GeneratedArchive> archives = checkpoints.archives(s.id());
        assertThat(archives)
                .extracting(GeneratedArchive::fileName)
                .containsExactlyInAnyOrder("ihc_11_1.npz", "ihc_12_2.npz");
        for (GeneratedArchive g : archives) {
            String source = catalog.archive(g.sourceArchiveId()).orElseThrow().fileName();
            assertThat(source).isEqualTo(g.fileName().replace("ihc_", "he_"));
            assertThat(g.rows()).isEqualTo(4);
        }
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, m.id());
        assertThatThrownBy(() -> checkpoints.registerGenerated(m.id(), he, folder.toString(), "mo"))
                .hasMessageContaining("already been applied");
    }
}
