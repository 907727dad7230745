package org.stainbench.accounts;

import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * On first start with no users, creates {@code admin} with the password from
 * {@code STAINBENCH_ADMIN_PASSWORD}, or generates one and prints it once in the log.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserRepository users;
    private final Accounts accounts;
    private final String configuredPassword;

    AdminBootstrap(
            UserRepository users,
            Accounts accounts,
            @Value("${stainbench.admin-password:}") String configuredPassword) {
        this.users = users;
        this.accounts = accounts;
        this.configuredPassword = configuredPassword;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            createFirst();
        } catch (RuntimeException e) {
            // several instances started at once on one empty database: another one created the account first
            // (the user name is unique), and this one must still start
            if (users.count() == 0) {
                throw e;
            }
            log.info("Another instance created the first account 'admin' at the same time.");
        }
    }

    private void createFirst() {
        if (users.count() > 0) {
            return;
        }
        if (!configuredPassword.isBlank()) {
            accounts.createUser("admin", "Administrator", Role.ADMIN, configuredPassword, false);
            log.info("Created the first account 'admin' with the password from STAINBENCH_ADMIN_PASSWORD.");
            PasswordRule.problem("admin", configuredPassword)
                    .ifPresent(p -> log.warn(
                            "STAINBENCH_ADMIN_PASSWORD breaks the password rule ({}) It was used anyway for the first start;"
                                    + " change it under My account.",
                            p));
        } else {
            String password;
            do {
                byte[] bytes = new byte[12];
                new SecureRandom().nextBytes(bytes);
                password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            } while (PasswordRule.problem("admin", password).isPresent());
            accounts.createUser("admin", "Administrator", Role.ADMIN, password);
            log.warn(
                    """

                    ==========================================================
                      Created the first account.  user: admin   password: {}
                      This password is shown once; change it by creating your
                      own admin account, or set STAINBENCH_ADMIN_PASSWORD before
                      the first start.
                    ==========================================================""",
                    password);
        }
    }
}
