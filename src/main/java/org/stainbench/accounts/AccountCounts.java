package org.stainbench.accounts;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stainbench.shell.InventoryCount;

/** Home page count: users. */
@Configuration(proxyBeanMethods = false)
class AccountCounts {

    @Bean
    InventoryCount userCount(UserRepository users) {
        return InventoryCount.of("users", users::count, "/admin/users", 100);
    }
}
