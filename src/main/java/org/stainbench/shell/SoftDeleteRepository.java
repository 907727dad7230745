package org.stainbench.shell;

import java.time.Instant;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.NoRepositoryBean;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * The soft-delete rule, written once for every Spring Data repository of a table with {@code deleted_at} /
 * {@code deleted_by}: a row is deleted by stamping both, restored by clearing both, and each change applies only to a
 * row in the other state (a second delete or restore changes nothing and answers 0). Entities extend
 * {@link SoftDeletable} and have a {@code Long id}.
 */
@NoRepositoryBean
public interface SoftDeleteRepository<T extends SoftDeletable> extends JpaRepository<T, Long> {

    /** The row when it exists and is not deleted. */
    @Query("select e from #{#entityName} e where e.id = :id and e.deletedAt is null")
    Optional<T> findLive(@Param("id") long id);

    /** Marks a live row deleted: 1, or 0 when it is gone or already deleted. */
    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update #{#entityName} e set e.deletedAt = :at, e.deletedBy = :by where e.id = :id and e.deletedAt is null")
    int markDeleted(@Param("id") long id, @Param("by") String by, @Param("at") Instant at);

    /** Brings a deleted row back: 1, or 0 when it is not deleted. */
    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query(
            "update #{#entityName} e set e.deletedAt = null, e.deletedBy = null where e.id = :id and e.deletedAt is not null")
    int restore(@Param("id") long id);
}
