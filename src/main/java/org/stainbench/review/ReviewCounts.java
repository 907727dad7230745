package org.stainbench.review;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stainbench.shell.InventoryCount;

/** Home page count: review sessions. */
@Configuration(proxyBeanMethods = false)
class ReviewCounts {

    @Bean
    InventoryCount reviewSessionCount(ReviewStore store) {
        return InventoryCount.of("review sessions", store::count, "/review", 70);
    }
}
