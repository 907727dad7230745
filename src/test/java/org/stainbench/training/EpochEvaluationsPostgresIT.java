package org.stainbench.training;

import org.stainbench.support.PostgresTest;

/**
 * The same "evaluate epochs" scenarios on a real PostgreSQL: the request table, the guarded claim under eight
 * concurrent advances, the metric-vs-epoch data.
 */
@PostgresTest
class EpochEvaluationsPostgresIT extends EpochEvaluationsTest {}
