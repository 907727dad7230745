package org.stainbench.shell;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The soft-delete rule, written once for every table that has {@code deleted_at} / {@code deleted_by} columns: a
 * row is deleted by stamping both, restored by clearing both, and each change applies only to a row in the other
 * state (so a second delete or restore changes nothing and answers false). {@code table} is a constant of the
 * calling store, never user input.
 */
public final class SoftDelete {

    private SoftDelete() {}

    /** Marks a live row deleted; false when it is gone or already deleted. */
    public static boolean mark(JdbcClient jdbc, String table, long id, String by, Instant at) {
        return jdbc.sql("update " + table + " set deleted_at = ?, deleted_by = ? where id = ? and deleted_at is null")
                        .params(Timestamp.from(at), by, id)
                        .update()
                == 1;
    }

    /** Brings a deleted row back; false when it is not deleted. */
    public static boolean restore(JdbcClient jdbc, String table, long id) {
        return jdbc.sql("update " + table
                                + " set deleted_at = null, deleted_by = null where id = ? and deleted_at is not null")
                        .param(id)
                        .update()
                == 1;
    }
}
