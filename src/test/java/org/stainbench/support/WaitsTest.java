package org.stainbench.support;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Waits#holdsFor} fails on a brief change instead of restarting its window. */
class WaitsTest {

    @Test
    void aConditionThatTurnsFalseOnceFailsAtOnce() {
        AtomicInteger polls = new AtomicInteger();
        assertThatThrownBy(() -> Waits.holdsFor(Duration.ofMillis(600), "blip", () -> polls.incrementAndGet() != 3))
                .hasMessageContaining("blip");
    }

    @Test
    void aConditionThatHoldsPasses() {
        Waits.holdsFor(Duration.ofMillis(200), "steady", () -> true);
    }
}
