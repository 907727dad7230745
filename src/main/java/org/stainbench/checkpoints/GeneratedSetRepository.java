package org.stainbench.checkpoints;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code generated_set} table's simple reads and writes (Spring Data JPA). The lists that join the live
 * checkpoints stay SQL in {@link CheckpointStore}. Package-private: callers go through {@link Checkpoints}.
 */
interface GeneratedSetRepository extends JpaRepository<GeneratedSetEntity, Long> {

    Optional<GeneratedSetEntity> findByCheckpointIdAndSourceDatasetIdAndSamplingSeedKey(
            long checkpointId, long sourceDatasetId, String samplingSeedKey);

    Optional<GeneratedSetEntity> findByDatasetId(long datasetId);

    List<GeneratedSetEntity> findByCheckpointIdOrderByIdAsc(long checkpointId);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update GeneratedSetEntity g set g.jobId = :job where g.id = :id")
    int setJob(@Param("id") long id, @Param("job") long jobId);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update GeneratedSetEntity g set g.status = :status, g.report = :report where g.id = :id")
    int setStatus(@Param("id") long id, @Param("status") GeneratedSetStatus status, @Param("report") String report);
}
