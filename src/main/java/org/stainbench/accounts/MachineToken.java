package org.stainbench.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** A machine token; only the SHA-256 of its secret is stored. */
@Entity
@Table(name = "machine_token")
class MachineToken {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 128)
    private String name;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "owner_id", nullable = false)
    private UserAccount owner;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private TokenScope scope;

    @Column(name = "token_hash", nullable = false, unique = true, length = 64)
    private String tokenHash;

    /** The first characters of the secret, so people can tell tokens apart. */
    @Column(name = "token_prefix", nullable = false, length = 12)
    private String tokenPrefix;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected MachineToken() {}

    MachineToken(
            String name, UserAccount owner, TokenScope scope, String tokenHash, String tokenPrefix, Instant createdAt) {
        this.name = name;
        this.owner = owner;
        this.scope = scope;
        this.tokenHash = tokenHash;
        this.tokenPrefix = tokenPrefix;
        this.createdAt = createdAt;
    }

    Long getId() {
        return id;
    }

    String getName() {
        return name;
    }

    UserAccount getOwner() {
        return owner;
    }

    TokenScope getScope() {
        return scope;
    }

    String getTokenPrefix() {
        return tokenPrefix;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getLastUsedAt() {
        return lastUsedAt;
    }

    Instant getRevokedAt() {
        return revokedAt;
    }

    /** Not revoked, and its owner is enabled and not a pathologist (pathologists hold no tokens). */
    boolean isActive() {
        return revokedAt == null && owner.isEnabled() && owner.getRole() != Role.PATHOLOGIST;
    }

    void markUsed(Instant when) {
        this.lastUsedAt = when;
    }

    void revoke(Instant when) {
        if (revokedAt == null) {
            revokedAt = when;
        }
    }
}
