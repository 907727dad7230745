package org.stainbench.training;

import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.LikePattern;
import org.stainbench.shell.SearchSource;

/** The search box over tracked runs: run name or id, experiment name, tag keys and values, parameter values. */
@Component
class RunSearchSource implements SearchSource {

    private final JdbcClient jdbc;

    RunSearchSource(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "runs";
    }

    @Override
    public List<Hit> search(String query, int limit) {
        String p = LikePattern.contains(query);
        return jdbc.sql(
                        """
                select r.run_uuid, r.run_name, r.status, e.name experiment from tracked_run r join experiment e on e.id = r.experiment_id
                where r.lifecycle_stage <> 'deleted' and (
                      lower(coalesce(r.run_name, '')) like :pattern escape '!'
                   or lower(r.run_uuid) like :pattern escape '!'
                   or lower(e.name) like :pattern escape '!'
                   or exists (select 1 from run_tag t where t.run_id = r.id
                              and (lower(t.tag_key) like :pattern escape '!'
                                   or lower(coalesce(t.tag_value, '')) like :pattern escape '!'))
                   or exists (select 1 from run_param q where q.run_id = r.id
                              and lower(q.param_value) like :pattern escape '!'))
                order by r.id desc limit :limit""")
                .param("pattern", p)
                .param("limit", limit)
                .query((rs, i) -> {
                    String name = rs.getString("run_name");
                    String uuid = rs.getString("run_uuid");
                    return new Hit(
                            name == null || name.isBlank() ? uuid : name,
                            "experiment " + rs.getString("experiment") + " · "
                                    + rs.getString("status").toLowerCase(Locale.ROOT) + " · run "
                                    + uuid.substring(0, Math.min(8, uuid.length())),
                            "/runs/" + uuid);
                })
                .list();
    }
}
