package org.stainbench.training;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stainbench.jobs.JobQueue;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.shell.Dependants;
import org.stainbench.shell.Names;
import org.stainbench.shell.Roles;
import org.stainbench.shell.Trash;

/**
 * The training module's door for tracked runs and experiments: reads (a run, its latest metrics, params and tags),
 * paged lists in SQL (the runs table, MLflow's searches), chart data reduced per pixel ({@link Downsample}), the
 * writes the run pages launch, and deleting and restoring (the run page, the admins' trash, MLflow's
 * {@code runs/delete} / {@code runs/restore}). Controllers of this module call this class, not {@link TrackingStore}.
 * <p>
 * Deletion is soft: the run keeps its rows and artifacts and is hidden from lists, search and
 * the dashboard; its registered epoch checkpoints are checkpoints of their own and stay. A run whose job launched
 * here is still queued or running cannot be deleted: cancel the job first.
 */
@Service
@Transactional
public class Runs {

    /** Longest experiment and run names (MLflow's limits), for the forms that name them. */
    static final int MAX_EXPERIMENT_NAME = TrackingStore.MAX_EXPERIMENT_NAME;

    static final int MAX_RUN_NAME = TrackingStore.MAX_RUN_NAME;

    private final TrackingStore store;
    private final JobQueue jobs;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final RunTable table;
    private final TrackingSearch search;
    private final DatasetClauses datasetClauses;

    Runs(
            TrackingStore store,
            JobQueue jobs,
            ApplicationEventPublisher events,
            Clock clock,
            RunTable table,
            TrackingSearch search,
            DatasetClauses datasetClauses) {
        this.store = store;
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
        this.table = table;
        this.search = search;
        this.datasetClauses = datasetClauses;
    }

    // ---- reads ----------------------------------------------------------------------------------

    @Transactional(readOnly = true)
    Optional<Tracking.RunInfo> run(String uuid) {
        return store.run(uuid);
    }

    /** The run with its params, tags and latest metrics (never its history). */
    @Transactional(readOnly = true)
    Tracking.Run full(Tracking.RunInfo info) {
        return store.full(info);
    }

    /** {@link #full} of a page of runs, in four queries. */
    @Transactional(readOnly = true)
    List<Tracking.Run> full(List<Tracking.RunInfo> infos) {
        return store.fullMany(infos);
    }

    @Transactional(readOnly = true)
    Optional<Tracking.Experiment> experiment(long id) {
        return store.experiment(id);
    }

    @Transactional(readOnly = true)
    List<Tracking.Experiment> activeExperiments() {
        return store.experiments(true);
    }

    @Transactional(readOnly = true)
    int activeRunCount(long experimentId) {
        return store.activeRuns(experimentId).size();
    }

    @Transactional(readOnly = true)
    Optional<TrackingStore.Deletion> deletion(Tracking.RunInfo run) {
        return store.deletion(run.id());
    }

    @Transactional(readOnly = true)
    List<String> metricKeys(Tracking.RunInfo run) {
        return store.metricKeys(run);
    }

    // ---- paged lists ------------------------------------------------------------------------------

    /** A page of the runs table ({@code /runs}): filtered, sorted and paged in SQL. */
    @Transactional(readOnly = true)
    RunTable.Page page(List<Long> experimentIds, RunTable.View view) {
        return table.page(experimentIds, view);
    }

    /** The param and metric keys the column chooser offers. */
    @Transactional(readOnly = true)
    java.util.Map<String, List<String>> columnKeys(List<Long> experimentIds) {
        return table.keys(experimentIds);
    }

    /** MLflow's {@code runs/search}: one page in SQL. */
    @Transactional(readOnly = true)
    TrackingSearch.Page<Tracking.Run> search(
            List<Long> experimentIds,
            String lifecycle,
            String filter,
            List<String> orderBy,
            int max,
            String pageToken,
            RunSearch.Budget budget) {
        return search.runs(experimentIds, lifecycle, filter, orderBy, max, pageToken, budget, null);
    }

    /** As above, limited to the runs whose uuid is in {@code allowedRunUuids} (null: no limit), e.g. a datasets.* clause. */
    @Transactional(readOnly = true)
    TrackingSearch.Page<Tracking.Run> search(
            List<Long> experimentIds,
            String lifecycle,
            String filter,
            List<String> orderBy,
            int max,
            String pageToken,
            RunSearch.Budget budget,
            Collection<String> allowedRunUuids) {
        return search.runs(experimentIds, lifecycle, filter, orderBy, max, pageToken, budget, allowedRunUuids);
    }

    /**
     * The {@code datasets.*} clauses of a {@code runs/search} filter, answered first: the rest of the filter and the
     * runs those clauses allow (for {@link #search}).
     */
    @Transactional(readOnly = true)
    DatasetClauses.Split datasetClauses(String filter, List<Long> experimentIds) {
        return datasetClauses.split(filter, experimentIds);
    }

    /** MLflow's {@code experiments/search}: one page in SQL. */
    @Transactional(readOnly = true)
    TrackingSearch.Page<Tracking.Experiment> searchExperiments(
            String stage, String filter, List<String> orderBy, int max, String pageToken) {
        return search.experiments(stage, filter, orderBy, max, pageToken);
    }

    /** MLflow's {@code metrics/get-history}: {@code max} points from the token's offset. */
    @Transactional(readOnly = true)
    TrackingSearch.Page<Tracking.Metric> history(Tracking.RunInfo run, String key, int max, String pageToken) {
        long offset = TrackingSearch.decodeToken(pageToken);
        if (max == 0) {
            return new TrackingSearch.Page<>(List.of(), null);
        }
        List<Tracking.Metric> points = store.metricHistory(run, key, offset, max + 1);
        boolean more = points.size() > max;
        return new TrackingSearch.Page<>(
                more ? points.subList(0, max) : points, more ? TrackingSearch.encodeToken(offset + max) : null);
    }

    // ---- charts ---------------------------------------------------------------------------------

    /** One curve of a chart: the points drawn, how many the range holds, and whether all of them are drawn. */
    record Curve(long[] steps, double[] values, long total, boolean exact) {}

    /**
     * The run's curves for a chart {@code width} pixels wide over steps [from, to] (null: all), each reduced to at
     * most {@code 2 × width} points ({@link Downsample}); with {@code after}, only the points with a larger step
     * (the live tail of a RUNNING run), exact.
     */
    @Transactional(readOnly = true)
    java.util.Map<String, Curve> curves(Tracking.RunInfo run, Long from, Long to, int width, Long after) {
        java.util.Map<String, Curve> out = new java.util.TreeMap<>();
        long lo = after != null ? after + 1 : from != null ? from : Long.MIN_VALUE / 4;
        long hi = to != null ? to : Long.MAX_VALUE / 4;
        for (String key : store.metricKeys(run)) {
            Downsample.Series all = store.series(run, key, lo, hi);
            if (after != null && all.size() > 2L * width) {
                // more new points than a chart draws: the client asks for the whole curve again
                out.put(key, new Curve(new long[0], new double[0], all.size(), false));
                continue;
            }
            Downsample.Series drawn = all.size() == 0 || after != null
                    ? all
                    : Downsample.reduce(
                            all,
                            from != null ? from : all.steps()[0],
                            to != null ? to : all.steps()[all.size() - 1],
                            width);
            out.put(key, new Curve(drawn.steps(), drawn.values(), all.size(), drawn.size() == all.size()));
        }
        return out;
    }

    /** The points of every curve of the run, for the compare view's seed groups (steps aligned across runs). */
    @Transactional(readOnly = true)
    java.util.Map<String, List<Tracking.Metric>> histories(Tracking.RunInfo run) {
        return store.allHistories(run);
    }

    /** The first and last point of the run's longest-running curve (for the steps-per-second estimate). */
    @Transactional(readOnly = true)
    Optional<Tracking.Metric[]> progressPoints(Tracking.RunInfo run) {
        return store.progressPoints(run);
    }

    // ---- MLflow's tracking API ({@link MlflowApi}, {@link MlflowExperimentUpdate}) ----------------------------

    /** The experiment, or MLflow's 404 {@code RESOURCE_DOES_NOT_EXIST}. */
    @Transactional(readOnly = true)
    Tracking.Experiment requireExperiment(long id) {
        return store.requireExperiment(id);
    }

    @Transactional(readOnly = true)
    Optional<Tracking.Experiment> experimentByName(String name) {
        return store.experimentByName(name);
    }

    /** The run, deleted or not, or MLflow's 404. */
    @Transactional(readOnly = true)
    Tracking.RunInfo requireRun(String uuid) {
        return store.requireRun(uuid);
    }

    /** The run if it is active; MLflow's 404 when missing, 400 when deleted. */
    @Transactional(readOnly = true)
    Tracking.RunInfo requireActiveRun(String uuid) {
        return store.requireActiveRun(uuid);
    }

    /** MLflow's {@code experiments/create}, recorded in the activity trail as {@code by}'s. */
    long createExperiment(String name, String artifactLocation, java.util.Map<String, String> tags, String by) {
        long id = store.createExperiment(name, artifactLocation, tags);
        events.publishEvent(Activity.of(
                by,
                "registered",
                ActivitySubject.EXPERIMENT,
                id,
                "Created experiment '" + name + "' (API)",
                "/runs?experiment=" + id));
        return id;
    }

    void setExperimentTag(long experimentId, String key, String value) {
        store.setExperimentTag(experimentId, key, value);
    }

    /**
     * MLflow's {@code experiments/update}: renames an active experiment; the new name follows the rules of
     * {@code experiments/create} (non-empty, at most 500 characters, no control or invisible characters, unique).
     * The same name again changes nothing.
     */
    void renameExperiment(long id, String name, String by) {
        Tracking.Experiment e = store.requireExperiment(id);
        if (name == null || name.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'new_name'.");
        }
        Names.check("The experiment name", name, MlflowException::invalid);
        TrackingStore.checkLength("experiment name", name, TrackingStore.MAX_EXPERIMENT_NAME);
        if (!e.lifecycleStage().equals("active")) {
            throw MlflowException.invalid("Cannot rename a non-active experiment (experiment " + id + " is deleted).");
        }
        if (name.equals(e.name())) {
            return;
        }
        if (store.experimentByName(name).isPresent()) {
            throw MlflowException.exists("Experiment '" + name + "' already exists.");
        }
        try {
            store.renameExperiment(id, name);
        } catch (DuplicateKeyException x) {
            throw MlflowException.exists("Experiment '" + name + "' already exists.");
        }
        events.publishEvent(Activity.of(
                by,
                "renamed",
                ActivitySubject.EXPERIMENT,
                id,
                "Renamed experiment '" + e.name() + "' to '" + name + "' (API)",
                "/runs?experiment=" + id));
    }

    /** MLflow's {@code runs/create}, recorded in the activity trail as {@code by}'s; the run with its data. */
    Tracking.Run createRun(
            long experimentId,
            String user,
            Long startTime,
            String runName,
            java.util.Map<String, String> tags,
            String by) {
        Tracking.RunInfo info = store.createRun(experimentId, user, startTime, runName, tags);
        events.publishEvent(Activity.of(
                by,
                "launched",
                ActivitySubject.RUN,
                info.uuid(),
                "Started run '" + info.name() + "' (API)",
                "/runs/" + info.uuid()));
        return store.full(info);
    }

    Tracking.RunInfo updateRun(String uuid, String status, Long endTime, String runName) {
        return store.updateRun(uuid, status, endTime, runName);
    }

    /** MLflow's {@code runs/log-batch} (and its single-value forms): metrics, params and tags of an active run. */
    void logBatch(
            String uuid,
            List<Tracking.Metric> metrics,
            java.util.Map<String, String> params,
            java.util.Map<String, String> tags) {
        store.logBatch(uuid, metrics, params, tags);
    }

    void deleteTag(String uuid, String key) {
        store.deleteTag(store.requireActiveRun(uuid), key);
    }

    // ---- role rules: the facade's, not the controllers' (issue 20) ---------------------------------

    /** A run's page: a deleted run opens for admins only (with its "deleted by … — restore" banner). */
    @Transactional(readOnly = true)
    Optional<Tracking.RunInfo> visibleRun(String uuid, org.springframework.security.core.Authentication auth) {
        return store.run(uuid).filter(r -> !r.lifecycleStage().equals("deleted") || Roles.has(auth, "ADMIN"));
    }

    /** Deleting a run or an experiment from the pages, the confirmation pages included, needs the member role. */
    void checkMayDelete(org.springframework.security.core.Authentication auth) {
        if (!Roles.has(auth, "MEMBER")) {
            throw new org.springframework.security.access.AccessDeniedException("Deleting needs the member role.");
        }
    }

    // ---- writes the run pages launch ------------------------------------------------------------

    /** The experiment of that name, created when missing. */
    long experimentNamed(String name) {
        return store.experimentByName(name)
                .map(Tracking.Experiment::id)
                .orElseGet(() -> store.createExperiment(name, null, java.util.Map.of()));
    }

    Tracking.RunInfo createRun(long experimentId, String user, String runName, java.util.Map<String, String> tags) {
        return store.createRun(experimentId, user, null, runName, tags);
    }

    void log(Tracking.RunInfo run, java.util.Map<String, String> params, java.util.Map<String, String> tags) {
        store.logBatch(run.uuid(), List.of(), params, tags);
    }

    /** Records in the activity trail that {@code by} launched the run's job (the training pages' launches). */
    void recordLaunch(Tracking.RunInfo run, String by, String summary) {
        events.publishEvent(
                Activity.of(by, "launched", ActivitySubject.RUN, run.uuid(), summary, "/runs/" + run.uuid()));
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
        return jobs.find(Long.parseLong(jobId))
                .filter(j -> !j.state().isFinal())
                .map(j -> List.of(new Dependants.Dependant(
                        "job",
                        "#" + j.id() + " (" + j.state().name().toLowerCase(java.util.Locale.ROOT) + ")",
                        "/jobs/" + j.id())))
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
            events.publishEvent(Activity.of(
                    by,
                    "deleted",
                    ActivitySubject.RUN,
                    run.uuid(),
                    "Deleted run '" + run.name() + "'",
                    "/runs/" + run.uuid()));
        }
    }

    void restore(Tracking.RunInfo run, String by) {
        if (store.markRestored(run)) {
            events.publishEvent(Activity.of(
                    by,
                    "restored",
                    ActivitySubject.RUN,
                    run.uuid(),
                    "Restored run '" + run.name() + "'",
                    "/runs/" + run.uuid()));
        }
    }

    // ---- experiments --------------------------------------------------------------------------

    /** What keeps the experiment from being deleted: the queued or running jobs of its live runs. */
    @Transactional(readOnly = true)
    List<Dependants.Dependant> dependantsOf(Tracking.Experiment experiment) {
        return store.activeRuns(experiment.id()).stream()
                .flatMap(r -> dependantsOf(r).stream())
                .toList();
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
            events.publishEvent(Activity.of(
                    by,
                    "deleted",
                    ActivitySubject.EXPERIMENT,
                    experiment.id(),
                    "Deleted experiment '" + experiment.name() + "' and its runs",
                    "/runs?experiment=" + experiment.id()));
        }
    }

    void restoreExperiment(Tracking.Experiment experiment, String by) {
        if (store.markExperimentRestored(experiment.id())) {
            events.publishEvent(Activity.of(
                    by,
                    "restored",
                    ActivitySubject.EXPERIMENT,
                    experiment.id(),
                    "Restored experiment '" + experiment.name() + "' and the runs deleted with it",
                    "/runs?experiment=" + experiment.id()));
        }
    }

    @Transactional(readOnly = true)
    List<Trash.Deleted> deletedExperiments() {
        return store.deletedExperiments().stream()
                .map(e -> new Trash.Deleted(
                        "experiment",
                        e.id(),
                        e.name(),
                        "/runs?experiment=" + e.id(),
                        e.deletion().by(),
                        e.deletion().at()))
                .toList();
    }

    void restoreExperiment(long id, String by) {
        Tracking.Experiment e = store.experiment(id)
                .filter(x -> x.lifecycleStage().equals("deleted"))
                .orElseThrow(() -> new IllegalArgumentException("No deleted experiment with id " + id + "."));
        restoreExperiment(e, by);
    }

    /** Deleted runs, newest first, as the admins' trash lists them. */
    @Transactional(readOnly = true)
    List<Trash.Deleted> deleted() {
        return store.deletedRuns().stream()
                .map(d -> new Trash.Deleted(
                        "run",
                        d.run().id(),
                        d.run().name() == null ? d.run().uuid() : d.run().name(),
                        "/runs/" + d.run().uuid(),
                        d.deletion().by(),
                        d.deletion().at()))
                .toList();
    }

    void restore(long id, String by) {
        Tracking.RunInfo run = store.runById(id)
                .filter(r -> r.lifecycleStage().equals("deleted"))
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
