package org.stainbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.shell.Roles;

/**
 * The fine-grained role rules the catalog and checkpoint facades own (issue 20: {@code Catalog.checkMayDelete},
 * {@code Catalog.visibleDataset}, {@code Checkpoints.checkMayDelete}, {@code Checkpoints.visible}), each shown for a
 * role that may not and one that may, through the pages that ask them. The training rules are in
 * {@code training.RunRoleRulesTest}; that no controller tests a role itself is {@link FacadeDoorsTest}'s.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class FacadeRoleRulesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    final RequestPostProcessor supervisor = user("fr-sue").roles("SUPERVISOR");
    final RequestPostProcessor member = user("fr-mia").roles("MEMBER", "SUPERVISOR");
    final RequestPostProcessor admin = user("fr-ada").roles("ADMIN", "MEMBER", "SUPERVISOR");

    @Test
    void onlyMembersOpenADatasetsDeleteConfirmation() throws Exception {
        long id = catalog.createDataset("FR guarded dataset", Stain.HE, null, "fr", 64, null, "fr-mia");
        mvc.perform(get("/datasets/" + id + "/delete").with(supervisor)).andExpect(status().isForbidden());
        mvc.perform(get("/datasets/" + id + "/delete").with(member)).andExpect(status().isOk());
    }

    @Test
    void aDeletedDatasetsPagesOpenForAdminsOnly() throws Exception {
        long id = catalog.createDataset("FR deleted dataset", Stain.HE, null, "fr", 64, null, "fr-mia");
        catalog.deleteDataset(id, "fr-mia");
        for (String page : new String[] {"/datasets/" + id, "/datasets/" + id + "/tiles"}) {
            mvc.perform(get(page).with(member)).andExpect(status().isNotFound());
            mvc.perform(get(page).with(supervisor)).andExpect(status().isNotFound());
            mvc.perform(get(page).with(admin)).andExpect(status().isOk());
        }
    }

    @Test
    void onlyMembersOpenACheckpointsDeleteConfirmation() throws Exception {
        Checkpoint c =
                checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "fr-guarded", null, 1.0, 1.2, null, "fr-mia");
        mvc.perform(get("/checkpoints/" + c.id() + "/delete").with(supervisor)).andExpect(status().isForbidden());
        mvc.perform(get("/checkpoints/" + c.id() + "/delete").with(member)).andExpect(status().isOk());
    }

    @Test
    void aDeletedCheckpointsPageOpensForAdminsOnly() throws Exception {
        Checkpoint c =
                checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "fr-deleted", null, 1.0, 1.2, null, "fr-mia");
        checkpoints.delete(c.id(), "fr-mia");
        mvc.perform(get("/checkpoints/" + c.id()).with(member)).andExpect(status().isNotFound());
        mvc.perform(get("/checkpoints/" + c.id()).with(admin)).andExpect(status().isOk());
    }

    @Test
    void rolesAreTestedOnceAndNobodyHoldsOneUnsignedIn() {
        assertThat(Roles.has(null, "MEMBER")).isFalse();
        assertThat(Roles.has(new TestingAuthenticationToken("x", null, "ROLE_SUPERVISOR"), "MEMBER"))
                .isFalse();
        assertThat(Roles.has(new TestingAuthenticationToken("x", null, "ROLE_MEMBER"), "MEMBER"))
                .isTrue();
        // the role's name, not the authority's: "ROLE_MEMBER" is not a role
        assertThat(Roles.has(new TestingAuthenticationToken("x", null, "ROLE_MEMBER"), "ROLE_MEMBER"))
                .isFalse();
    }
}
