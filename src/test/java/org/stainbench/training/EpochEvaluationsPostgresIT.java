package org.stainbench.training;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stainbench.support.PostgresDatabase;

/**
 * The same "evaluate epochs" scenarios on a real PostgreSQL: the request table, the guarded claim under eight
 * concurrent advances, the metric-vs-epoch data.
 */
class EpochEvaluationsPostgresIT extends EpochEvaluationsTest {

    @BeforeAll
    static void needsPostgres() {
        PostgresDatabase.require();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
