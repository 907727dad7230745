package org.stainbench.jobs;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;

/** Job outputs on the local artifact folder (the default store; the suite's shared context). */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class JobOutputsLocalTest extends JobOutputsContract {

    @Override
    boolean local() {
        return true;
    }
}
