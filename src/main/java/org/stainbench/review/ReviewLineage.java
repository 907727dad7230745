package org.stainbench.review;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.checkpoints.LineageContributor;

/** The review sessions that showed a checkpoint's tiles, for its lineage (this module's edge). */
@Component
class ReviewLineage implements LineageContributor {

    static final String KIND = "review session";

    private final JdbcClient jdbc;

    ReviewLineage(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Entry> entries(long checkpointId) {
        return jdbc.sql("select id, name, mode from review_session where id in "
                        + "(select session_id from review_item where checkpoint_id = ?) order by id")
                .param(checkpointId)
                .query((rs, i) -> new Entry(
                        KIND,
                        rs.getString("name") + " (" + modeTitle(rs.getString("mode")) + ")",
                        "/review/sessions/" + rs.getLong("id")))
                .list();
    }

    private static String modeTitle(String mode) {
        try {
            return ReviewMode.valueOf(mode).title();
        } catch (IllegalArgumentException e) {
            return mode;
        }
    }
}
