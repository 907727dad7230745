package org.stainbench.training;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;

/** The MLflow artifact proxy suite on the local artifact folder (the default store). */
@SpringBootTest(
        properties = {"stainbench.tracking.max-artifact-bytes=64KB", "stainbench.tracking.max-run-artifact-bytes=160KB"
        })
@AutoConfigureMockMvc
@ActiveProfiles("test")
class MlflowArtifactsLocalTest extends MlflowArtifactsContract {}
