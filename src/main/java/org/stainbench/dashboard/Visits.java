package org.stainbench.dashboard;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The last visit of each user to the dashboard, for "what changed since your last visit". A visit is a run of views no
 * more than {@code stainbench.dashboard.visit-gap} apart: reloading the page within it keeps the same "since", coming
 * back after it makes the last view of the visit before the reference (what the user saw last).
 */
@Repository
class Visits {

    private final JdbcClient jdbc;
    private final Duration gap;

    Visits(JdbcClient jdbc, @Value("${stainbench.dashboard.visit-gap:30m}") Duration gap) {
        this.jdbc = jdbc;
        this.gap = gap;
    }

    /**
     * Records a view by {@code user} at {@code now} and returns the last view of the previous visit (null on the first
     * visit).
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    Instant seen(String user, Instant now) {
        record Row(Instant visited, Instant previous) {}
        Row row = jdbc.sql("select visited_at, previous_at from dashboard_visit where username = ?")
                .param(user)
                .query((rs, i) -> new Row(
                        rs.getTimestamp(1).toInstant(),
                        rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant()))
                .optional()
                .orElse(null);
        if (row == null) {
            try {
                jdbc.sql("insert into dashboard_visit (username, visited_at, previous_at) values (?, ?, null)")
                        .params(user, Timestamp.from(now))
                        .update();
            } catch (DuplicateKeyException raced) {
                // a second tab of the same first visit: the other one recorded it
            }
            return null;
        }
        if (Duration.between(row.visited(), now).compareTo(gap) > 0) {
            // a new visit: the one before becomes the reference
            jdbc.sql("update dashboard_visit set previous_at = visited_at, visited_at = ? where username = ?")
                    .params(Timestamp.from(now), user)
                    .update();
            return row.visited();
        }
        jdbc.sql("update dashboard_visit set visited_at = ? where username = ?")
                .params(Timestamp.from(now), user)
                .update();
        return row.previous();
    }
}
