package org.stainbench.reports;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The {@code report} row (V12) for {@link ReportRepository}; the store hands out {@link Report} records, never this
 * entity. Its blocks are {@code report_block} rows ({@link ReportBlockEntity}).
 */
@Entity
@Table(name = "report")
class ReportEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 200)
    private String title;

    @Column(nullable = false, length = 8)
    private String status;

    @Column(name = "copied_from")
    private Long copiedFrom;

    @Column(name = "created_by", nullable = false, length = 64)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "frozen_by", length = 64)
    private String frozenBy;

    @Column(name = "frozen_at")
    private Instant frozenAt;

    protected ReportEntity() {}

    /** A new draft. */
    ReportEntity(String title, Long copiedFrom, String createdBy, Instant at) {
        this.title = title;
        this.status = Report.DRAFT;
        this.copiedFrom = copiedFrom;
        this.createdBy = createdBy;
        this.createdAt = at;
        this.updatedAt = at;
    }

    Long id() {
        return id;
    }

    Report toReport() {
        return new Report(id, title, status, copiedFrom, createdBy, createdAt, updatedAt, frozenBy, frozenAt);
    }
}
