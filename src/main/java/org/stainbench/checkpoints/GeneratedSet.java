package org.stainbench.checkpoints;

import java.time.Instant;

/**
 * "Checkpoint X applied to source dataset Y": its generated archives live in catalog dataset {@code datasetId}.
 * {@code samplingSeed}: the seed the generation sampled with (null when it has none, e.g. a deterministic baseline);
 * sets of one checkpoint on one source with different seeds are replicates of that checkpoint.
 */
public record GeneratedSet(
        long id,
        long checkpointId,
        long sourceDatasetId,
        long datasetId,
        Long jobId,
        GeneratedSetStatus status,
        String report,
        String createdBy,
        Instant createdAt,
        Long samplingSeed) {

    /** "seed 7", or "no sampling seed". */
    public String seedText() {
        return samplingSeed == null ? "no sampling seed" : "seed " + samplingSeed;
    }
}
