package org.stainbench.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code node} table (Spring Data JPA): registration, heartbeats, deregistration and the node list. The job
 * claim's check that a node is not deregistered stays in {@link JobStore}'s guarded SQL. Package-private: behind
 * {@link AgentService}; other modules see nodes through the module's public API.
 */
interface NodeRepository extends JpaRepository<NodeEntity, Long> {

    Optional<NodeEntity> findByName(String name);

    List<NodeEntity> findAllByOrderByNameAsc();

    /** Whether the node exists and its agent has not deregistered. */
    boolean existsByIdAndDeregisteredAtIsNull(long id);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update NodeEntity n set n.lastHeartbeat = :at where n.id = :id")
    int heartbeat(@Param("id") long id, @Param("at") Instant at);

    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update NodeEntity n set n.deregisteredAt = :at where n.id = :id")
    int deregister(@Param("id") long id, @Param("at") Instant at);
}
