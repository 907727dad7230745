package org.stainbench.checkpoints;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Pageable;
import org.stainbench.shell.SoftDeleteRepository;

/**
 * The {@code checkpoint} table's simple reads and writes (Spring Data JPA); soft delete and restore come from
 * {@link SoftDeleteRepository}. Package-private: other modules and the controllers go through {@link Checkpoints}.
 */
interface CheckpointRepository extends SoftDeleteRepository<CheckpointEntity> {

    boolean existsByName(String name);

    Optional<CheckpointEntity> findByName(String name);

    Optional<CheckpointEntity> findByRunUuidAndEpoch(String runUuid, int epoch);

    long countByDeletedAtIsNull();

    /** Live checkpoints, a page of them in the page's order. */
    List<CheckpointEntity> findByDeletedAtIsNull(Pageable page);

    /** Deleted checkpoints, the latest deleted first. */
    List<CheckpointEntity> findByDeletedAtIsNotNullOrderByDeletedAtDescIdDesc();

    /** Live checkpoints trained on the dataset. */
    List<CheckpointEntity> findByTrainedOnDatasetIdAndDeletedAtIsNullOrderByIdAsc(long datasetId);

    /** Live checkpoints with baseline parameters (which may name a target dataset). */
    List<CheckpointEntity> findByBaselineParamsIsNotNullAndDeletedAtIsNullOrderByIdAsc();
}
