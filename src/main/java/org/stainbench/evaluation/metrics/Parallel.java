package org.stainbench.evaluation.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The metrics' worker threads: one per available processor (or {@code -Dstainbench.metrics.threads=N}),
 * daemon threads, shared by all computations. Work is split so that results never depend on the number of
 * threads (each output element is computed by exactly one task in a fixed order).
 */
final class Parallel {

    private static final int THREADS = Math.max(
            1,
            Integer.getInteger(
                    "stainbench.metrics.threads", Runtime.getRuntime().availableProcessors()));

    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "stainbench-metrics");
        t.setDaemon(true);
        return t;
    });

    /** Task body: item index and worker slot (0 <= slot < workers), for per-worker scratch buffers. */
    interface Body {
        void run(int item, int slot);
    }

    private Parallel() {}

    static int threads() {
        return THREADS;
    }

    /** Runs body(i, slot) for every i in [0, items) on at most {@code workers} threads; items taken in order. */
    static void forEach(int items, int workers, Body body) {
        int w = Math.min(Math.min(workers, THREADS), items);
        if (w <= 1 || Thread.currentThread().getName().equals("stainbench-metrics")) {
            for (int i = 0; i < items; i++) {
                body.run(i, 0);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>(w);
        for (int s = 0; s < w; s++) {
            final int slot = s;
            futures.add(POOL.submit(() -> {
                for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) {
                    body.run(i, slot);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
