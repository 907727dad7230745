package org.stainbench.evaluation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring Data for the {@code evaluation} table's simple reads and writes (issue 20 item 4), used only by
 * {@link EvaluationStore}. Each update is one statement that flushes before and clears the persistence context after,
 * so a read in the same transaction (JPA or the store's {@code JdbcClient}) sees it.
 */
interface EvaluationRepository extends JpaRepository<EvaluationEntity, Long> {

    List<EvaluationEntity> findByFingerprintIsNullOrderByIdAsc();

    List<EvaluationEntity> findByStatusAndFinishedAtIsNotNullOrderByFinishedAtAscIdAsc(String status);

    Optional<EvaluationEntity> findFirstByFeaturesJobIdOrderByIdAsc(Long featuresJobId);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update EvaluationEntity e set e.status = :status, e.error = :error, e.finishedAt = :finishedAt"
            + " where e.id = :id")
    int setStatus(
            @Param("id") long id,
            @Param("status") String status,
            @Param("error") String error,
            @Param("finishedAt") Instant finishedAt);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update EvaluationEntity e set e.jobId = :jobId where e.id = :id")
    int setJob(@Param("id") long id, @Param("jobId") long jobId);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update EvaluationEntity e set e.featuresJobId = :jobId, e.featuresWhere = :where where e.id = :id")
    int setFeaturesJob(@Param("id") long id, @Param("jobId") Long jobId, @Param("where") String where);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update EvaluationEntity e set e.featuresWhere = :where where e.id = :id")
    int setFeaturesWhere(@Param("id") long id, @Param("where") String where);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update EvaluationEntity e set e.fingerprint = :fingerprint, e.fingerprintText = :text where e.id = :id")
    int setFingerprint(@Param("id") long id, @Param("fingerprint") String fingerprint, @Param("text") String text);
}
