package org.stainbench.jobs;

import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Whether a node agent that could run some work is online now: for a launch form's warning before it queues GPU work
 * that no node can take, and for a run page whose job waits ("queued — no node online"), issue 18.
 */
@Component
public class NodeAvailability {

    private final JobViews views;
    private final JobStore store;

    NodeAvailability(JobViews views, JobStore store) {
        this.views = views;
        this.store = store;
    }

    /**
     * Empty when an online node agent could run work needing {@code resources} now; else why not, in one sentence
     * ("No node agent is online." or the resource no online node has).
     */
    public Optional<String> whyNoNode(Resources resources) {
        return views.noNodeFor(resources, "this work");
    }

    /**
     * How a queued job waits, in words, for a page that shows it beside something else (a run): "queued — no node
     * online" (or the resource no online node has), "queued — waiting for a free node"; empty when the job is not
     * queued or unknown.
     */
    public Optional<String> waiting(long jobId) {
        return store.find(jobId).filter(j -> j.state() == JobState.QUEUED).map(j -> {
            if (j.executor() != Executor.AGENT) {
                return "queued — waiting for " + j.executor().name().toLowerCase(java.util.Locale.ROOT);
            }
            return views.whyWaiting(j)
                    .map(w -> w.startsWith("No node agent is online")
                            ? "queued — no node online"
                            : "queued — " + lowerFirst(w.replaceAll("\\.$", "")))
                    .orElse("queued — waiting for a free node");
        });
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
