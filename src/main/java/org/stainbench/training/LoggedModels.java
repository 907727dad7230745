package org.stainbench.training;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/**
 * The training module's door to MLflow 3's logged models and a run's inputs and outputs ({@link MlflowLoggedModels},
 * {@link MlflowInputs}, {@code runs/get}): who may read or write a model, the rules of creating, finalizing, tagging
 * and searching one, and logging what a run used and produced. A model finalized {@code LOGGED_MODEL_READY} becomes a
 * Stainbench checkpoint ({@link LoggedModelCheckpoints}). Run lookups go through {@link Runs}.
 * <p>
 * Access ({@link TrackingAccess}): a model with a source run is read and written as that run (so a job's token may log
 * the model of the run it holds); one without needs a member to write and a supervisor to read.
 */
@Service
class LoggedModels {

    private final LoggedModelStore models;
    private final RunInputStore inputs;
    private final TrackingStore runs;
    private final TrackingAccess access;
    private final LoggedModelCheckpoints checkpoints;
    private final RunInputsJson runIo;

    LoggedModels(
            LoggedModelStore models,
            RunInputStore inputs,
            TrackingStore runs,
            TrackingAccess access,
            LoggedModelCheckpoints checkpoints,
            RunInputsJson runIo) {
        this.models = models;
        this.inputs = inputs;
        this.runs = runs;
        this.access = access;
        this.checkpoints = checkpoints;
        this.runIo = runIo;
    }

    // ---- access ----------------------------------------------------------------------------------

    /** The model, if the caller may read it: as its source run, or (without one) a reader of all tracking data. */
    LoggedModelStore.Model readable(String modelId, Authentication auth) {
        var found = models.find(modelId);
        if (found.isPresent() && found.get().sourceRunId() != null) {
            access.read(auth, found.get().sourceRunId());
        } else {
            access.readAll(auth);
        }
        return models.require(modelId);
    }

    /** The model, if the caller may write it: as its source run, or (without one) a member. */
    LoggedModelStore.Model writable(String modelId, Authentication auth) {
        var found = models.find(modelId);
        if (found.isPresent() && found.get().sourceRunId() != null) {
            access.write(auth, found.get().sourceRunId());
        } else {
            access.manage(auth);
        }
        return models.require(modelId);
    }

    // ---- models ----------------------------------------------------------------------------------

    /** Where a new model may go: an active experiment, the one its source run (if any) is in. */
    void checkExperiment(Tracking.RunInfo run, long experimentId) {
        Tracking.Experiment exp = runs.requireExperiment(experimentId);
        if (!exp.lifecycleStage().equals("active")) {
            throw MlflowException.invalid("Experiment " + experimentId + " is deleted.");
        }
        if (run != null && run.experimentId() != experimentId) {
            throw MlflowException.invalid("The source run " + run.uuid() + " is in experiment " + run.experimentId()
                    + ", not in experiment " + experimentId + ".");
        }
    }

    /** {@code CreateLoggedModel}: a PENDING model ({@link #checkExperiment} first). */
    LoggedModelStore.Model create(
            long experimentId,
            String name,
            String modelType,
            String sourceRunId,
            String by,
            Map<String, String> params,
            Map<String, String> tags) {
        return models.create(experimentId, name, modelType, sourceRunId, by, params, tags);
    }

    /** {@code FinalizeLoggedModel}: READY makes the model a checkpoint (once); the model as it is now. */
    LoggedModelStore.Model finalizeModel(LoggedModelStore.Model m, String status, String message, String by) {
        models.finalize(m, status, message);
        LoggedModelStore.Model done = models.require(m.modelId());
        if (status.equals(LoggedModelStore.READY) && done.checkpointId() == null) {
            checkpoints.register(done, by);
            done = models.require(m.modelId());
        }
        return done;
    }

    /** {@code DeleteLoggedModel}: soft, like runs; its checkpoint stays. Members only. */
    void delete(String modelId, Authentication auth) {
        access.manage(auth);
        models.delete(models.require(modelId));
    }

    void setTags(LoggedModelStore.Model m, Map<String, String> tags) {
        tags.forEach((k, v) -> LoggedModelStore.checkKey("tag key", k));
        tags.forEach((k, v) -> models.setTag(m.pk(), k, v));
    }

    void deleteTag(LoggedModelStore.Model m, String key) {
        models.deleteTag(m, key);
    }

    void logParams(LoggedModelStore.Model m, Map<String, String> params) {
        params.forEach((k, v) -> {
            LoggedModelStore.checkKey("param key", k);
            TrackingStore.checkLength("value of param '" + k + "'", v, TrackingStore.MAX_PARAM_VALUE);
        });
        params.forEach((k, v) -> models.logParam(m.pk(), k, v));
    }

    /** The model's metrics: its source run's points at the step it output the model. */
    List<Tracking.Metric> metrics(LoggedModelStore.Model m) {
        return models.metrics(m, runs);
    }

    /**
     * {@code SearchLoggedModels}: the models of the experiments that match the filter, sorted, one page from the
     * token's offset; a next token only when more models follow.
     */
    TrackingSearch.Page<LoggedModelStore.Model> search(
            List<Long> experiments, String filter, List<LoggedModelSearch.Order> orders, int max, String pageToken) {
        var predicate = LoggedModelSearch.filter(filter);
        var order = LoggedModelSearch.order(orders);
        boolean metrics = LoggedModelSearch.needsMetrics(
                filter, orders.stream().map(LoggedModelSearch.Order::field).toList());
        List<LoggedModelSearch.Row> rows = models.ofExperiments(experiments).stream()
                .map(m -> new LoggedModelSearch.Row(m, metrics ? latest(m) : Map.of()))
                .filter(predicate)
                .sorted(order)
                .toList();
        int offset = decodeToken(pageToken);
        List<LoggedModelStore.Model> page = rows.stream()
                .skip(offset)
                .limit(max)
                .map(LoggedModelSearch.Row::model)
                .toList();
        return new TrackingSearch.Page<>(page, (long) offset + max < rows.size() ? encodeToken(offset + max) : null);
    }

    private Map<String, Double> latest(LoggedModelStore.Model m) {
        Map<String, Double> out = new LinkedHashMap<>();
        models.metrics(m, runs).forEach(x -> out.put(x.key(), x.value()));
        return out;
    }

    // ---- a run's inputs and outputs ---------------------------------------------------------------

    /** A model a run produced, at a step ({@code LogOutputs}). */
    record Output(LoggedModelStore.Model model, long step) {}

    /** A model the run produced at {@code step}: it must be in the run's experiment. */
    Output output(Tracking.RunInfo run, String modelId, long step) {
        LoggedModelStore.Model m = models.require(modelId);
        if (m.experimentId() != run.experimentId()) {
            throw MlflowException.invalid("Logged model " + m.modelId() + " is in experiment " + m.experimentId()
                    + ", the run in experiment " + run.experimentId() + ".");
        }
        return new Output(m, step);
    }

    /** {@code LogOutputs}: the run produced these models ({@link #output}). */
    void logOutputs(Tracking.RunInfo run, List<Output> outputs) {
        outputs.forEach(o -> models.logOutput(run, o.model(), o.step()));
    }

    /** A logged model a run used ({@code LogInputs}). */
    record Used(LoggedModelStore.Model model) {}

    /** A model a run used, for {@link #logInputs} (404 when there is none). */
    Used used(String modelId) {
        return new Used(models.require(modelId));
    }

    /** {@code LogInputs}: the datasets (with their input tags) and logged models the run used. */
    void logInputs(Tracking.RunInfo run, List<RunInputStore.DatasetInput> datasets, List<Used> used) {
        inputs.log(run, datasets);
        used.forEach(u -> inputs.logModelInput(run, u.model()));
    }

    /** Sets {@code inputs} and {@code outputs} of a run's JSON ({@code runs/get}). */
    ObjectNode decorate(ObjectNode run, Tracking.RunInfo info) {
        return runIo.decorate(run, info);
    }

    // ---- page tokens ------------------------------------------------------------------------------

    private static int decodeToken(String token) {
        if (token == null || token.isBlank()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            if (offset < 0) {
                throw new IllegalArgumentException();
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("Invalid page token.");
        }
    }

    private static String encodeToken(int offset) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Integer.toString(offset).getBytes(StandardCharsets.UTF_8));
    }
}
