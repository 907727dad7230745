package org.stainbench.checkpoints;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stainbench.shell.InventoryCount;

/** Home page count: checkpoints. */
@Configuration(proxyBeanMethods = false)
class CheckpointCounts {

    @Bean
    InventoryCount checkpointCount(CheckpointStore store) {
        return InventoryCount.of("checkpoints", store::count, "/checkpoints", 20);
    }
}
