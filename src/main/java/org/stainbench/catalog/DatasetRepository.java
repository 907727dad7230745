package org.stainbench.catalog;

import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.shell.SoftDeleteRepository;

/**
 * The {@code dataset} table's simple reads and writes (Spring Data JPA); soft delete and restore come from
 * {@link SoftDeleteRepository}. Package-private: other modules and the controllers go through {@link Catalog}.
 */
interface DatasetRepository extends SoftDeleteRepository<DatasetEntity> {

    long countByDeletedAtIsNull();

    long countByKindAndDeletedAtIsNull(DatasetKind kind);

    /** Names are unique regardless of case, deleted datasets included. */
    boolean existsByNameIgnoreCase(String name);

    /** Live datasets, a page of them in the page's order. */
    List<DatasetEntity> findByDeletedAtIsNull(Pageable page);

    /** Live datasets of one kind, a page of them in the page's order. */
    List<DatasetEntity> findByKindAndDeletedAtIsNull(DatasetKind kind, Pageable page);

    /** Deleted datasets, the latest deleted first. */
    List<DatasetEntity> findByDeletedAtIsNotNullOrderByDeletedAtDescIdDesc();

    /** Marks a dataset as the generated set of a checkpoint applied to a source dataset. */
    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update DatasetEntity d set d.kind = org.stainbench.catalog.DatasetKind.GENERATED,"
            + " d.generatedCheckpointId = :checkpoint, d.generatedSourceDatasetId = :source where d.id = :id")
    int markGenerated(@Param("id") long id, @Param("checkpoint") long checkpointId, @Param("source") long sourceId);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update DatasetEntity d set d.splitSeed = :seed, d.splitTrainPercent = :percent, d.splitBy = :by,"
            + " d.splitAt = :at where d.id = :id")
    int recordSplit(
            @Param("id") long id,
            @Param("seed") long seed,
            @Param("percent") int trainPercent,
            @Param("by") String by,
            @Param("at") Instant at);
}
