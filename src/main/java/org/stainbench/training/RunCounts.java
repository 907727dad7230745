package org.stainbench.training;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stainbench.shell.InventoryCount;

/** Home page count: training runs. */
@Configuration(proxyBeanMethods = false)
class RunCounts {

    @Bean
    InventoryCount runCount(TrackingStore store) {
        return InventoryCount.of("runs", store::runCount, "/runs", 40);
    }
}
