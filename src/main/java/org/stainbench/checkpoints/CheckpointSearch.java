package org.stainbench.checkpoints;

import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.LikePattern;
import org.stainbench.shell.SearchSource;

/**
 * The search box over checkpoints: name, kind, tags, notes, base model. Hand SQL, not {@link CheckpointRepository}:
 * a LIKE over several columns in one statement.
 */
@Component
class CheckpointSearch implements SearchSource {

    private final JdbcClient jdbc;

    CheckpointSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "checkpoints";
    }

    @Override
    public List<Hit> search(String query, int limit) {
        String p = LikePattern.contains(query);
        return jdbc
                .sql(
                        """
                select * from checkpoint
                where deleted_at is null
                  and (lower(name) like ? escape '!' or lower(kind) like ? escape '!' or lower(coalesce(tags, '')) like ? escape '!'
                   or lower(coalesce(notes, '')) like ? escape '!' or lower(coalesce(base_model, '')) like ? escape '!')
                order by name limit ?""")
                .params(p, p, p, p, p, limit)
                .query(CheckpointStore::checkpoint)
                .list()
                .stream()
                .map(c -> new Hit(
                        c.name(),
                        c.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                                + (c.epoch() == null ? "" : " · epoch " + c.epoch())
                                + (c.tagList().isEmpty() ? "" : " · tags " + String.join(", ", c.tagList())),
                        c.href()))
                .toList();
    }
}
