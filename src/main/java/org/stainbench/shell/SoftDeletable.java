package org.stainbench.shell;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/**
 * The two columns of the soft-delete rule ({@code deleted_at}, {@code deleted_by}), for the JPA entities of tables
 * that have them. Changes go through {@link SoftDeleteRepository}, never through these fields.
 */
@MappedSuperclass
public abstract class SoftDeletable {

    @Column(name = "deleted_at")
    private Instant deletedAt;

    @Column(name = "deleted_by", length = 64)
    private String deletedBy;

    public Instant deletedAt() {
        return deletedAt;
    }

    public String deletedBy() {
        return deletedBy;
    }

    public boolean deleted() {
        return deletedAt != null;
    }
}
