package org.stainbench.jobs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stainbench.shell.InventoryCount;

/** Home page counts: jobs running and queued. */
@Configuration(proxyBeanMethods = false)
class JobCounts {

    @Bean
    InventoryCount jobsRunning(JobViews views) {
        return count("jobs running", () -> views.countIn("ASSIGNED", "SUBMITTED", "RUNNING"), "/jobs?state=RUNNING", 60);
    }

    @Bean
    InventoryCount jobsQueued(JobViews views) {
        return count("jobs queued", () -> views.countIn("QUEUED"), "/jobs?state=QUEUED", 61);
    }

    private static InventoryCount count(String label, java.util.function.LongSupplier n, String href, int order) {
        return new InventoryCount() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public long count() {
                return n.getAsLong();
            }

            @Override
            public String href() {
                return href;
            }

            @Override
            public int order() {
                return order;
            }
        };
    }
}
