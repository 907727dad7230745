package org.stainbench.slides;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stainbench.shell.SqlDependants;

/** Slides whose tilings write their tiles into a dataset. */
@Component
class SlideDependants extends SqlDependants {

    SlideDependants(JdbcClient jdbc) {
        super(
                jdbc,
                "slide tiling",
                Map.of(
                        DATASET,
                        "select name as title, '/slides/' || id as href from slide"
                                + " where id in (select slide_id from slide_tiling where dataset_id = :id) order by id"));
    }
}
