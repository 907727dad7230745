package org.stainbench.evaluation;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;

/** Extractor models on the local artifact folder (the default store; the suite's shared context). */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ModelFilesLocalTest extends ModelFilesContract {

    @Override
    boolean local() {
        return true;
    }
}
