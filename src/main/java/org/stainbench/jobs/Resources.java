package org.stainbench.jobs;

import java.time.Duration;

/** What a job needs of a machine. */
public record Resources(int gpus, long gpuMemoryMb, int cpus, long memoryMb, Duration timeLimit) {

    public Resources {
        if (gpus < 0 || gpuMemoryMb < 0 || cpus < 1 || memoryMb < 1) {
            throw new IllegalArgumentException(
                    "Resources need at least 1 CPU and 1 MB of memory; GPU figures cannot be negative.");
        }
        if (timeLimit == null || timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("A time limit must be positive.");
        }
    }

    /** 0 GPUs, 1 CPU, 1024 MB, 24 h. */
    public static Resources cpu() {
        return new Resources(0, 0, 1, 1024, Duration.ofHours(24));
    }
}
