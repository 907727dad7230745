package org.stainbench.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
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
    private final Path root;

    LoggedModelCheckpoints(
            @Lazy Checkpoints checkpoints,
            LoggedModelStore models,
            TrackingStore store,
            @Value("${stainbench.artifacts.root}") String artifactsRoot) {
        this.checkpoints = checkpoints;
        this.models = models;
        this.store = store;
        this.root = Path.of(artifactsRoot).toAbsolutePath().normalize().resolve("mlflow");
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
        Path weights = weights(m).orElse(null);
        String sha = null;
        Long size = null;
        if (weights != null) {
            try {
                sha = Sha256.of(weights);
                size = Files.size(weights);
            } catch (IOException e) {
                weights = null;
            }
        }
        String name = run.map(r -> r.name() + "-" + m.name()).orElse(m.name());
        var request = new Checkpoints.LoggedModelCheckpoint(
                m.modelId(),
                name,
                m.sourceRunId(),
                step,
                m.artifactLocation(),
                weights == null ? null : weights.getFileName().toString(),
                weights == null ? null : weights.toString(),
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

    /** The model's weights file in the artifact folder, if the artifacts are stored there. */
    Optional<Path> weights(LoggedModelStore.Model m) {
        Path folder = root.resolve(Long.toString(m.experimentId()))
                .resolve("models")
                .resolve(m.modelId())
                .resolve("artifacts")
                .normalize();
        if (!folder.startsWith(root) || !Files.isDirectory(folder)) {
            return Optional.empty();
        }
        Path pytorch = folder.resolve("data").resolve("model.pth");
        if (Files.isRegularFile(pytorch)) {
            return Optional.of(pytorch);
        }
        try (Stream<Path> files = Files.walk(folder, 4)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> WEIGHTS.stream().anyMatch(ext -> p.getFileName()
                            .toString()
                            .toLowerCase(Locale.ROOT)
                            .endsWith(ext)))
                    .min(Comparator.comparing(Path::toString));
        } catch (IOException e) {
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
