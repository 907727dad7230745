package org.stainbench.jobs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stainbench.shell.InventoryCount;

/** Home page counts: jobs running and queued. */
@Configuration(proxyBeanMethods = false)
class JobCounts {

    @Bean
    InventoryCount jobsRunning(JobViews views) {
        return InventoryCount.of(
                "jobs running", () -> views.countIn("ASSIGNED", "SUBMITTED", "RUNNING"), "/jobs?state=RUNNING", 60);
    }

    @Bean
    InventoryCount jobsQueued(JobViews views) {
        return InventoryCount.of("jobs queued", () -> views.countIn("QUEUED"), "/jobs?state=QUEUED", 61);
    }
}
