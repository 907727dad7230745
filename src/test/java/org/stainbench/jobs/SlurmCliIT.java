package org.stainbench.jobs;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** Slurm through sbatch / squeue / scontrol / scancel on this host. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "stainbench.slurm.mode=CLI",
            "stainbench.slurm.agent-jar=target/stainbench-0.1.0-SNAPSHOT.jar",
            "stainbench.slurm.poll-interval=300ms",
            "stainbench.jobs.heartbeat=500ms",
            "stainbench.jobs.cancel-grace=2s"
        })
@ActiveProfiles("test")
class SlurmCliIT extends SlurmJobsChecks {

    @Override
    void checkGpuRefusal(String error) {
        // --gres=gpu:1 from the generated script, refused as sbatch refuses it on a cluster without GPUs.
        org.assertj.core.api.Assertions.assertThat(error).contains("Invalid generic resource (gres) specification");
    }
}
