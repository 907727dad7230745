package org.stainbench.accounts;

import java.time.Instant;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface MachineTokenRepository extends JpaRepository<MachineToken, Long> {

    Optional<MachineToken> findByTokenHash(String tokenHash);

    java.util.List<MachineToken> findByOwnerAndRevokedAtIsNull(UserAccount owner);

    Page<MachineToken> findAllByOrderByCreatedAtDesc(Pageable pageable);

    java.util.List<MachineToken> findByScopeAndRevokedAtIsNullAndNameStartingWithAndCreatedAtBefore(
            TokenScope scope, String namePrefix, Instant before);

    /** Records use without loading the entity; throttled by the caller. */
    @Modifying
    @Transactional
    @Query("update MachineToken t set t.lastUsedAt = :when where t.id = :id")
    int touch(Long id, Instant when);
}
