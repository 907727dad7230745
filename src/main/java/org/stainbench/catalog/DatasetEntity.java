package org.stainbench.catalog;

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
 * A row of {@code dataset} (V3, V13, V45) for {@link DatasetRepository}; the rest of the module reads the
 * {@link Dataset} record it maps to. Columns change through the repository's statements, not through setters.
 */
@Entity
@Table(name = "dataset")
class DatasetEntity extends SoftDeletable {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 200)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private Stain stain;

    @Column(length = 40)
    private String marker;

    @Column(length = 200)
    private String cohort;

    @Column(name = "tile_size", nullable = false)
    private int tileSize;

    @Column(length = 4000)
    private String description;

    @Column(name = "created_by", nullable = false, length = 64)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "split_seed")
    private Long splitSeed;

    @Column(name = "split_train_percent")
    private Integer splitTrainPercent;

    @Column(name = "split_by", length = 64)
    private String splitBy;

    @Column(name = "split_at")
    private Instant splitAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 12)
    private DatasetKind kind;

    @Column(name = "generated_checkpoint_id")
    private Long generatedCheckpointId;

    @Column(name = "generated_source_dataset_id")
    private Long generatedSourceDatasetId;

    protected DatasetEntity() {}

    /** A new real dataset (a generated one is marked with {@link DatasetRepository#markGenerated} after). */
    DatasetEntity(
            String name,
            Stain stain,
            String marker,
            String cohort,
            int tileSize,
            String description,
            String createdBy,
            Instant createdAt) {
        this.name = name;
        this.stain = stain;
        this.marker = marker;
        this.cohort = cohort;
        this.tileSize = tileSize;
        this.description = description;
        this.createdBy = createdBy;
        // to the microsecond, as the column keeps it: the row read back in the same transaction is the stored one
        this.createdAt = createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.MICROS);
        this.kind = DatasetKind.REAL;
    }

    Long id() {
        return id;
    }

    Dataset toDataset() {
        return new Dataset(
                id,
                name,
                stain,
                marker,
                cohort,
                tileSize,
                description,
                createdBy,
                createdAt,
                splitSeed,
                splitTrainPercent,
                splitBy,
                splitAt,
                deletedAt(),
                deletedBy(),
                kind,
                generatedCheckpointId,
                generatedSourceDatasetId);
    }
}
