package org.stainbench.review;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The {@code review_session} row (V11) for {@link ReviewSessionRepository}; the store hands out {@link ReviewSession}
 * records, never this entity. Items, raters and answers are separate tables the store writes with {@code JdbcClient}.
 */
@Entity
@Table(name = "review_session")
class ReviewSessionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 200)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private ReviewMode mode;

    @Column(nullable = false, length = 4000)
    private String instructions;

    @Column(length = 4000)
    private String criteria;

    @Column(name = "show_source", nullable = false)
    private boolean showSource;

    @Column(nullable = false, length = 16)
    private String selection;

    @Column(name = "source_dataset_id", nullable = false)
    private long sourceDatasetId;

    @Column(name = "real_dataset_id")
    private Long realDatasetId;

    @Column(name = "per_checkpoint", nullable = false)
    private int perCheckpoint;

    @Column(name = "real_count", nullable = false)
    private int realCount;

    @Column(name = "repeat_percent", nullable = false)
    private int repeatPercent;

    @Column(nullable = false)
    private long seed;

    @Column(name = "created_by", nullable = false, length = 64)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ReviewSessionEntity() {}

    /** A new row with the settings of {@code s} (its id is ignored: the database gives one). */
    ReviewSessionEntity(ReviewSession s) {
        this.name = s.name();
        this.mode = s.mode();
        this.instructions = s.instructions();
        this.criteria = s.criteria();
        this.showSource = s.showSource();
        this.selection = s.selection();
        this.sourceDatasetId = s.sourceDatasetId();
        this.realDatasetId = s.realDatasetId();
        this.perCheckpoint = s.perCheckpoint();
        this.realCount = s.realCount();
        this.repeatPercent = s.repeatPercent();
        this.seed = s.seed();
        this.createdBy = s.createdBy();
        this.createdAt = s.createdAt();
    }

    Long id() {
        return id;
    }

    ReviewSession toSession() {
        return new ReviewSession(
                id,
                name,
                mode,
                instructions,
                criteria,
                showSource,
                selection,
                sourceDatasetId,
                realDatasetId,
                perCheckpoint,
                realCount,
                repeatPercent,
                seed,
                createdBy,
                createdAt);
    }
}
