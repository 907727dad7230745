package org.stainbench.evaluation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.accounts.ApiPrincipal;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.evaluation.metrics.Features;
import org.stainbench.jobs.JobFinished;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobRequest;
import org.stainbench.jobs.JobState;
import org.stainbench.jobs.RunHolders;
import org.stainbench.shell.Sha256;
import org.stainbench.shell.TooLarge;
import org.stainbench.tiles.Npy;
import org.stainbench.tiles.NpyFormatException;
import org.stainbench.tiles.RgbTile;

/**
 * Feature extraction on a node agent (issue 21, item 3), with {@code stainbench.evaluation.features-on=node}: the
 * evaluation job sends the features the cache lacks to a command job ({@value #JOB_TYPE}) that a node agent runs as
 * the jar's {@code features --job} command. That command reads its work, the extractor's model and the tiles from
 * {@code /api/evaluations/feature-jobs/{job}/…} and uploads the features (an {@code .npy}, one float32 row per view in
 * the work's order) into the feature cache, authenticated with the job's own credential: only the credential of that
 * job's current attempt may call these endpoints (any other token or user: 403). When the job ends, the evaluation is
 * queued again and computes its metrics from the cache; a failed or cancelled node job fails the evaluation.
 */
@Service
class NodeFeatures {

    private static final Logger log = LoggerFactory.getLogger(NodeFeatures.class);

    static final String JOB_TYPE = "features";
    /** The evaluation job's parameter naming the node job whose features it continues from. */
    static final String FEATURES_JOB_PARAM = "featuresJob";
    /** What the agent runs: the jar's own features command, with the agent's java and jar, server and credential. */
    static final String COMMAND =
            "\"${STAINBENCH_JAVA:-java}\" -Xmx1g -jar \"${STAINBENCH_JAR:?the agent runs from no jar}\""
                    + " features --job \"$STAINBENCH_JOB_ID\"";

    private final EvaluationStore store;
    private final EvaluationJob evaluationJob;
    private final Extractors extractors;
    private final CatalogTiles tiles;
    private final RunHolders holders;
    private final JobQueue jobs;
    private final TransactionTemplate tx;
    private final EvaluationProperties props;
    private final java.time.Clock clock;

    NodeFeatures(
            EvaluationStore store,
            EvaluationJob evaluationJob,
            Extractors extractors,
            CatalogTiles tiles,
            RunHolders holders,
            @Lazy JobQueue jobs,
            TransactionTemplate tx,
            EvaluationProperties props,
            java.time.Clock clock) {
        this.clock = clock;
        this.store = store;
        this.evaluationJob = evaluationJob;
        this.extractors = extractors;
        this.tiles = tiles;
        this.holders = holders;
        this.jobs = jobs;
        this.tx = tx;
        this.props = props;
    }

    /** Refused: the caller is not the credential of this features job's current attempt. */
    static final class NotThisJob extends RuntimeException {
        NotThisJob(String message) {
            super(message);
        }
    }

    /** The job's evaluation and the node running it; {@link NotThisJob} for any caller but the job's credential. */
    record Caller(long jobId, long evaluationId, String node) {}

    Caller authorise(Object principal, long jobId) {
        if (!(principal instanceof ApiPrincipal p)) {
            throw new NotThisJob("Only the credential of features job " + jobId + " may call this.");
        }
        RunHolders.HeldJob held = holders.jobOf(p)
                .filter(h -> h.jobId() == jobId && JOB_TYPE.equals(h.type()))
                .orElseThrow(() -> new NotThisJob(
                        "Only the credential of features job " + jobId + "'s current attempt may call this."));
        long evaluation = store.evaluationOfFeaturesJob(jobId)
                .orElseThrow(() -> new NotThisJob("Job " + jobId + " computes no evaluation's features."));
        return new Caller(jobId, evaluation, held.holder());
    }

    /** The work of the job: its tiles and their views, the extractor, and a hash the upload must repeat. */
    Map<String, Object> work(Caller c) {
        Evaluation ev = evaluation(c);
        Extractor e = extractor(ev);
        List<EvaluationJob.WorkTile> work = evaluationJob.work(ev);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job", c.jobId());
        out.put("evaluation", ev.id());
        out.put("work", hash(work));
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("name", e.name());
        x.put("sha256", e.sha256());
        x.put("input_height", e.inputHeight());
        x.put("input_width", e.inputWidth());
        x.put("filter", e.filter().name());
        x.put("scale", Double.toString(e.scale()));
        x.put("offset", Double.toString(e.offset()));
        x.put(
                "mean",
                e.mean() == null
                        ? null
                        : java.util.Arrays.stream(e.mean())
                                .mapToObj(Double::toString)
                                .toList());
        x.put(
                "std",
                e.std() == null
                        ? null
                        : java.util.Arrays.stream(e.std())
                                .mapToObj(Double::toString)
                                .toList());
        x.put("output_dim", e.outputDim());
        out.put("extractor", x);
        List<Map<String, Object>> items = new ArrayList<>();
        long views = 0;
        for (EvaluationJob.WorkTile w : work) {
            items.add(Map.<String, Object>of(
                    "tile", w.tileId(), "height", w.height(), "width", w.width(), "views", w.views()));
            views += w.views().size();
        }
        out.put("tiles", items);
        out.put("views", views);
        return out;
    }

    /** The extractor's ONNX file. */
    java.nio.file.Path model(Caller c) throws java.io.IOException {
        return extractors.modelFile(extractor(evaluation(c)));
    }

    /** The work's tiles, 8-bit RGB (height x width x 3 bytes each), one after another in the work's order. */
    void tiles(Caller c, OutputStream out) throws IOException {
        for (EvaluationJob.WorkTile w : evaluationJob.work(evaluation(c))) {
            RgbTile t = tiles.read(w.archiveId(), w.index());
            if (t.height() != w.height() || t.width() != w.width()) {
                throw new IllegalStateException("Tile " + w.tileId() + " changed size.");
            }
            out.write(t.rgb());
        }
        out.flush();
    }

    /**
     * Stores a node's features: an .npy of one float32 row per view of the work, in order, for the work whose hash
     * is {@code work} (another hash: 409, the work changed). Its size is checked before it is read: exactly the
     * work's rows × the extractor's output size, and at most {@code stainbench.evaluation.features-upload-max-bytes}.
     * Non-finite values or a wrong shape refuse the whole file (400) and store nothing.
     */
    int upload(Caller c, String work, String provider, long declaredLength, InputStream body) {
        Evaluation ev = evaluation(c);
        Extractor e = extractor(ev);
        List<EvaluationJob.WorkTile> items = evaluationJob.work(ev);
        if (!hash(items).equals(work)) {
            throw new WorkChanged("The evaluation's work changed since it was read (another job filled the cache, or "
                    + "tiles came); nothing was stored.");
        }
        if (!"CPU".equals(provider) && !"CUDA".equals(provider)) {
            throw new IllegalArgumentException("provider must be CPU or CUDA.");
        }
        long rows = items.stream().mapToLong(w -> w.views().size()).sum();
        long limit = props.featuresUploadMaxBytes().toBytes();
        long payload = rows * e.outputDim() * 4L;
        if (payload > limit || declaredLength > limit) {
            throw new TooLarge("Features upload", limit, "stainbench.evaluation.features-upload-max-bytes");
        }
        Npy.Matrix m;
        try {
            // the header is at most a few hundred bytes: anything longer than that and the payload is refused unread
            m = Npy.readMatrix(TooLarge.limit(
                    body, payload + 4096, "Features upload", "stainbench.evaluation.features-upload-max-bytes"));
        } catch (NpyFormatException x) {
            throw new IllegalArgumentException("The features file is not a usable .npy: " + x.getMessage() + ".");
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
        if (m.rows() != rows || m.cols() != e.outputDim()) {
            throw new IllegalArgumentException("The features are " + m.rows() + " x " + m.cols() + "; the work needs "
                    + rows + " x " + e.outputDim() + ".");
        }
        Features.of("features from node " + c.node(), m.rows(), m.cols(), m.data());
        Map<String, Map<Long, float[]>> byView = new LinkedHashMap<>();
        int r = 0;
        for (EvaluationJob.WorkTile w : items) {
            for (String view : w.views()) {
                float[] v = new float[m.cols()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = (float) m.get(r, k);
                }
                byView.computeIfAbsent(view, k -> new LinkedHashMap<>()).put(w.tileId(), v);
                r++;
            }
        }
        String where = "node " + c.node() + " (" + provider + ")";
        tx.executeWithoutResult(s -> {
            byView.forEach((view, vectors) -> store.putFeatures(e.id(), view, vectors, "NODE"));
            store.setFeaturesWhere(ev.id(), where);
        });
        log.info(
                "Features job {}: {} feature rows of evaluation {} stored, computed on {}",
                c.jobId(),
                rows,
                ev.id(),
                where);
        return (int) rows;
    }

    /** The work hash the upload must repeat: tiles and views in order, and the extractor. */
    static String hash(List<EvaluationJob.WorkTile> work) {
        StringBuilder b = new StringBuilder();
        for (EvaluationJob.WorkTile w : work) {
            b.append(w.tileId()).append(':').append(String.join(",", w.views())).append(';');
        }
        return Sha256.of(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    static final class WorkChanged extends RuntimeException {
        WorkChanged(String message) {
            super(message);
        }
    }

    /** A features job ended: the evaluation continues from the cache, or fails with the job. */
    @EventListener
    void finished(JobFinished f) {
        if (!JOB_TYPE.equals(f.type())) {
            return;
        }
        Optional<Long> id = store.evaluationOfFeaturesJob(f.jobId());
        if (id.isEmpty()) {
            return;
        }
        Optional<Evaluation> ev = store.findEvaluation(id.get());
        if (ev.isEmpty() || !"RUNNING".equals(ev.get().status())) {
            return;
        }
        if (f.state() == JobState.SUCCEEDED) {
            long job = jobs.submit(JobRequest.embedded(
                    EvaluationJob.TYPE,
                    "Evaluate " + ev.get().name() + " (features from job " + f.jobId() + ")",
                    Map.of("evaluationId", Long.toString(id.get()), FEATURES_JOB_PARAM, Long.toString(f.jobId())),
                    ev.get().createdBy()));
            store.setJob(id.get(), job);
        } else {
            store.setFeaturesWhere(
                    id.get(), "node job " + f.jobId() + " " + f.state().name().toLowerCase(java.util.Locale.ROOT));
            store.setStatus(
                    id.get(),
                    "FAILED",
                    "Feature extraction on the node failed (job " + f.jobId() + ", "
                            + f.state().name().toLowerCase(java.util.Locale.ROOT)
                            + (f.error() == null ? "" : ": " + f.error()) + ").",
                    clock.instant());
        }
    }

    private Evaluation evaluation(Caller c) {
        return store.findEvaluation(c.evaluationId()).orElseThrow(() -> new NotThisJob("The evaluation is gone."));
    }

    private Extractor extractor(Evaluation ev) {
        return extractors.find(ev.extractorId()).orElseThrow(() -> new IllegalStateException("The extractor is gone."));
    }
}
