package org.stainbench.training;

import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.artifacts.StoredFiles;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.shell.Sha256;

/**
 * A logged model finalized READY is a Stainbench checkpoint (issue 19): this registers it with the checkpoints module
 * ({@link Checkpoints#registerLoggedModel}) once, with its source run, the step the run output it at as the epoch, the
 * metrics of that step, what its params say (base_model, embedding_flow, lora_rank, lora_alpha) and the weights file
 * found among its artifacts in the artifact folder ({@code <exp>/models/<model_id>/artifacts}: {@code data/model.pth}
 * as {@code mlflow.pytorch} writes it, else the first {@code .pth/.pt/.safetensors/.ckpt/.bin} file, else none).
 * A refusal of the checkpoints module is logged and leaves the model READY without a checkpoint: the client's
 * {@code log_model} must not fail for it.
 */
@Component
class LoggedModelCheckpoints {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LoggedModelCheckpoints.class);
    private static final List<String> WEIGHTS = List.of(".pth", ".pt", ".safetensors", ".ckpt", ".bin");

    private final Checkpoints checkpoints;
    private final LoggedModelStore models;
    private final TrackingStore store;
    private final ArtifactStore artifacts;

    LoggedModelCheckpoints(
            @Lazy Checkpoints checkpoints, LoggedModelStore models, TrackingStore store, ArtifactStore artifacts) {
        this.checkpoints = checkpoints;
        this.models = models;
        this.store = store;
        this.artifacts = artifacts;
    }

    /** A weights object of a logged model: its key, SHA-256 and size. */
    record Weights(String key, String sha256, long size) {
        String fileName() {
            return key.substring(key.lastIndexOf('/') + 1);
        }
    }

    /** Registers the checkpoint of a READY model and records its id with the model; empty when refused. */
    Optional<Checkpoint> register(LoggedModelStore.Model m, String by) {
        Optional<Tracking.RunInfo> run = Optional.ofNullable(m.sourceRunId()).flatMap(store::run);
        Integer step = run.flatMap(r -> models.outputStep(m, r.id()))
                .map(Long::intValue)
                .orElse(null);
        Map<String, String> params = new LinkedHashMap<>();
        run.map(store::full).ifPresent(r -> params.putAll(r.params()));
        params.putAll(m.params());
        String metrics = models.metrics(m, store).stream()
                .map(x -> x.key() + "="
                        + (Double.isNaN(x.value()) ? "NaN" : String.format(Locale.ROOT, "%.6g", x.value())))
                .collect(Collectors.joining(", "));
        Weights weights = weights(m).orElse(null);
        String sha = weights == null ? null : weights.sha256();
        Long size = weights == null ? null : weights.size();
        String name = run.map(r -> r.name() + "-" + m.name()).orElse(m.name());
        var request = new Checkpoints.LoggedModelCheckpoint(
                m.modelId(),
                name,
                m.sourceRunId(),
                step,
                m.artifactLocation(),
                weights == null ? null : weights.fileName(),
                weights == null ? null : StoredFiles.location(artifacts, weights.key()),
                sha,
                size,
                first(params, "base_model", "base_model_name", "model_name_or_path"),
                first(params, "embedding_flow", "flow"),
                integer(first(params, "lora_rank", "rank", "r")),
                number(first(params, "lora_alpha", "alpha")),
                metrics);
        try {
            Checkpoint c = checkpoints.registerLoggedModel(request, by);
            models.setCheckpoint(m, c.id());
            return Optional.of(c);
        } catch (IllegalArgumentException e) {
            LOG.warn("Logged model {} was not registered as a checkpoint: {}", m.modelId(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The model's weights among its artifacts on the artifact store ({@code mlflow/<exp>/models/<id>/artifacts/}):
     * {@code data/model.pth} (MLflow's PyTorch flavour), else the first file (by key) with a weights extension at most
     * four levels down; hashed as it is read. Empty when there is none or the store cannot be read.
     */
    Optional<Weights> weights(LoggedModelStore.Model m) {
        String prefix = "mlflow/" + m.experimentId() + "/models/" + m.modelId() + "/artifacts/";
        try {
            List<ArtifactStore.ArtifactObject> objects = artifacts.list(prefix);
            Optional<ArtifactStore.ArtifactObject> pick = objects.stream()
                    .filter(o -> o.key().equals(prefix + "data/model.pth"))
                    .findFirst()
                    .or(() -> objects.stream()
                            .filter(o -> o.key()
                                            .substring(prefix.length())
                                            .chars()
                                            .filter(c -> c == '/')
                                            .count()
                                    < 4)
                            .filter(o -> WEIGHTS.stream()
                                    .anyMatch(ext ->
                                            o.key().toLowerCase(Locale.ROOT).endsWith(ext)))
                            .min(Comparator.comparing(ArtifactStore.ArtifactObject::key)));
            if (pick.isEmpty()) {
                return Optional.empty();
            }
            String key = pick.get().key();
            java.security.MessageDigest sha = Sha256.digest();
            long size;
            try (InputStream in = new java.security.DigestInputStream(artifacts.get(key), sha)) {
                size = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return Optional.of(new Weights(key, Sha256.hex(sha), size));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String first(Map<String, String> params, String... keys) {
        for (String k : keys) {
            String v = params.get(k);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : (int) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double number(String s) {
        try {
            return s == null ? null : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
