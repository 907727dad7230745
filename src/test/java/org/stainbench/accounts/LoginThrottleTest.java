package org.stainbench.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.stainbench.support.MutableClock;

/** Issue 15, item 6: the lock rules of {@link LoginThrottle}, on a clock the test moves. */
class LoginThrottleTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(
            new LoginProperties(5, 20, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(1), 1000),
            clock);

    @Test
    void theFifthFailureLocksTheUserNameAndEachFurtherOneDoublesTheLock() {
        for (int i = 1; i <= 4; i++) {
            assertThat(throttle.failed("Vera", "10.0.0.1")).isEmpty();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(throttle.failed("vera", "10.0.0.2")).contains(Duration.ofSeconds(30));
        // the user name is locked from every address, whatever the case
        assertThat(throttle.lockedFor("VERA ", "10.0.0.3")).contains(Duration.ofSeconds(30));
        assertThat(throttle.lockedFor("other", "10.0.0.3")).isEmpty();
        clock.advance(Duration.ofSeconds(29));
        assertThat(throttle.lockedFor("vera", "10.0.0.3")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.lockedFor("vera", "10.0.0.3")).isEmpty();
        assertThat(throttle.failed("vera", "10.0.0.3")).contains(Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(60));
        assertThat(throttle.failed("vera", "10.0.0.3")).contains(Duration.ofSeconds(120));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMinutes(15));
            throttle.failed("vera", "10.0.0." + (10 + i));
        }
        assertThat(throttle.lockedFor("vera", "10.0.0.99")).contains(Duration.ofMinutes(15));
    }

    @Test
    void aSuccessForgetsTheUserNamesFailuresAndQuietTimeForgetsAll() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("walt", "10.0.1.1");
        }
        throttle.succeeded("walt");
        assertThat(throttle.failed("walt", "10.0.1.1")).isEmpty();
        for (int i = 0; i < 3; i++) {
            throttle.failed("walt", "10.0.1.1");
        }
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertThat(throttle.failed("walt", "10.0.1.1")).isEmpty();
    }

    @Test
    void oneAddressTryingManyUserNamesIsLockedAfterTwentyFailures() {
        for (int i = 1; i < 20; i++) {
            assertThat(throttle.failed("user" + i, "10.0.2.1")).isEmpty();
        }
        assertThat(throttle.failed("user20", "10.0.2.1")).contains(Duration.ofSeconds(30));
        assertThat(throttle.lockedFor("someone-else", "10.0.2.1")).contains(Duration.ofSeconds(30));
        assertThat(throttle.lockedFor("someone-else", "10.0.2.2")).isEmpty();
        // a success of a user does not unlock the address
        throttle.succeeded("someone-else");
        assertThat(throttle.lockedFor("someone-else", "10.0.2.1")).isPresent();
    }

    @Test
    void memoryIsBounded() {
        LoginThrottle small = new LoginThrottle(
                new LoginProperties(5, 20, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(1), 10),
                clock);
        for (int i = 0; i < 5; i++) {
            small.failed("flood", "10.0.3.1");
        }
        assertThat(small.lockedFor("flood", "10.0.3.9")).isPresent();
        for (int i = 0; i < 100; i++) {
            small.failed("spray" + i, "10.0.4." + i);
        }
        // the oldest entries were dropped rather than growing without end
        assertThat(small.lockedFor("flood", "10.0.3.9")).isEmpty();
    }
}
