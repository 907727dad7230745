package org.stainbench.checkpoints;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.stainbench.shell.SoftDeletable;

/**
 * A row of {@code checkpoint} (V9, V13) for {@link CheckpointRepository}; the rest of the module reads the
 * {@link Checkpoint} record it maps to. Rows are written once; soft delete goes through the repository.
 */
@Entity
@Table(name = "checkpoint")
class CheckpointEntity extends SoftDeletable {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 200)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private CheckpointKind kind;

    @Column(name = "base_model", length = 200)
    private String baseModel;

    @Column(name = "embedding_flow", nullable = false, length = 16)
    private String embeddingFlow;

    @Column(name = "adapter_file_name", length = 255)
    private String adapterFileName;

    @Column(name = "adapter_sha256", length = 64)
    private String adapterSha256;

    @Column(name = "adapter_size")
    private Long adapterSize;

    @Column(name = "adapter_source", length = 8)
    private String adapterSource;

    @Column(name = "adapter_path", length = 2000)
    private String adapterPath;

    @Column(name = "lora_rank")
    private Integer loraRank;

    @Column(name = "lora_alpha")
    private Double loraAlpha;

    @Column(name = "target_modules", length = 1000)
    private String targetModules;

    @Column(name = "run_uuid", length = 64)
    private String runUuid;

    @Column(name = "epoch")
    private Integer epoch;

    @Column(name = "trained_on_dataset_id")
    private Long trainedOnDatasetId;

    @Column(name = "baseline_params", length = 1000)
    private String baselineParams;

    @Column(length = 4000)
    private String notes;

    @Column(length = 1000)
    private String tags;

    @Column(name = "created_by", nullable = false, length = 64)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected CheckpointEntity() {}

    /** A new row with the fields of {@code c} (its id and deletion are ignored). */
    CheckpointEntity(Checkpoint c) {
        this.name = c.name();
        this.kind = c.kind();
        this.baseModel = c.baseModel();
        this.embeddingFlow = c.embeddingFlow();
        this.adapterFileName = c.adapterFileName();
        this.adapterSha256 = c.adapterSha256();
        this.adapterSize = c.adapterSize();
        this.adapterSource = c.adapterSource();
        this.adapterPath = c.adapterPath();
        this.loraRank = c.loraRank();
        this.loraAlpha = c.loraAlpha();
        this.targetModules = c.targetModules();
        this.runUuid = c.runUuid();
        this.epoch = c.epoch();
        this.trainedOnDatasetId = c.trainedOnDatasetId();
        this.baselineParams = c.baselineParams();
        this.notes = c.notes();
        this.tags = c.tags();
        this.createdBy = c.createdBy();
        // to the microsecond, as the column keeps it: the row read back in the same transaction is the stored one
        this.createdAt = c.createdAt() == null ? null : c.createdAt().truncatedTo(ChronoUnit.MICROS);
    }

    Long id() {
        return id;
    }

    Checkpoint toCheckpoint() {
        return new Checkpoint(
                id,
                name,
                kind,
                baseModel,
                embeddingFlow,
                adapterFileName,
                adapterSha256,
                adapterSize,
                adapterSource,
                adapterPath,
                loraRank,
                loraAlpha,
                targetModules,
                runUuid,
                epoch,
                trainedOnDatasetId,
                baselineParams,
                notes,
                tags,
                createdBy,
                createdAt,
                deletedAt(),
                deletedBy());
    }
}
