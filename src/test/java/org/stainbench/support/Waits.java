package org.stainbench.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobSummary;

/**
 * The tests' waits, all through Awaitility: a bounded wait with a name that the timeout message repeats, polled
 * often enough for the fast cases (50 ms, the first poll at once). Nothing in the tests sleeps for a fixed time.
 */
public final class Waits {

    private Waits() {}

    /** A wait for {@code what}, given up after {@code atMost}. */
    public static ConditionFactory upTo(Duration atMost, String what) {
        return Awaitility.await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50));
    }

    /**
     * "Nothing happens during this window": {@code condition} must stay true for the whole of {@code window}
     * (checked every 50 ms from the start); fails as soon as it turns false.
     */
    public static void holdsFor(Duration window, String what, Callable<Boolean> condition) {
        // failFast: the first poll that sees the condition false fails the test at once (during() alone would
        // restart its window and let a brief change pass unnoticed)
        Awaitility.await(what)
                .during(window)
                .atMost(window.plusSeconds(5))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .failFast(what + ": stopped holding", () -> !condition.call())
                .until(condition);
    }

    /** Waits until the job is in a final state (succeeded, failed or cancelled) and returns it. */
    public static JobSummary jobFinished(JobQueue jobs, long id, Duration atMost) {
        return upTo(atMost, "job " + id + " finishes")
                .until(() -> jobs.find(id).orElseThrow(), j -> j.state().isFinal());
    }
}
