package org.stainbench.checkpoints;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A checkpoint: what produced it and the adapter file it is. Optional fields are null when unknown;
 * {@code deletedAt}/{@code deletedBy} are null unless it was (soft) deleted.
 */
public record Checkpoint(
        long id,
        String name,
        CheckpointKind kind,
        String baseModel,
        String embeddingFlow,
        String adapterFileName,
        String adapterSha256,
        Long adapterSize,
        String adapterSource,
        String adapterPath,
        Integer loraRank,
        Double loraAlpha,
        String targetModules,
        String runUuid,
        Integer epoch,
        Long trainedOnDatasetId,
        String baselineParams,
        String notes,
        String tags,
        String createdBy,
        Instant createdAt,
        Instant deletedAt,
        String deletedBy) {

    public boolean deleted() {
        return deletedAt != null;
    }

    public List<String> tagList() {
        return tags == null || tags.isBlank()
                ? List.of()
                : Arrays.stream(tags.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    public String shortSha() {
        return adapterSha256 == null ? null : adapterSha256.substring(0, 12);
    }

    public String href() {
        return "/checkpoints/" + id;
    }
}
