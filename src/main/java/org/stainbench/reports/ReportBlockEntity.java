package org.stainbench.reports;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The {@code report_block} row (V12) for {@link ReportBlockRepository}; the store hands out {@link Block} records.
 * {@code settings} and {@code snapshot} are JSON text ({@code text} columns), read and written by the store.
 */
@Entity
@Table(name = "report_block")
class ReportBlockEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "report_id", nullable = false)
    private long reportId;

    @Column(nullable = false)
    private int position;

    @Column(nullable = false, length = 8)
    private String kind;

    @Column(nullable = false)
    private String settings;

    @Column
    private String snapshot;

    protected ReportBlockEntity() {}

    ReportBlockEntity(long reportId, int position, String kind, String settings, String snapshot) {
        this.reportId = reportId;
        this.position = position;
        this.kind = kind;
        this.settings = settings;
        this.snapshot = snapshot;
    }

    Long id() {
        return id;
    }

    Block toBlock() {
        return new Block(
                id,
                reportId,
                position,
                BlockKind.valueOf(kind),
                ReportStore.JSON.readValue(settings, BlockSettings.class),
                snapshot);
    }
}
