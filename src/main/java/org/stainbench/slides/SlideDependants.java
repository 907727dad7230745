package org.stainbench.slides;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.Dependants;

/** Slides whose tilings write their tiles into a dataset. */
@Component
class SlideDependants implements Dependants {

    private final JdbcClient jdbc;

    SlideDependants(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Dependant> dependantsOf(String kind, long id) {
        if (!DATASET.equals(kind)) {
            return List.of();
        }
        return jdbc.sql(
                        "select id, name from slide where id in (select slide_id from slide_tiling where dataset_id = ?) "
                                + "order by id")
                .param(id)
                .query((rs, i) -> new Dependant("slide tiling", rs.getString("name"), "/slides/" + rs.getLong("id")))
                .list();
    }
}
