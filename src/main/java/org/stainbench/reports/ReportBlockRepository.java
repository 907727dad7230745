package org.stainbench.reports;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring Data for the {@code report_block} table (issue 20 item 4), used only by {@link ReportStore}. Each change is
 * one statement that flushes before and clears the persistence context after, so a read in the same transaction (JPA
 * or the store's {@code JdbcClient}) sees it.
 */
interface ReportBlockRepository extends JpaRepository<ReportBlockEntity, Long> {

    List<ReportBlockEntity> findByReportIdOrderByPositionAscIdAsc(long reportId);

    Optional<ReportBlockEntity> findByIdAndReportId(long id, long reportId);

    @Query("select coalesce(max(b.position), -1) + 1 from ReportBlockEntity b where b.reportId = :reportId")
    int nextPosition(@Param("reportId") long reportId);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update ReportBlockEntity b set b.settings = :settings where b.id = :id")
    int setSettings(@Param("id") long id, @Param("settings") String settings);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update ReportBlockEntity b set b.position = :position where b.id = :id")
    int setPosition(@Param("id") long id, @Param("position") int position);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update ReportBlockEntity b set b.snapshot = :snapshot where b.id = :id")
    int setSnapshot(@Param("id") long id, @Param("snapshot") String snapshot);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("delete from ReportBlockEntity b where b.id = :id")
    int deleteRow(@Param("id") long id);
}
