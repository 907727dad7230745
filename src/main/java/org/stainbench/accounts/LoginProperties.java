package org.stainbench.accounts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code stainbench.login.*}: sign-in throttling.
 *
 * @param maxFailures        failed sign-ins for one user name before it is locked
 * @param addressMaxFailures failed sign-ins from one client address (any user name) before the address is locked
 * @param lockout            the first lock; each further failure after a lock doubles it
 * @param maxLockout         the longest lock
 * @param forgetAfter        failures are forgotten after this long without a new one (a success forgets the user
 *                           name's failures at once, not the address's)
 * @param trackedKeys        most user names and addresses remembered at a time (the least recently used go first)
 */
@ConfigurationProperties("stainbench.login")
record LoginProperties(
        @DefaultValue("5") int maxFailures,
        @DefaultValue("20") int addressMaxFailures,
        @DefaultValue("30s") Duration lockout,
        @DefaultValue("15m") Duration maxLockout,
        @DefaultValue("1h") Duration forgetAfter,
        @DefaultValue("10000") int trackedKeys) {}
