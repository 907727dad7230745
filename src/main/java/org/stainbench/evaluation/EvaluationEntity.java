package org.stainbench.evaluation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The {@code evaluation} row (V10, V44, V60) for {@link EvaluationRepository}; the store hands out {@link Evaluation}
 * records, never this entity. Changes after the insert go through the repository's update statements.
 */
@Entity
@Table(name = "evaluation")
class EvaluationEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(nullable = false, length = 8)
    private String origin;

    @Column(nullable = false, length = 8)
    private String status;

    @Column(name = "real_dataset_id")
    private Long realDatasetId;

    @Column(name = "extractor_id")
    private Long extractorId;

    @Column(name = "extractor_sha256", length = 64)
    private String extractorSha256;

    @Column(nullable = false, length = 8000)
    private String protocol;

    @Column(name = "job_id")
    private Long jobId;

    @Column(length = 4000)
    private String error;

    @Column(name = "created_by", nullable = false, length = 64)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(length = 64)
    private String fingerprint;

    @Column(name = "fingerprint_text", length = 8000)
    private String fingerprintText;

    @Column(name = "features_job_id")
    private Long featuresJobId;

    @Column(name = "features_where", length = 200)
    private String featuresWhere;

    protected EvaluationEntity() {}

    EvaluationEntity(
            String name,
            String origin,
            String status,
            Long realDatasetId,
            Long extractorId,
            String extractorSha256,
            String protocol,
            String createdBy,
            Instant createdAt) {
        this.name = name;
        this.origin = origin;
        this.status = status;
        this.realDatasetId = realDatasetId;
        this.extractorId = extractorId;
        this.extractorSha256 = extractorSha256;
        this.protocol = protocol;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    Long id() {
        return id;
    }

    Long featuresJobId() {
        return featuresJobId;
    }

    String featuresWhere() {
        return featuresWhere;
    }

    Evaluation toEvaluation() {
        return new Evaluation(
                id,
                name,
                origin,
                status,
                realDatasetId,
                extractorId,
                extractorSha256,
                protocol,
                jobId,
                error,
                createdBy,
                createdAt,
                finishedAt,
                fingerprint,
                fingerprintText);
    }
}
