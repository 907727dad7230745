package org.stainbench.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real single-node Slurm cluster that {@code .ci/slurm start DIR} starts ({@code source DIR/env} sets
 * {@code STAINBENCH_TEST_SLURM=1}, {@code SLURM_CONF} and the slurmrestd URL and token). Without it the
 * Slurm tests are skipped with a message, except under CI, where they fail.
 */
public final class SlurmCluster {

    private SlurmCluster() {}

    public static void require() {
        if (!"1".equals(System.getenv("STAINBENCH_TEST_SLURM"))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("STAINBENCH_TEST_SLURM is not set under CI: .ci/run must start Slurm with .ci/slurm");
            }
            Assumptions.abort("Slurm tests skipped: run `.ci/slurm start DIR && source DIR/env` (as root) to run them,"
                    + " as .ci/run does");
        }
    }

    /** slurmrestd settings from the cluster's env file. */
    public static void registerRest(DynamicPropertyRegistry registry) {
        registry.add("stainbench.slurm.rest-url", () -> env("STAINBENCH_TEST_SLURM_REST_URL"));
        registry.add("stainbench.slurm.rest-user", () -> env("STAINBENCH_TEST_SLURM_REST_USER"));
        registry.add("stainbench.slurm.rest-token", () -> env("STAINBENCH_TEST_SLURM_REST_TOKEN"));
        registry.add("stainbench.slurm.partition", () -> env("STAINBENCH_TEST_SLURM_PARTITION"));
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "" : v;
    }
}
