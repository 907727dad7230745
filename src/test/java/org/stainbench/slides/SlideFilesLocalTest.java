package org.stainbench.slides;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;

/** Uploaded slides on the local artifact folder (the default store; the suite's shared context). */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class SlideFilesLocalTest extends SlideFilesContract {

    @Override
    boolean local() {
        return true;
    }
}
