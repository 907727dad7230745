package org.stainbench.reports;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring Data for the {@code report} table's simple reads and writes (issue 20 item 4), used only by
 * {@link ReportStore}. Each update is one statement that flushes before and clears the persistence context after, so a
 * read in the same transaction (JPA or the store's {@code JdbcClient}) sees it.
 */
interface ReportRepository extends JpaRepository<ReportEntity, Long> {

    Optional<ReportEntity> findFirstByTitleOrderByIdAsc(String title);

    /** Reports in {@code status}, the newest freeze first. */
    List<ReportEntity> findByStatusOrderByFrozenAtDescIdDesc(String status, Limit limit);

    /** Reports in {@code status} frozen after {@code since}, the newest freeze first. */
    List<ReportEntity> findByStatusAndFrozenAtAfterOrderByFrozenAtDescIdDesc(String status, Instant since, Limit limit);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update ReportEntity r set r.title = :title, r.updatedAt = :at where r.id = :id")
    int rename(@Param("id") long id, @Param("title") String title, @Param("at") Instant at);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update ReportEntity r set r.updatedAt = :at where r.id = :id")
    int touch(@Param("id") long id, @Param("at") Instant at);
}
