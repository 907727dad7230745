package org.stainbench.training;

import java.time.Clock;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.jobs.JobQueue;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
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
            events.publishEvent(Activity.of(by, "deleted", ActivitySubject.RUN, run.uuid(), "Deleted run '" + run.name() + "'",
                    "/runs/" + run.uuid()));
        }
    }

    void restore(Tracking.RunInfo run, String by) {
        if (store.markRestored(run)) {
            events.publishEvent(Activity.of(by, "restored", ActivitySubject.RUN, run.uuid(), "Restored run '" + run.name() + "'",
                    "/runs/" + run.uuid()));
        }
    }

    // ---- experiments --------------------------------------------------------------------------

    /** What keeps the experiment from being deleted: the queued or running jobs of its live runs. */
    @Transactional(readOnly = true)
    List<Dependants.Dependant> dependantsOf(Tracking.Experiment experiment) {
        return store.activeRuns(experiment.id()).stream().flatMap(r -> dependantsOf(r).stream()).toList();
    }

    /**
     * Deletes the experiment and its live runs (again: nothing happens).
     *
     * @throws IllegalArgumentException for the Default experiment, which MLflow clients log into
     * @throws Dependants.Blocked       while a job of one of its runs is queued or running
     */
    void deleteExperiment(Tracking.Experiment experiment, String by) {
        if (experiment.id() == 0) {
            throw new IllegalArgumentException("The Default experiment (id 0) cannot be deleted.");
        }
        List<Dependants.Dependant> blocking = dependantsOf(experiment);
        if (!blocking.isEmpty()) {
            throw new Dependants.Blocked("Experiment '" + experiment.name() + "'", blocking);
        }
        if (store.markExperimentDeleted(experiment.id(), by, clock.instant())) {
            events.publishEvent(Activity.of(by, "deleted", ActivitySubject.EXPERIMENT, experiment.id(), "Deleted experiment '"
                    + experiment.name() + "' and its runs", "/runs?experiment=" + experiment.id()));
        }
    }

    void restoreExperiment(Tracking.Experiment experiment, String by) {
        if (store.markExperimentRestored(experiment.id())) {
            events.publishEvent(Activity.of(by, "restored", ActivitySubject.EXPERIMENT, experiment.id(), "Restored experiment '"
                    + experiment.name() + "' and the runs deleted with it", "/runs?experiment=" + experiment.id()));
        }
    }

    @Transactional(readOnly = true)
    List<Trash.Deleted> deletedExperiments() {
        return store.deletedExperiments().stream().map(e -> new Trash.Deleted("experiment", e.id(), e.name(),
                "/runs?experiment=" + e.id(), e.deletion().by(), e.deletion().at())).toList();
    }

    void restoreExperiment(long id, String by) {
        Tracking.Experiment e = store.experiment(id).filter(x -> x.lifecycleStage().equals("deleted"))
                .orElseThrow(() -> new IllegalArgumentException("No deleted experiment with id " + id + "."));
        restoreExperiment(e, by);
    }

    /** Deleted runs, newest first, as the admins' trash lists them. */
    @Transactional(readOnly = true)
    List<Trash.Deleted> deleted() {
        return store.deletedRuns().stream().map(d -> new Trash.Deleted("run", d.run().id(),
                d.run().name() == null ? d.run().uuid() : d.run().name(), "/runs/" + d.run().uuid(), d.deletion().by(),
                d.deletion().at())).toList();
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

    /** Deleted experiments (with their runs) for the admins' trash. */
    @org.springframework.stereotype.Component
    static class ExperimentTrash implements Trash {

        private final Runs runs;

        ExperimentTrash(Runs runs) {
            this.runs = runs;
        }

        @Override
        public String kind() {
            return "experiment";
        }

        @Override
        public List<Deleted> deleted() {
            return runs.deletedExperiments();
        }

        @Override
        public void restore(long id, String by) {
            runs.restoreExperiment(id, by);
        }
    }
}
