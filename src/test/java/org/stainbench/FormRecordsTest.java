package org.stainbench;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * One record per form (issue 20): the checkpoint, baseline, evaluation and extractor forms bind one record each, so a
 * form without its name gets the facade's clear message next to the form (it was a bare 400 for a missing
 * {@code @RequestParam}), and a number that is not one is still a 400.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class FormRecordsTest {

    @Autowired
    MockMvc mvc;

    static MockHttpServletRequestBuilder member(MockHttpServletRequestBuilder b) {
        return b.with(user("fr-mem").roles("MEMBER", "SUPERVISOR")).with(csrf());
    }

    @Test
    void aFormWithoutItsNameGetsTheClearMessageAndAWrongNumberIsStillA400() throws Exception {
        mvc.perform(member(post("/checkpoints")).param("baseModel", "sd-turbo"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", "/checkpoints"))
                .andExpect(flash().attributeExists("error"));
        mvc.perform(member(post("/checkpoints/baselines")).param("kind", "STAIN_REMAP"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attributeExists("error"));
        mvc.perform(member(post("/evaluations")).param("preset", "lab"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", "/evaluations"))
                .andExpect(flash().attribute("error", "Give the evaluation a name of 1–200 characters."));
        mvc.perform(member(post("/evaluations/extractors")).param("inputHeight", "224"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", "Give the extractor a name of 1–200 characters."));
        mvc.perform(member(post("/checkpoints")).param("name", "fr-bad-rank").param("loraRank", "many"))
                .andExpect(status().isBadRequest());
        mvc.perform(member(post("/evaluations")).param("name", "fr-bad").param("tilesPerSide", "lots"))
                .andExpect(status().isBadRequest());
    }
}
