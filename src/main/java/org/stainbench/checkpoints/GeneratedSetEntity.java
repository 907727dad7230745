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

/**
 * A row of {@code generated_set} (V9, V47) for {@link GeneratedSetRepository}; the rest of the module reads the
 * {@link GeneratedSet} record it maps to. Job and status change through the repository's statements.
 */
@Entity
@Table(name = "generated_set")
class GeneratedSetEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "checkpoint_id", nullable = false)
    private long checkpointId;

    @Column(name = "source_dataset_id", nullable = false)
    private long sourceDatasetId;

    @Column(name = "dataset_id", nullable = false)
    private long datasetId;

    @Column(name = "job_id")
    private Long jobId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 12)
    private GeneratedSetStatus status;

    @Column(length = 4000)
    private String report;

    @Column(name = "created_by", nullable = false, length = 64)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "sampling_seed")
    private Long samplingSeed;

    /** The unique index's key of the seed (see {@link #seedKey}). */
    @Column(name = "sampling_seed_key", nullable = false, length = 24)
    private String samplingSeedKey;

    protected GeneratedSetEntity() {}

    GeneratedSetEntity(
            long checkpointId,
            long sourceDatasetId,
            long datasetId,
            GeneratedSetStatus status,
            String createdBy,
            Instant createdAt,
            Long samplingSeed) {
        this.checkpointId = checkpointId;
        this.sourceDatasetId = sourceDatasetId;
        this.datasetId = datasetId;
        this.status = status;
        this.createdBy = createdBy;
        // to the microsecond, as the column keeps it: the row read back in the same transaction is the stored one
        this.createdAt = createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.MICROS);
        this.samplingSeed = samplingSeed;
        this.samplingSeedKey = seedKey(samplingSeed);
    }

    /** The unique index's key of a sampling seed ('-' for none: at most one seedless set per checkpoint and source). */
    static String seedKey(Long samplingSeed) {
        return samplingSeed == null ? "-" : Long.toString(samplingSeed);
    }

    Long id() {
        return id;
    }

    GeneratedSet toGeneratedSet() {
        return new GeneratedSet(
                id,
                checkpointId,
                sourceDatasetId,
                datasetId,
                jobId,
                status,
                report,
                createdBy,
                createdAt,
                samplingSeed);
    }
}
