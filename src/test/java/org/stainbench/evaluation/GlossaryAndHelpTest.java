package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.shell.Glossary;

/**
 * Issue 18: one glossary ({@link Glossary}) for every metric and term, shown whole on {@code /help/metrics} and as the
 * hover help of the pages; every stored metric has its entry under its key, with the label the tables show.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class GlossaryAndHelpTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    Glossary glossary;

    @Test
    void everyMetricHasAnEntryWithItsLabel() {
        for (Metric m : Metric.values()) {
            assertThat(glossary.term(m.key())).as(m.key()).hasValueSatisfying(t -> assertThat(t.name())
                    .isEqualTo(m.label()));
            assertThat(glossary.hint(m.key())).as(m.key()).isNotBlank();
        }
        for (String term : new String[] {
            "split-side",
            "embedding-flow",
            "best-worst",
            "tile-caption",
            "label",
            "seed-invariant",
            "within-noise",
            "fingerprint",
            "tile-selection"
        }) {
            assertThat(glossary.hint(term)).as(term).isNotBlank();
        }
        assertThat(glossary.hint("no-such-term")).isNull();
    }

    @Test
    void theHelpPageDefinesEveryTermWithAnAnchor() throws Exception {
        String page = mvc.perform(get("/help/metrics").with(user("gh-sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        for (Glossary.Term t : glossary.terms()) {
            assertThat(page).contains("id=\"" + t.key() + "\"");
        }
        assertThat(page)
                .contains(">W1 DAB+ fraction</dt>")
                .contains(">KS mean DAB</dt>")
                .contains(">CropFID</dt>")
                .contains(">Split side</dt>")
                .contains("mist_pr")
                .contains("−z(HSV saturation std)");
        // pathologists see only review pages
        mvc.perform(get("/help/metrics").with(user("gh-pat").roles("PATHOLOGIST")))
                .andExpect(status().isForbidden());
        // the footer links to it
        assertThat(mvc.perform(get("/evaluations").with(user("gh-sue").roles("SUPERVISOR")))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .contains("id=\"help-link\"");
    }
}
