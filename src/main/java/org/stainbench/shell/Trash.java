package org.stainbench.shell;

import java.time.Instant;
import java.util.List;

/**
 * A module's soft-deleted things, for the admin page {@code /admin/deleted}: one bean per kind of thing that
 * can be deleted. Restoring brings the thing (and what was deleted with it) back as it was.
 */
public interface Trash {

    /** The kind, singular and lower-case, as in {@link Dependants}: "dataset", "checkpoint". */
    String kind();

    /** Everything of this kind that is deleted now. */
    List<Deleted> deleted();

    /**
     * Restores one deleted thing and records it in the activity trail.
     *
     * @throws IllegalArgumentException when there is no such deleted thing
     */
    void restore(long id, String by);

    record Deleted(String kind, long id, String title, String href, String deletedBy, Instant deletedAt) {}
}
