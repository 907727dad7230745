package org.stainbench.evaluation;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stainbench.shell.InventoryCount;

/** Home page count: evaluations. */
@Configuration(proxyBeanMethods = false)
class EvaluationCounts {

    @Bean
    InventoryCount evaluationCount(EvaluationStore store) {
        return InventoryCount.of("evaluations", store::countEvaluations, "/evaluations", 25);
    }
}
