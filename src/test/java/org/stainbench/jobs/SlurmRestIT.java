package org.stainbench.jobs;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stainbench.support.SlurmCluster;

/** Slurm through slurmrestd (OpenAPI v0.0.38, JWT). */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "stainbench.slurm.mode=REST",
            "stainbench.slurm.agent-jar=target/stainbench-0.1.0-SNAPSHOT.jar",
            "stainbench.slurm.poll-interval=300ms",
            "stainbench.jobs.heartbeat=500ms",
            "stainbench.jobs.cancel-grace=2s"
        })
@ActiveProfiles("test")
class SlurmRestIT extends SlurmJobsChecks {

    @Override
    void checkGpuRefusal(String error) {
        // slurmrestd parsed the GPU field (an unknown key would say so) and Slurm refused the gres.
        org.assertj.core.api.Assertions.assertThat(error)
                .contains("Failure during parsing")
                .doesNotContain("Unknown key");
    }

    @DynamicPropertySource
    static void rest(DynamicPropertyRegistry registry) {
        SlurmCluster.registerRest(registry);
    }
}
