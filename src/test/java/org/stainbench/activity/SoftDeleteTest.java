package org.stainbench.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.domain.PageRequest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.shell.InventoryCount;

/**
 * Soft delete with dependants: a dataset that a generated set (of a live checkpoint) uses is not deleted, on the page
 * and on the API, and nothing changes; a dataset nothing uses disappears from lists, pickers, counts and the API, its
 * page is 404 for members and opens for admins with the banner; an admin restores it from {@code /admin/deleted}.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SoftDeleteTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Accounts accounts;

    @Autowired
    ActivityTrail trail;

    @Autowired
    List<InventoryCount> counts;

    long he;
    Checkpoint remap;
    GeneratedSet set;
    String token;

    static RequestPostProcessor member() {
        return user("sd-mia").roles("MEMBER", "SUPERVISOR");
    }

    static RequestPostProcessor admin() {
        return user("sd-ada").roles("ADMIN", "MEMBER", "SUPERVISOR");
    }

    @BeforeAll
    void data(@TempDir Path tmp) {
        accounts.createAccount("sd-api", Role.MEMBER, "Larch-Bramble-3106");
        token = accounts.issueApiToken("sd-script", "sd-api");
        he = GeneratedFixtures.dataset(catalog, "SD source H&E", Stain.HE, tmp, List.of("he_71_1.npz"), 2, 64, 71);
        remap = checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "sd-remap", null, 1.0, 1.2, null, "sd-mia");
        set = checkpoints.applyBaseline(remap.id(), he, "sd-mia");
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, remap.id());
    }

    long count(String label) {
        return counts.stream()
                .filter(c -> c.label().equals(label))
                .findFirst()
                .orElseThrow()
                .count();
    }

    String page(String url, RequestPostProcessor who) throws Exception {
        return mvc.perform(get(url).with(who))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    long activities(String action, String type, Object subject) {
        return trail
                .find(new ActivityTrail.Filter(null, action, type, null, null), PageRequest.of(0, 1000))
                .getContent()
                .stream()
                .filter(e -> String.valueOf(subject).equals(e.subjectId()))
                .count();
    }

    @Test
    void aDatasetThatAGeneratedSetUsesIsNotDeletedAndNothingChanges() throws Exception {
        long datasetsBefore = count("real datasets");
        String html = mvc.perform(
                        post("/datasets/" + he + "/delete").with(member()).with(csrf()))
                .andExpect(status().isConflict())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(html)
                .contains("id=\"dependants\"")
                .contains("data-dependant=\"generated set\"")
                .contains("href=\"/checkpoints/" + remap.id() + "\"")
                .contains("sd-remap")
                .doesNotContain("id=\"confirm-delete\"");
        assertThat(catalog.dataset(he)).get().extracting(Dataset::deletedAt).isNull();
        assertThat(count("real datasets")).isEqualTo(datasetsBefore);
        assertThat(activities("deleted", "dataset", he)).isZero();

        // the confirmation page shows the same list and no button
        assertThat(page("/datasets/" + he + "/delete", member()))
                .contains("sd-remap")
                .doesNotContain("confirm-delete");

        // the generated set's own dataset is blocked by its set as well
        assertThat(catalog.dependantsOf(set.datasetId()))
                .extracting(d -> d.kind())
                .contains("generated set");

        // the JSON API: 409 problem details naming the dependant, nothing changed
        mvc.perform(delete("/api/datasets/" + he).header("Authorization", "Bearer " + token))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.status").value(409))
                .andExpect(jsonPath("$.dependants[0].kind").value("generated set"))
                .andExpect(jsonPath("$.dependants[0].href").value("/checkpoints/" + remap.id()))
                .andExpect(jsonPath("$.detail", Matchers.containsString("sd-remap")));
        assertThat(catalog.dataset(he)).isPresent();
    }

    @Test
    void aDeletedCheckpointHidesItsSetsNoLongerBlocksAndComesBackWithThem() throws Exception {
        long checkpointsBefore = count("checkpoints");
        mvc.perform(post("/checkpoints/" + remap.id() + "/delete")
                        .with(member())
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/checkpoints"));
        try {
            assertThat(count("checkpoints")).isEqualTo(checkpointsBefore - 1);
            assertThat(checkpoints.find(remap.id())).isEmpty();
            assertThat(checkpoints.all()).extracting(Checkpoint::id).doesNotContain(remap.id());
            // galleries and evaluation set choices read these: the set is hidden with its checkpoint
            assertThat(checkpoints.setsOnSource(he))
                    .extracting(GeneratedSet::id)
                    .doesNotContain(set.id());
            assertThat(checkpoints.allSets()).extracting(GeneratedSet::id).doesNotContain(set.id());
            assertThat(catalog.dataset(set.datasetId())).isEmpty();
            assertThat(page("/checkpoints", member())).doesNotContain("href=\"/checkpoints/" + remap.id() + "\"");
            mvc.perform(get("/checkpoints/" + remap.id()).with(member())).andExpect(status().isNotFound());
            assertThat(page("/checkpoints/" + remap.id(), admin()))
                    .contains("id=\"deleted-banner\"")
                    .contains("sd-mia");
            // only deleted things use the source dataset now
            assertThat(catalog.dependantsOf(he)).isEmpty();
            assertThat(page("/datasets/" + he + "/delete", member())).contains("id=\"confirm-delete\"");
        } finally {
            mvc.perform(post("/admin/deleted/checkpoint/" + remap.id() + "/restore")
                            .with(admin())
                            .with(csrf()))
                    .andExpect(status().is3xxRedirection());
        }
        assertThat(count("checkpoints")).isEqualTo(checkpointsBefore);
        assertThat(checkpoints.setsOnSource(he)).extracting(GeneratedSet::id).contains(set.id());
        assertThat(catalog.dataset(set.datasetId())).isPresent();
        assertThat(activities("restored", "checkpoint", remap.id())).isEqualTo(1);
        assertThat(catalog.dependantsOf(he)).isNotEmpty();
    }

    @Test
    void aDatasetNothingUsesDisappearsEverywhereAndAnAdminRestoresIt() throws Exception {
        long id = catalog.createDataset("0 SD lonely IHC", Stain.IHC, "CK7", "sd", 64, null, "sd-mia");
        long datasetsBefore = count("real datasets");
        assertThat(page("/datasets", member())).contains("0 SD lonely IHC");
        assertThat(page("/training/cpu", member())).contains("0 SD lonely IHC");

        String confirm = page("/datasets/" + id + "/delete", member());
        assertThat(confirm).contains("id=\"confirm-delete\"").contains("autofocus");
        mvc.perform(post("/datasets/" + id + "/delete").with(member()).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/datasets"));

        assertThat(count("real datasets")).isEqualTo(datasetsBefore - 1);
        assertThat(catalog.dataset(id)).isEmpty();
        assertThat(catalog.datasets()).extracting(Dataset::id).doesNotContain(id);
        assertThat(page("/datasets", member())).doesNotContain("0 SD lonely IHC");
        assertThat(page("/training/cpu", member())).doesNotContain("0 SD lonely IHC");
        assertThat(page("/checkpoints", member())).doesNotContain("0 SD lonely IHC");
        mvc.perform(get("/api/datasets").header("Authorization", "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.id == " + id + ")]").isEmpty());
        mvc.perform(get("/datasets/" + id).with(member())).andExpect(status().isNotFound());
        assertThat(page("/datasets/" + id, admin()))
                .contains("id=\"deleted-banner\"")
                .contains("sd-mia")
                .contains("/admin/deleted/dataset/" + id + "/restore");
        // its tile browser too: not found for members, with the banner for admins
        mvc.perform(get("/datasets/" + id + "/tiles").with(member())).andExpect(status().isNotFound());
        assertThat(page("/datasets/" + id + "/tiles", admin()))
                .contains("id=\"deleted-banner\"")
                .contains("/admin/deleted/dataset/" + id + "/restore");
        assertThat(page("/admin/deleted", admin())).contains("data-deleted=\"dataset:" + id + "\"");
        assertThat(activities("deleted", "dataset", id)).isEqualTo(1);
        // the name stays taken while deleted
        mvc.perform(post("/datasets")
                        .with(member())
                        .with(csrf())
                        .param("name", "0 SD lonely IHC")
                        .param("stain", "IHC")
                        .param("marker", "CK7")
                        .param("tileSize", "64"))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string(Matchers.containsString("an admin can restore it")));

        mvc.perform(post("/admin/deleted/dataset/" + id + "/restore")
                        .with(admin())
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/admin/deleted"));
        assertThat(count("real datasets")).isEqualTo(datasetsBefore);
        assertThat(catalog.dataset(id))
                .get()
                .extracting(Dataset::deletedAt, Dataset::deletedBy)
                .containsExactly(null, null);
        assertThat(page("/datasets", member())).contains("0 SD lonely IHC");
        assertThat(page("/datasets/" + id, member())).doesNotContain("deleted-banner");
        assertThat(page("/datasets/" + id + "/tiles", member())).doesNotContain("deleted-banner");
        assertThat(page("/admin/deleted", admin())).doesNotContain("data-deleted=\"dataset:" + id + "\"");
        assertThat(activities("restored", "dataset", id)).isEqualTo(1);
    }

    @Test
    void theApiDeletesADatasetNothingUses() throws Exception {
        long id = catalog.createDataset("SD api dataset", Stain.HE, null, "sd", 64, null, "sd-api");
        mvc.perform(delete("/api/datasets/" + id).header("Authorization", "Bearer " + token))
                .andExpect(status().isNoContent());
        assertThat(catalog.dataset(id)).isEmpty();
        mvc.perform(delete("/api/datasets/" + id).header("Authorization", "Bearer " + token))
                .andExpect(status().isNotFound());
        assertThat(trail.find(
                                new ActivityTrail.Filter("sd-api", "deleted", "dataset", null, null),
                                PageRequest.of(0, 5))
                        .getContent())
                .extracting(ActivityTrail.Entry::subjectId)
                .contains(Long.toString(id));
    }

    @Test
    void supervisorsCannotDeleteAndOnlyAdminsSeeTheTrash() throws Exception {
        long id = catalog.createDataset("SD guarded", Stain.HE, null, "sd", 64, null, "sd-mia");
        RequestPostProcessor supervisor = user("sd-sue").roles("SUPERVISOR");
        mvc.perform(post("/datasets/" + id + "/delete").with(supervisor).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(get("/datasets/" + id + "/delete").with(supervisor)).andExpect(status().isForbidden());
        mvc.perform(post("/checkpoints/" + remap.id() + "/delete")
                        .with(supervisor)
                        .with(csrf()))
                .andExpect(status().isForbidden());
        assertThat(catalog.dataset(id)).isPresent();
        assertThat(page("/datasets/" + id, supervisor)).doesNotContain("id=\"delete-dataset\"");
        assertThat(page("/datasets/" + id, member())).contains("id=\"delete-dataset\"");

        mvc.perform(get("/admin/deleted").with(user("sd-pat").roles("PATHOLOGIST")))
                .andExpect(status().isForbidden());
        mvc.perform(get("/admin/deleted").with(member())).andExpect(status().isForbidden());
        mvc.perform(get("/admin/deleted").with(supervisor)).andExpect(status().isForbidden());
        mvc.perform(post("/admin/deleted/dataset/" + id + "/restore")
                        .with(member())
                        .with(csrf()))
                .andExpect(status().isForbidden());
    }

    @Test
    void theTrashPages() throws Exception {
        for (int i = 0; i < TrashController.PAGE_SIZE + 1; i++) {
            long id = catalog.createDataset("SD paged " + i, Stain.HE, null, "sd", 64, null, "sd-mia");
            catalog.deleteDataset(id, "sd-mia");
        }
        String first = page("/admin/deleted", admin());
        assertThat(first).contains("rel=\"next\"");
        assertThat(first.split("data-deleted=\"", -1)).hasSize(TrashController.PAGE_SIZE + 1);
        String second = page("/admin/deleted?page=1", admin());
        assertThat(second).contains("rel=\"prev\"").contains("data-deleted=\"");
    }
}
