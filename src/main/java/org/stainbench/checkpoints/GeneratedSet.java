package org.stainbench.checkpoints;

import java.time.Instant;

/** "Checkpoint X applied to source dataset Y": its generated archives live in catalog dataset {@code datasetId}. */
public record GeneratedSet(long id, long checkpointId, long sourceDatasetId, long datasetId, Long jobId, String status,
                           String report, String createdBy, Instant createdAt) {
}
