package org.stainbench.checkpoints;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;

/** Checkpoint adapters on the local artifact folder (the default store; the suite's shared context). */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class AdapterFilesLocalTest extends AdapterFilesContract {

    @Override
    boolean local() {
        return true;
    }
}
