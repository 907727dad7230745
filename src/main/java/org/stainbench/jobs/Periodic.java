package org.stainbench.jobs;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * A task run on one daemon thread with a fixed delay between rounds, for the lifecycle beans of this module (the
 * lease sweeper, the Slurm executor). A round that throws is logged and the next round runs as planned.
 */
final class Periodic {

    private final String threadName;
    private final Logger log;
    private volatile ScheduledExecutorService timer;

    Periodic(String threadName, Logger log) {
        this.threadName = threadName;
        this.log = log;
    }

    synchronized void start(Duration every, Runnable round) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        long ms = every.toMillis();
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        round.run();
                    } catch (RuntimeException e) {
                        log.warn("{} round failed: {}", threadName, e.toString());
                    }
                },
                ms,
                ms,
                TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    boolean isRunning() {
        return timer != null;
    }
}
