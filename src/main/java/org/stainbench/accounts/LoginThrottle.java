package org.stainbench.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins per user name and per client address and locks either one for a while once it has too many:
 * the first lock lasts {@link LoginProperties#lockout()}, every further failure doubles it up to
 * {@link LoginProperties#maxLockout()}. While locked, sign-ins are refused without looking at the password. Kept in
 * memory (a restart forgets), bounded by {@link LoginProperties#trackedKeys()}; time comes from the injected clock.
 */
@Component
class LoginThrottle {

    private final LoginProperties props;
    private final Clock clock;
    private final Map<String, Failures> failures;

    LoginThrottle(LoginProperties props, Clock clock) {
        this.props = props;
        this.clock = clock;
        int bound = Math.max(props.trackedKeys(), 2);
        this.failures = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > bound;
            }
        };
    }

    /** How long sign-ins for this user name or from this address stay refused; empty when they are not. */
    synchronized Optional<Duration> lockedFor(String username, String address) {
        Instant now = clock.instant();
        Duration longest = Duration.ZERO;
        for (String key : keys(username, address)) {
            Failures f = failures.get(key);
            if (f != null && f.lockedUntil != null && f.lockedUntil.isAfter(now)) {
                Duration left = Duration.between(now, f.lockedUntil);
                longest = left.compareTo(longest) > 0 ? left : longest;
            }
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    /** Records a failed sign-in; returns the lock it caused, if any. */
    synchronized Optional<Duration> failed(String username, String address) {
        Instant now = clock.instant();
        record(account(username), props.maxFailures(), now);
        record(address(address), props.addressMaxFailures(), now);
        return lockedFor(username, address);
    }

    /** A successful sign-in forgets the user name's failures (not the address's). */
    synchronized void succeeded(String username) {
        failures.remove(account(username));
    }

    private void record(String key, int max, Instant now) {
        Failures f = failures.computeIfAbsent(key, k -> new Failures());
        if (f.last != null && f.last.plus(props.forgetAfter()).isBefore(now)) {
            f.count = 0;
            f.lockedUntil = null;
        }
        f.count++;
        f.last = now;
        if (f.count >= Math.max(max, 1)) {
            int doublings = Math.min(f.count - Math.max(max, 1), 30);
            Duration lock = props.lockout().multipliedBy(1L << doublings);
            if (lock.compareTo(props.maxLockout()) > 0 || lock.isNegative()) {
                lock = props.maxLockout();
            }
            f.lockedUntil = now.plus(lock);
        }
    }

    private static String[] keys(String username, String address) {
        return new String[] {account(username), address(address)};
    }

    private static String account(String username) {
        return "user:" + (username == null ? "" : username.trim().toLowerCase(Locale.ROOT));
    }

    private static String address(String address) {
        return "addr:" + (address == null ? "" : address);
    }

    private static final class Failures {
        int count;
        Instant last;
        Instant lockedUntil;
    }
}
