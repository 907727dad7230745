package org.stainbench.jobs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Embedded job handlers used by the jobs tests (registered in every test context by component scan,
 * which keeps the number of distinct contexts down).
 */
@Component
class TestHandlers {

    /** Counts to params.n, reporting progress and logging each step; fails when params.fail is set. */
    @Component
    static class Count implements JobHandler {
        @Override
        public String type() {
            return "test-count";
        }

        @Override
        public void run(JobContext context) throws Exception {
            int n = Integer.parseInt(context.params().getOrDefault("n", "3"));
            for (int i = 1; i <= n; i++) {
                if (context.isCancelled()) {
                    return;
                }
                Thread.sleep(Long.parseLong(context.params().getOrDefault("sleepMs", "5")));
                context.log("step " + i + " of " + n);
                context.progress(i, n, "steps");
            }
            if (context.params().containsKey("fail")) {
                throw new IllegalStateException(context.params().get("fail"));
            }
        }
    }

    /** Work the platform queues by itself (like ingest): hidden from the jobs page by default. */
    @Component
    static class Automatic implements JobHandler {
        @Override
        public String type() {
            return "test-automatic";
        }

        @Override
        public boolean automatic() {
            return true;
        }

        @Override
        public void run(JobContext context) {
            context.log("done");
        }
    }

    /** Records every JobFinished event. */
    @Component
    static class Finished {
        final List<JobFinished> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(JobFinished event) {
            events.add(event);
        }
    }
}
