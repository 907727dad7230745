package org.stainbench.galleries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

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
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.GeneratedFixtures;

/**
 * Issue 15 item 9: a read-only user cannot make the server draw a huge figure. rows × columns × cell² above
 * stainbench.galleries.figure-max-pixels is a 400 naming the limit, answered at once (nothing drawn); a figure within
 * the limit is still made.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GalleryFigureLimitTest {

    @Autowired
    Catalog catalog;

    @Autowired
    MockMvc mvc;

    long he;

    @BeforeAll
    void data(@TempDir Path tmp) {
        he = GeneratedFixtures.dataset(
                catalog, "Figure limit H&E", Stain.HE, tmp.resolve("he"), List.of("he_500_1.npz"), 10, 64, 77);
    }

    @Test
    void anOversizeFigureIsRefusedAtOnceWithTheLimitNamed() throws Exception {
        for (String q : List.of("rows=100&cell=1024", "rows=17&cell=1024", "k=50&cell=1024")) {
            String mode = q.startsWith("k=") ? "best-worst" : "random";
            long t0 = System.nanoTime();
            mvc.perform(get("/galleries/" + mode + "/figure.png?seed=3&source=" + he + "&" + q)
                            .with(user("viewer").roles("SUPERVISOR")))
                    .andExpect(status().isBadRequest())
                    .andExpect(MockMvcResultMatchers.status()
                            .reason(Matchers.allOf(
                                    Matchers.containsString("stainbench.galleries.figure-max-pixels"),
                                    Matchers.containsString("Mpx"))));
            assertThat((System.nanoTime() - t0) / 1_000_000)
                    .as(q + " answered without drawing (ms)")
                    .isLessThan(2_000);
        }
    }

    @Test
    void aFigureWithinTheLimitIsStillMade() throws Exception {
        byte[] png = mvc.perform(get("/galleries/random/figure.png?seed=3&rows=4&cell=128&source=" + he)
                        .with(user("viewer").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        assertThat(png).isNotEmpty();
    }
}
