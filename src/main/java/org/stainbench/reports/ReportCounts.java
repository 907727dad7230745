package org.stainbench.reports;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stainbench.shell.InventoryCount;

/** Home page count: reports. */
@Configuration(proxyBeanMethods = false)
class ReportCounts {

    @Bean
    InventoryCount reportCount(ReportStore store) {
        return InventoryCount.of("reports", store::count, "/reports", 75);
    }
}
