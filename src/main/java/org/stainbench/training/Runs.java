package org.stainbench.training;

import java.time.Clock;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.jobs.JobQueue;
import org.stainbench.shell.Activity;
import org.stainbench.shell.Dependants;
import org.stainbench.shell.Trash;

/**
 * Deleting and restoring tracked runs, from the run page, the admins' trash and MLflow's {@code runs/delete} /
 * {@code runs/restore}. Deletion is soft: the run keeps its rows and artifacts and is hidden from lists, search and
 * the dashboard; its registered epoch checkpoints are checkpoints of their own and stay. A run whose job launched
 * here is still queued or running cannot be deleted: cancel the job first.
 */
@Service
@Transactional
public class Runs {

    private final TrackingStore store;
    private final JobQueue jobs;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Runs(TrackingStore store, JobQueue jobs, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
    }

    /** Whether the run exists and is deleted (for other modules' pages that link runs). */
    @Transactional(readOnly = true)
    public boolean isDeleted(String uuid) {
        return store.run(uuid).map(r -> r.lifecycleStage().equals("deleted")).orElse(false);
    }

    /** What keeps the run from being deleted: its job, while that is queued or running. */
    @Transactional(readOnly = true)
    List<Dependants.Dependant> dependantsOf(Tracking.RunInfo run) {
        String jobId = store.full(run).tags().get("stainbench.job_id");
        if (jobId == null || !jobId.matches("\\d+")) {
            return List.of();
        }
        return jobs.find(Long.parseLong(jobId)).filter(j -> !j.state().isFinal())
                .map(j -> List.of(new Dependants.Dependant("job", "#" + j.id() + " (" + j.state().name().toLowerCase(java.util.Locale.ROOT)
                        + ")", "/jobs/" + j.id())))
                .orElse(List.of());
    }

    /**
     * Deletes the run (again: nothing happens).
     *
     * @throws Dependants.Blocked while its job is queued or running
     */
    void delete(Tracking.RunInfo run, String by) {
        List<Dependants.Dependant> blocking = dependantsOf(run);
        if (!blocking.isEmpty()) {
            throw new Dependants.Blocked("Run '" + run.name() + "'", blocking);
        }
        if (store.markDeleted(run, by, clock.instant())) {
            events.publishEvent(Activity.of(by, "deleted", "run", run.uuid(), "Deleted run '" + run.name() + "'",
                    "/runs/" + run.uuid()));
        }
    }

    void restore(Tracking.RunInfo run, String by) {
        if (store.markRestored(run)) {
            events.publishEvent(Activity.of(by, "restored", "run", run.uuid(), "Restored run '" + run.name() + "'",
                    "/runs/" + run.uuid()));
        }
    }

    /** Deleted runs, newest first, as the admins' trash lists them. */
    @Transactional(readOnly = true)
    List<Trash.Deleted> deleted() {
        return store.deletedRuns().stream().map(r -> {
            var d = store.deletion(r.id()).orElse(new TrackingStore.Deletion(null, null));
            return new Trash.Deleted("run", r.id(), r.name() == null ? r.uuid() : r.name(), "/runs/" + r.uuid(), d.by(),
                    d.at());
        }).toList();
    }

    void restore(long id, String by) {
        Tracking.RunInfo run = store.runById(id).filter(r -> r.lifecycleStage().equals("deleted"))
                .orElseThrow(() -> new IllegalArgumentException("No deleted run with id " + id + "."));
        restore(run, by);
    }

    /** Deleted runs for the admins' trash ({@code /admin/deleted}). */
    @org.springframework.stereotype.Component
    static class RunTrash implements Trash {

        private final Runs runs;

        RunTrash(Runs runs) {
            this.runs = runs;
        }

        @Override
        public String kind() {
            return "run";
        }

        @Override
        public List<Deleted> deleted() {
            return runs.deleted();
        }

        @Override
        public void restore(long id, String by) {
            runs.restore(id, by);
        }
    }
}
