package org.stainbench.slides;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stainbench.shell.InventoryCount;

/** Home page count: slides. */
@Configuration(proxyBeanMethods = false)
class SlideCounts {

    @Bean
    InventoryCount slideCount(SlideStore store) {
        return InventoryCount.of("slides", store::countSlides, "/slides", 13);
    }
}
