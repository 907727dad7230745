package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.simple.JdbcClient;

/** 8 claimers race over 500 queued agent jobs through the real claim path; shared by the H2 and PostgreSQL tests. */
final class ClaimRace {

    static final int CLAIMERS = 8;
    static final int JOBS = 500;

    private ClaimRace() {}

    static void run(JobStore store, JdbcClient jdbc) throws Exception {
        run(List.of(store), jdbc);
    }

    /**
     * The same race with claimer {@code c} going through {@code stores.get(c % stores.size())}: stores on separate
     * connection pools stand for separate application instances on one database.
     */
    static void run(List<JobStore> stores, JdbcClient jdbc) throws Exception {
        JobStore store = stores.get(0);
        Instant now = Instant.now();
        // Resources nothing else in the test context asks for, so the claimers see only these jobs.
        Resources odd = new Resources(0, 0, 3, 1234, java.time.Duration.ofHours(1));
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < JOBS; i++) {
            ids.add(store.insert(
                    new JobRequest("command", "race " + i, Map.of(), "race", odd), Executor.AGENT, null, 3, now));
        }
        Map<Long, List<String>> winners = new ConcurrentHashMap<>();
        AtomicInteger conflicts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int c = 0; c < CLAIMERS; c++) {
            String holder = "claimer-" + c;
            JobStore mine = stores.get(c % stores.size());
            Random random = new Random(c);
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    while (true) {
                        // Exactly the memory/CPU shape of the race jobs: nothing else qualifies.
                        List<Long> candidates = mine.satisfiableIds(0, 0, 3, 1234, Instant.now(), 16).stream()
                                .filter(ids::contains)
                                .toList();
                        if (candidates.isEmpty()) {
                            return;
                        }
                        // Claimers pick among the oldest few at random, as agents do, so they collide often.
                        long id = candidates.get(random.nextInt(Math.min(4, candidates.size())));
                        var claim = mine.tryClaim(id, holder, Instant.now().plusSeconds(60), Instant.now());
                        if (claim.isPresent()) {
                            winners.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                    .add(holder);
                        } else {
                            conflicts.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(120_000);
        }
        assertThat(errors).isEmpty();
        assertThat(winners.keySet()).isEqualTo(ids);
        assertThat(winners.values()).allSatisfy(w -> assertThat(w).hasSize(1));
        // The database agrees: one attempt per job, every job assigned.
        String in =
                ids.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow();
        assertThat(jdbc.sql("select count(*) from job_attempt where job_id in (" + in + ")")
                        .query(Long.class)
                        .single())
                .isEqualTo(JOBS);
        assertThat(jdbc.sql("select count(*) from job where state = 'ASSIGNED' and attempt = 1 and id in (" + in + ")")
                        .query(Long.class)
                        .single())
                .isEqualTo(JOBS);
        // The race was real: claimers did collide on the same rows.
        assertThat(conflicts.get()).isPositive();
    }
}
