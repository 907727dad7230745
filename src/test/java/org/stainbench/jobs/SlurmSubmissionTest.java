package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch script and the slurmrestd body are generated from the job's spec. */
class SlurmSubmissionTest {

    static JobRow job(Resources r) {
        return new JobRow(
                12,
                "train",
                "LoRA epoch 20",
                Executor.SLURM,
                JobState.SUBMITTED,
                Map.of(),
                null,
                r,
                "mia",
                2,
                3,
                "tok",
                "slurm",
                null,
                null,
                false,
                0,
                0,
                null,
                null,
                null,
                null,
                0,
                Instant.EPOCH,
                null,
                null,
                null);
    }

    static SlurmProperties props(String version) {
        return new SlurmProperties(
                SlurmProperties.Mode.REST,
                "gpu",
                "pathology",
                "http://x",
                version,
                "u",
                "t",
                "",
                "",
                "",
                "",
                "admin",
                "",
                Duration.ofSeconds(2));
    }

    @Test
    void theScriptCarriesTheSpecAndRunsTheAgentInOneJobMode() {
        SlurmSubmission s = SlurmSubmission.of(
                job(new Resources(1, 40_000, 16, 48_000, Duration.ofHours(48))),
                props("v0.0.38"),
                "/usr/bin/java",
                "/opt/sb/stainbench.jar",
                "http://head:8080",
                "/shared/sb",
                Map.of("STAINBENCH_NODE_TOKEN", "secret"));
        assertThat(s.script())
                .contains(
                        "#SBATCH --gres=gpu:1\n",
                        "#SBATCH --cpus-per-task=16\n",
                        "#SBATCH --mem=48000M\n",
                        "#SBATCH --time=2880\n",
                        "#SBATCH --partition=gpu\n",
                        "#SBATCH --account=pathology\n",
                        "exec /usr/bin/java -Xmx256m -jar /opt/sb/stainbench.jar agent --server http://head:8080 --workdir /shared/sb --one-job 12\n")
                .doesNotContain("secret");
        var body38 = SlurmRestMapping.submitBody(s, "v0.0.38");
        @SuppressWarnings("unchecked")
        Map<String, Object> job38 = (Map<String, Object>) body38.get("job");
        assertThat(job38)
                .containsEntry("gres", "gpu:1")
                .containsEntry("time_limit", 2880L)
                .containsEntry("memory_per_node", 48_000L)
                .containsEntry("partition", "gpu");
        assertThat(body38).containsKey("script");
        var body41 = SlurmRestMapping.submitBody(s, "v0.0.41");
        @SuppressWarnings("unchecked")
        Map<String, Object> job41 = (Map<String, Object>) body41.get("job");
        assertThat(body41).containsOnlyKeys("job");
        assertThat(job41).containsEntry("tres_per_node", "gres/gpu:1").containsKey("script");
        assertThat(job41.get("time_limit")).isEqualTo(Map.of("set", true, "infinite", false, "number", 2880L));
    }

    @Test
    void slurmStatesAndExitCodesAreReadFromEitherApiVersion() {
        var v38 = Json.MAPPER.readTree("{\"jobs\":[{\"job_state\":\"FAILED\",\"exit_code\":768}]}");
        assertThat(SlurmRestMapping.status(v38)).isEqualTo(new SlurmGateway.Status("FAILED", 3));
        var v41 = Json.MAPPER.readTree(
                "{\"jobs\":[{\"job_state\":[\"COMPLETED\"],\"exit_code\":{\"status\":[\"SUCCESS\"],"
                        + "\"return_code\":{\"set\":true,\"infinite\":false,\"number\":0}}}]}");
        assertThat(SlurmRestMapping.status(v41)).isEqualTo(new SlurmGateway.Status("COMPLETED", 0));
        assertThat(SlurmRestMapping.status(Json.MAPPER.readTree("{\"jobs\":[]}"))
                        .isFinal())
                .isTrue();
        assertThat(new SlurmGateway.Status("PENDING", null).isFinal()).isFalse();
        assertThat(SlurmRestMapping.gpusIn("gpu:a40:4(S:0-1)")).isEqualTo(4);
        assertThat(SlurmRestMapping.gpusIn("cpu=2,mem=19284M,node=1,gres/gpu=8"))
                .isEqualTo(8);
    }
}
