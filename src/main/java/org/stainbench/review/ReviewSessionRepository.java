package org.stainbench.review;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring Data for the {@code review_session} table's simple reads and writes (issue 20 item 4), used only by
 * {@link ReviewStore}. Each change is one statement that flushes before and clears the persistence context after, so
 * a read in the same transaction (JPA or the store's {@code JdbcClient}) sees it.
 */
interface ReviewSessionRepository extends JpaRepository<ReviewSessionEntity, Long> {

    boolean existsByName(String name);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update ReviewSessionEntity s set s.name = :name, s.instructions = :instructions, s.criteria = :criteria"
            + " where s.id = :id")
    int updateSettings(
            @Param("id") long id,
            @Param("name") String name,
            @Param("instructions") String instructions,
            @Param("criteria") String criteria);

    /** Deletes the row (its items, raters, answers and the rest must be gone first); 1, or 0 when it was not there. */
    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("delete from ReviewSessionEntity s where s.id = :id")
    int deleteRow(@Param("id") long id);
}
