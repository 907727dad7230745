package org.stainbench.checkpoints;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.artifacts.StoredFiles;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobRequest;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.shell.Dependants;
import org.stainbench.shell.Names;
import org.stainbench.shell.Roles;
import org.stainbench.shell.ServerPaths;
import org.stainbench.shell.Sha256;
import org.stainbench.tiles.ColourMap;
import org.stainbench.tiles.Npy;
import org.stainbench.tiles.QualityMeasures;
import org.stainbench.tiles.TileArrays;

/**
 * Checkpoint and generated-set rules in one place. Every rule violation is an {@link IllegalArgumentException}
 * whose message is shown as is; a refused registration keeps nothing.
 */
@Service
public class Checkpoints {

    static final String BASELINE_JOB = "baseline-generate";
    static final String QUALITY_JOB = "tile-quality";
    public static final Set<String> FLOWS = Set.of("mist_pr", "mist_er", "none");
    static final GeneratedSetStatus GENERATING = GeneratedSetStatus.GENERATING;
    static final GeneratedSetStatus READY = GeneratedSetStatus.READY;
    static final GeneratedSetStatus FAILED = GeneratedSetStatus.FAILED;

    private final CheckpointStore store;
    private final Catalog catalog;
    private final JobQueue jobs;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Path adapters;
    private final ArtifactStore artifacts;
    private final ObjectProvider<Dependants> dependants;
    private final TransactionTemplate tx;

    Checkpoints(
            CheckpointStore store,
            Catalog catalog,
            JobQueue jobs,
            ApplicationEventPublisher events,
            Clock clock,
            @Value("${stainbench.artifacts.root}") Path artifacts,
            ArtifactStore artifactStore,
            ObjectProvider<Dependants> dependants,
            TransactionTemplate tx) {
        this.artifacts = artifactStore;
        this.dependants = dependants;
        this.tx = tx;
        this.store = store;
        this.catalog = catalog;
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
        this.adapters = artifacts.resolve("checkpoints").toAbsolutePath().normalize();
    }

    /** What a person (or the training module) says about a model checkpoint. */
    public record NewCheckpoint(
            String name,
            String baseModel,
            String embeddingFlow,
            Integer loraRank,
            Double loraAlpha,
            String targetModules,
            String runUuid,
            Integer epoch,
            Long trainedOnDatasetId,
            String notes,
            String tags) {}

    // reading

    /** A checkpoint that is not deleted (deleted ones are hidden from every other module). */
    public Optional<Checkpoint> find(long id) {
        return store.find(id).filter(c -> !c.deleted());
    }

    /** A live checkpoint, or 404. */
    Checkpoint require(long id) {
        return find(id).orElseThrow(() -> new NotFound("No checkpoint with id " + id + "."));
    }

    Optional<Checkpoint> findEvenDeleted(long id) {
        return store.find(id);
    }

    // soft delete

    /** Live things that use the checkpoint, from every module that holds references to checkpoints. */
    public List<Dependants.Dependant> dependantsOf(long checkpointId) {
        List<Dependants.Dependant> out = new ArrayList<>();
        dependants.orderedStream().forEach(d -> out.addAll(d.dependantsOf(Dependants.CHECKPOINT, checkpointId)));
        return out;
    }

    /**
     * Soft-deletes a checkpoint and hides its generated sets with it (their catalog datasets are deleted at the same
     * instant, so a restore brings exactly those back). Its adapter file stays. Refused with
     * {@link Dependants.Blocked}, changing nothing, while live things (evaluations, review sessions…) use it.
     */
    public void delete(long id, String by) {
        tx.executeWithoutResult(st -> {
            Checkpoint c = require(id);
            List<Dependants.Dependant> using = dependantsOf(id);
            if (!using.isEmpty()) {
                throw new Dependants.Blocked("Checkpoint '" + c.name() + "'", using);
            }
            java.time.Instant at = clock.instant();
            if (!store.softDelete(id, by, at)) {
                throw new IllegalArgumentException("Checkpoint '" + c.name() + "' is already deleted.");
            }
            catalog.deleteOwnedDatasets(
                    store.setsOf(id).stream().map(GeneratedSet::datasetId).toList(), by, at);
            events.publishEvent(Activity.of(
                    by, "deleted", ActivitySubject.CHECKPOINT, id, "Deleted checkpoint '" + c.name() + "'", c.href()));
        });
    }

    /** Restores a deleted checkpoint and the generated sets that were hidden with it. */
    public void restore(long id, String by) {
        tx.executeWithoutResult(st -> {
            Checkpoint c = store.find(id).orElseThrow(() -> new NotFound("No checkpoint with id " + id + "."));
            if (!store.restore(id)) {
                throw new IllegalArgumentException("Checkpoint '" + c.name() + "' is not deleted.");
            }
            catalog.restoreOwnedDatasets(
                    store.setsOf(id).stream().map(GeneratedSet::datasetId).toList(), c.deletedAt());
            events.publishEvent(Activity.of(
                    by,
                    "restored",
                    ActivitySubject.CHECKPOINT,
                    id,
                    "Restored checkpoint '" + c.name() + "' (deleted by " + c.deletedBy() + ")",
                    c.href()));
        });
    }

    List<Checkpoint> deleted() {
        return store.deleted();
    }

    /** For the checkpoints module's {@link Dependants}: what of this module uses the dataset. */
    List<Dependants.Dependant> usingDataset(long datasetId) {
        List<Dependants.Dependant> out = new ArrayList<>();
        for (Checkpoint c : store.trainedOn(datasetId)) {
            out.add(new Dependants.Dependant("checkpoint", c.name() + " (trained on it)", c.href()));
        }
        String id = Long.toString(datasetId);
        for (Checkpoint c : store.liveBaselines()) {
            if (id.equals(params(c).get("target"))) {
                out.add(new Dependants.Dependant("checkpoint", c.name() + " (its colour target)", c.href()));
            }
        }
        for (GeneratedSet g : store.liveSetsUsing(datasetId)) {
            String ck = store.find(g.checkpointId()).map(Checkpoint::name).orElse("checkpoint " + g.checkpointId());
            out.add(new Dependants.Dependant(
                    "generated set",
                    ck + (g.datasetId() == datasetId ? " (its generated tiles are this dataset)" : " applied to it"),
                    "/checkpoints/" + g.checkpointId()));
        }
        return out;
    }

    /** One page of the checkpoint list, newest first (what a user looks for first is what was just made). */
    public List<Checkpoint> newestFirst(int offset, int limit) {
        return store.listNewestFirst(offset, limit);
    }

    public List<Checkpoint> list(int offset, int limit) {
        return store.list(offset, limit);
    }

    public List<Checkpoint> all() {
        return store.list(0, Integer.MAX_VALUE);
    }

    public long count() {
        return store.count();
    }

    public List<GeneratedSet> sets(long checkpointId) {
        return store.setsOf(checkpointId);
    }

    public List<GeneratedSet> setsOnSource(long sourceDatasetId) {
        return store.setsOnSource(sourceDatasetId);
    }

    public List<GeneratedSet> allSets() {
        return store.allSets();
    }

    /** A generated set of a live checkpoint. */
    public Optional<GeneratedSet> set(long setId) {
        return store.findSet(setId).filter(g -> find(g.checkpointId()).isPresent());
    }

    public List<GeneratedArchive> archives(long setId) {
        return store.archivesOf(setId);
    }

    /** The generated archives of several sets in one query. */
    public List<GeneratedArchive> archivesOfSets(Collection<Long> setIds) {
        return store.archivesOfSets(setIds);
    }

    /** Quality measures of the given tiles of a generated archive (tiles not yet measured are absent). */
    public Map<Integer, QualityMeasures> quality(long archiveId, Collection<Integer> indices) {
        return store.quality(archiveId, indices);
    }

    /** Quality measures of the given indices of several generated archives at once: archive → index → measures. */
    public Map<Long, Map<Integer, QualityMeasures>> quality(Collection<Long> archiveIds, Collection<Integer> indices) {
        return store.quality(archiveIds, indices);
    }

    public long measuredTiles(long archiveId) {
        return store.countQuality(archiveId);
    }

    // registering model checkpoints

    /**
     * Registers a model checkpoint with its adapter: streamed {@code upload} (with its file name), or a file on
     * the server under the allowed roots ({@code serverPath}); both hashed with SHA-256. Neither: no adapter.
     */
    public Checkpoint register(NewCheckpoint f, String uploadName, InputStream upload, String serverPath, String by) {
        String name = checkName(f.name());
        String flow = f.embeddingFlow() == null || f.embeddingFlow().isBlank()
                ? "none"
                : f.embeddingFlow().trim().toLowerCase(Locale.ROOT);
        if (!FLOWS.contains(flow)) {
            throw new IllegalArgumentException(
                    "The embedding flow is one of mist_pr, mist_er or none, not '" + f.embeddingFlow() + "'.");
        }
        if (f.loraRank() != null && (f.loraRank() < 1 || f.loraRank() > 4096)) {
            throw new IllegalArgumentException("The LoRA rank is between 1 and 4096.");
        }
        if (f.loraAlpha() != null && !(f.loraAlpha() > 0)) {
            throw new IllegalArgumentException("The LoRA alpha is a positive number.");
        }
        if (f.epoch() != null && f.epoch() < 0) {
            throw new IllegalArgumentException("An epoch is a number ≥ 0.");
        }
        String run = blankToNull(f.runUuid());
        if (run != null && !run.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("A training run id has 1–64 letters, digits or '-'.");
        }
        if (f.trainedOnDatasetId() != null) {
            catalog.requireReal(f.trainedOnDatasetId(), "the training data");
        }
        boolean hasUpload = upload != null && uploadName != null && !uploadName.isBlank();
        boolean hasPath = serverPath != null && !serverPath.isBlank();
        if (hasUpload && hasPath) {
            throw new IllegalArgumentException("Give the adapter either as an upload or as a server path, not both.");
        }
        String fileName = null;
        String sha = null;
        Long size = null;
        String source = null;
        String stored = null;
        String newKey = null;
        if (hasUpload) {
            fileName = cleanName(uploadName);
            Received r = receive(upload);
            if (r.size() == 0) {
                deleteQuietly(r.file());
                throw new IllegalArgumentException("The adapter file '" + fileName + "' is empty.");
            }
            sha = r.sha256();
            size = r.size();
            source = "UPLOAD";
            String key = adapterKey(sha, fileName);
            newKey = existsQuietly(key) ? null : key;
            stored = keep(r, key);
        } else if (hasPath) {
            Path p = allowed(serverPath.trim(), false);
            fileName = p.getFileName().toString();
            try {
                sha = Sha256.of(p);
                size = Files.size(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            source = "PATH";
            stored = p.toString();
        }
        Checkpoint c = new Checkpoint(
                0,
                name,
                CheckpointKind.MODEL,
                blankToNull(f.baseModel()),
                flow,
                fileName,
                sha,
                size,
                source,
                stored,
                f.loraRank(),
                f.loraAlpha(),
                blankToNull(f.targetModules()),
                run,
                f.epoch(),
                f.trainedOnDatasetId(),
                null,
                blankToNull(f.notes()),
                tags(f.tags()),
                by,
                clock.instant(),
                null,
                null);
        try {
            return insertRegistered(c, by, "Registered checkpoint '" + name + "'");
        } catch (RuntimeException e) {
            if (newKey != null) { // no row refers to the object this upload wrote: it goes too
                StoredFiles.deleteQuietly(artifacts, newKey);
            }
            throw e;
        }
    }

    /**
     * For the training module: records "epoch {@code epoch} of run {@code runUuid}" with its adapter file on
     * the server (under the allowed roots, or null), named {@code <runName>-epoch<k>}. Idempotent: the same
     * run and epoch give back the checkpoint registered first.
     */
    public Checkpoint registerEpoch(
            String runUuid,
            String runName,
            int epoch,
            String baseModel,
            String embeddingFlow,
            String adapterPath,
            String by) {
        Optional<Checkpoint> existing = store.findByRunEpoch(runUuid, epoch);
        if (existing.isPresent()) {
            return existing.get();
        }
        String name = (runName == null || runName.isBlank() ? runUuid : runName.trim()) + "-epoch" + epoch;
        return register(
                new NewCheckpoint(
                        name, baseModel, embeddingFlow, null, null, null, runUuid, epoch, null, null, "epoch"),
                null,
                null,
                adapterPath,
                by);
    }

    /**
     * For the training module: epoch {@code epoch} of a CPU colour-map run ({@link ColourMap#toText()}), named
     * {@code <runName>-epoch<k>}, applied on the CPU like a baseline. Idempotent per run and epoch.
     */
    public Checkpoint registerColourMapEpoch(
            String runUuid, String runName, int epoch, ColourMap map, Long trainedOnDatasetId, String by) {
        Optional<Checkpoint> existing = store.findByRunEpoch(runUuid, epoch);
        if (existing.isPresent()) {
            return existing.get();
        }
        String name = checkName((runName == null || runName.isBlank() ? runUuid : runName.trim()) + "-epoch" + epoch);
        Checkpoint c = withoutAdapter(
                name,
                CheckpointKind.COLOUR_MAP,
                "colour map (CPU)",
                runUuid,
                epoch,
                trainedOnDatasetId,
                map.toText(),
                null,
                "epoch",
                by);
        return insertRegistered(c, by, "Registered checkpoint '" + name + "'");
    }

    /**
     * What the training module knows of an MLflow 3 logged model that its client finalized READY: the model's id,
     * name and artifact URI, the run and step that produced it, the weights file found among its artifacts (all four
     * null when none was found), what its params say of the model (null when unknown) and a line of its metrics.
     */
    public record LoggedModelCheckpoint(
            String modelId,
            String name,
            String runUuid,
            Integer step,
            String artifactUri,
            String weightsFileName,
            String weightsPath,
            String weightsSha256,
            Long weightsSize,
            String baseModel,
            String embeddingFlow,
            Integer loraRank,
            Double loraAlpha,
            String metrics) {}

    /**
     * For the training module: an MLflow logged model finalized READY becomes a model checkpoint (kind MODEL, adapter
     * source {@code MLFLOW}), with its run, its step as the epoch and its metrics in the notes, so it is generated
     * from, evaluated and reviewed like any other. Named after the model, made unique with " (2)", " (3)", …
     * The caller keeps the returned id with the logged model: this method does not look for an earlier one.
     */
    public Checkpoint registerLoggedModel(LoggedModelCheckpoint m, String by) {
        String base =
                (m.name() == null || m.name().isBlank() ? m.modelId() : m.name().trim());
        base = base.length() > 180 ? base.substring(0, 180) : base;
        String name = freeName(base);
        name = checkName(name);
        String flow =
                m.embeddingFlow() == null ? "none" : m.embeddingFlow().trim().toLowerCase(Locale.ROOT);
        if (!FLOWS.contains(flow)) {
            flow = "none";
        }
        Integer rank = m.loraRank() != null && m.loraRank() >= 1 && m.loraRank() <= 4096 ? m.loraRank() : null;
        Double alpha = m.loraAlpha() != null && m.loraAlpha() > 0 ? m.loraAlpha() : null;
        Integer epoch = m.step() != null && m.step() >= 0 ? m.step() : null;
        String notes = "MLflow logged model " + m.modelId() + " (" + m.artifactUri() + ")"
                + (epoch == null ? "" : ", step " + epoch)
                + (m.metrics() == null || m.metrics().isBlank() ? "" : ". Metrics: " + m.metrics());
        if (notes.length() > 4000) {
            notes = notes.substring(0, 3999) + "…";
        }
        String base200 = m.baseModel() == null || m.baseModel().isBlank()
                ? null
                : m.baseModel().length() > 200 ? m.baseModel().substring(0, 200) : m.baseModel();
        Checkpoint c = new Checkpoint(
                0,
                name,
                CheckpointKind.MODEL,
                base200,
                flow,
                m.weightsFileName(),
                m.weightsSha256(),
                m.weightsSize(),
                "MLFLOW",
                m.weightsPath(),
                rank,
                alpha,
                null,
                blankToNull(m.runUuid()),
                epoch,
                null,
                null,
                notes,
                "mlflow",
                by,
                clock.instant(),
                null,
                null);
        return insertRegistered(c, by, "Registered checkpoint '" + name + "' (MLflow logged model)");
    }

    /**
     * For the training module's model registry: the checkpoint that version {@code version} of registered model
     * {@code modelName} is. When the version names a run and an epoch and that run's epoch already is a live checkpoint,
     * that one (a version links to it); otherwise a new model checkpoint named {@code <model> v<version>} (made unique
     * with " (2)", " (3)"… when taken) with the run, the epoch and the version's source in its notes.
     */
    public Checkpoint registerRegistryVersion(
            String modelName, int version, String runUuid, Integer epoch, String source, String by) {
        String run = blankToNull(runUuid);
        if (run != null && !run.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("A training run id has 1–64 letters, digits or '-'.");
        }
        if (run != null && epoch != null) {
            Optional<Checkpoint> existing = store.findByRunEpoch(run, epoch).filter(c -> !c.deleted());
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        String base = (modelName == null ? "" : modelName.trim()) + " v" + version;
        if (base.length() > 190) {
            base = base.substring(0, 190);
        }
        String name = freeName(base);
        Names.check("The checkpoint name", name);
        String notes = "Registered model '" + modelName + "' version " + version
                + (source == null ? "" : "; source " + source) + ".";
        Checkpoint c = withoutAdapter(
                name,
                CheckpointKind.MODEL,
                null,
                run,
                epoch == null || epoch < 0 ? null : epoch,
                null,
                null,
                notes.length() > 4000 ? notes.substring(0, 4000) : notes,
                "registry",
                by);
        return insertRegistered(c, by, "Registered checkpoint '" + name + "' (model registry)");
    }

    /** A classical baseline: Reinhard to the Lab statistics of {@code targetDatasetId}, or stain remapping with gains. */
    public Checkpoint createBaseline(
            CheckpointKind kind,
            String name,
            Long targetDatasetId,
            Double hematoxylinGain,
            Double dabGain,
            String notes,
            String by) {
        if (kind == null || !(kind == CheckpointKind.REINHARD || kind == CheckpointKind.STAIN_REMAP)) {
            throw new IllegalArgumentException("Choose a baseline: Reinhard or stain remapping.");
        }
        String n = checkName(name);
        String params;
        if (kind == CheckpointKind.REINHARD) {
            Dataset t = targetDatasetId == null
                    ? null
                    : catalog.requireReal(targetDatasetId, "the baseline's colour target");
            if (t == null || t.stain() != Stain.IHC) {
                throw new IllegalArgumentException(
                        "Reinhard transfer needs a target IHC dataset to take its colour statistics from.");
            }
            params = "target=" + t.id();
        } else {
            double h = hematoxylinGain == null ? 1.0 : hematoxylinGain;
            double d = dabGain == null ? 1.0 : dabGain;
            if (!(h > 0 && h <= 10 && d > 0 && d <= 10)) {
                throw new IllegalArgumentException("The stain gains are between 0 and 10.");
            }
            params = String.format(Locale.ROOT, "h=%s;dab=%s", h, d);
        }
        Checkpoint c = withoutAdapter(
                n, kind, "classical (CPU)", null, null, null, params, blankToNull(notes), "baseline", by);
        return insertRegistered(c, by, "Registered " + kind.label() + " '" + n + "'");
    }

    static Map<String, String> params(Checkpoint c) {
        if (c.baselineParams() == null) {
            return Map.of();
        }
        return Arrays.stream(c.baselineParams().split(";"))
                .map(s -> s.split("=", 2))
                .filter(a -> a.length == 2)
                .collect(Collectors.toMap(a -> a[0], a -> a[1]));
    }

    // generated sets

    /** Queues the baseline job that writes "baseline applied to the source dataset" and registers it. */
    public GeneratedSet applyBaseline(long checkpointId, long sourceDatasetId, String by) {
        Checkpoint c = require(checkpointId);
        if (!c.kind().baseline()) {
            throw new IllegalArgumentException(
                    "'" + c.name() + "' is a model checkpoint: its sets are generated on a GPU "
                            + "and registered from their folder.");
        }
        Dataset source = requireSource(sourceDatasetId);
        refuseExisting(c, source, null);
        if (catalog.archives(source.id()).stream().noneMatch(a -> a.status() == ArchiveStatus.READY)) {
            throw new IllegalArgumentException(
                    "'" + source.name() + "' has no ingested archives to apply '" + c.name() + "' to.");
        }
        long datasetId = generatedDataset(c, source, by);
        long setId = store.insertSet(c.id(), source.id(), datasetId, GENERATING, by, clock.instant());
        long job = jobs.submit(JobRequest.embedded(
                BASELINE_JOB, c.name() + " on " + source.name(), Map.of("setId", Long.toString(setId)), by));
        store.setJob(setId, job);
        events.publishEvent(Activity.of(
                by,
                "launched",
                ActivitySubject.GENERATED_SET,
                setId,
                "Launched " + c.name() + " on '" + source.name() + "'",
                "/checkpoints/" + c.id()));
        return store.findSet(setId).orElseThrow();
    }

    /** A planned pairing of one generated archive with its source archive. */
    record Pair(Path file, String fileName, Archive source, int rows) {}

    /**
     * Registers a folder of generated archives ({@code ihc_<suffix>.npz}) on the server as "checkpoint applied to
     * the source dataset": each pairs with {@code he_<suffix>.npz} of the source dataset and must have its row
     * count. Any mismatch refuses the whole folder with a report listing every problem.
     */
    public GeneratedSet registerGenerated(long checkpointId, long sourceDatasetId, String folder, String by) {
        return registerGenerated(checkpointId, sourceDatasetId, folder, null, by);
    }

    /**
     * As {@link #registerGenerated(long, long, String, String)}, recording the generation's sampling seed (null: none).
     * Sets of one checkpoint on one source must differ in their seed (at most one without a seed).
     */
    public GeneratedSet registerGenerated(
            long checkpointId, long sourceDatasetId, String folder, Long samplingSeed, String by) {
        Checkpoint c = require(checkpointId);
        Dataset source = requireSource(sourceDatasetId);
        refuseExisting(c, source, samplingSeed);
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException("Give the folder of generated archives on the server.");
        }
        Path dir = allowed(folder.trim(), true);
        List<Pair> pairs = pair(dir, catalog.archives(source.id()), source.name());
        long datasetId = generatedDataset(c, source, samplingSeed, by);
        long setId = store.insertSet(c.id(), source.id(), datasetId, READY, by, clock.instant(), samplingSeed);
        int done = 0;
        for (Pair p : pairs) {
            try {
                Archive a = catalog.registerPath(datasetId, p.file().toString(), by);
                store.insertArchive(
                        new GeneratedArchive(a.id(), setId, p.source().id(), p.fileName(), p.rows()));
                done++;
            } catch (IllegalArgumentException e) {
                String report = "Registered " + done + " of " + pairs.size() + " archives, then: " + e.getMessage();
                store.setStatus(setId, FAILED, report.length() > 4000 ? report.substring(0, 4000) : report);
                throw new IllegalArgumentException(report, e);
            }
        }
        store.setStatus(setId, READY, pairs.size() + " archives paired with their sources by name and row count.");
        events.publishEvent(Activity.of(
                by,
                "registered",
                ActivitySubject.GENERATED_SET,
                setId,
                "Registered " + pairs.size() + " generated archives of " + c.name() + " on '" + source.name() + "'",
                "/checkpoints/" + c.id()));
        return store.findSet(setId).orElseThrow();
    }

    /** The pairing of a folder's {@code ihc_*.npz} with the sources, or the report of everything wrong with it. */
    static List<Pair> pair(Path dir, List<Archive> sourceArchives, String sourceName) {
        Map<String, Archive> bySuffix = sourceArchives.stream()
                .filter(a -> a.status() == ArchiveStatus.READY)
                .collect(Collectors.toMap(a -> suffix(a.fileName()), Function.identity(), (a, b) -> a));
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".npz"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> problems = new ArrayList<>();
        List<Pair> pairs = new ArrayList<>();
        if (files.isEmpty()) {
            problems.add("the folder holds no .npz archives");
        }
        for (Path f : files) {
            String n = f.getFileName().toString();
            if (!n.toLowerCase(Locale.ROOT).startsWith("ihc_")) {
                problems.add(n + ": not named ihc_<suffix>.npz");
                continue;
            }
            String sfx = suffix(n);
            Archive src = bySuffix.get(sfx);
            if (src == null) {
                problems.add(n + ": no he_" + sfx + " in '" + sourceName + "'");
                continue;
            }
            int rows;
            try {
                rows = rows(f);
            } catch (IOException | RuntimeException e) {
                problems.add(n + ": cannot be read (" + e.getMessage() + ")");
                continue;
            }
            if (rows != src.tilesTotal()) {
                problems.add(n + ": " + rows + " rows, but its source " + src.fileName() + " has " + src.tilesTotal());
                continue;
            }
            pairs.add(new Pair(f, n, src, rows));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("The generated set was not registered (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "): " + String.join("; ", problems) + ".");
        }
        return pairs;
    }

    /** "1811474_1.npz" for "he_1811474_1.npz" or "ihc_1811474_1.npz". */
    static String suffix(String fileName) {
        int u = fileName.indexOf('_');
        return (u < 0 ? fileName : fileName.substring(u + 1)).toLowerCase(Locale.ROOT);
    }

    /** The generated archive's name for a source archive: its stain prefix replaced by {@code ihc}. */
    static String generatedName(String sourceFileName) {
        return "ihc_" + suffix(sourceFileName);
    }

    /** Rows of the first tile array of an .npz, from its header alone. */
    static int rows(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (!e.getName().endsWith(".npy")) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    Npy.Header h = Npy.readHeader(in);
                    if (TileArrays.isTileArray(h)) {
                        return Math.toIntExact(h.shape()[0]);
                    }
                }
            }
        }
        throw new IOException("no tile array in the archive");
    }

    private Dataset requireSource(long id) {
        return catalog.dataset(id)
                .orElseThrow(() -> new IllegalArgumentException("No source dataset with id " + id + "."));
    }

    private void refuseExisting(Checkpoint c, Dataset source, Long samplingSeed) {
        store.findSet(c.id(), source.id(), samplingSeed).ifPresent(s -> {
            throw new IllegalArgumentException(
                    samplingSeed == null
                            ? "'" + c.name() + "' has already been applied to '" + source.name()
                                    + "' without a sampling seed."
                            : "'" + c.name() + "' has already been applied to '" + source.name()
                                    + "' with sampling seed " + samplingSeed
                                    + ": give the sampling seed of this generation (each seed once).");
        });
    }

    private long generatedDataset(Checkpoint c, Dataset source, String by) {
        return generatedDataset(c, source, null, by);
    }

    /** The catalog dataset of a generated set; its name carries the sampling seed when there is one. */
    private long generatedDataset(Checkpoint c, Dataset source, Long samplingSeed, String by) {
        String base =
                c.name() + " on " + source.name() + (samplingSeed == null ? "" : ", sampling seed " + samplingSeed);
        String name = base;
        for (int i = 2; catalog.datasetNameTaken(name); i++) {
            name = base + " (" + i + ")";
        }
        if (name.length() > 200) {
            name = name.substring(0, 200);
        }
        return catalog.createGeneratedDataset(
                name,
                Stain.IHC,
                "CK7",
                source.cohort(),
                source.tileSize(),
                "Generated by checkpoint '" + c.name() + "' from '" + source.name() + "'.",
                c.id(),
                source.id(),
                by);
    }

    // files

    record Received(Path file, String sha256, long size) {}

    private Received receive(InputStream in) {
        try {
            Path tmp = adapters.resolve("incoming");
            Files.createDirectories(tmp);
            Path file = tmp.resolve(UUID.randomUUID() + ".part");
            Sha256.Copied c = Sha256.copy(in, file);
            return new Received(c.file(), c.sha256(), c.size());
        } catch (IOException e) {
            throw new UncheckedIOException("The adapter upload broke off: " + e.getMessage(), e);
        }
    }

    /**
     * The artifact store key of an uploaded adapter: {@code checkpoints/adapters/<sha256><ext>}, the file the
     * adapter folder has held since before the store (so an existing folder and its migrated bucket both work).
     */
    static String adapterKey(String sha256, String fileName) {
        String ext = fileName.contains(".") ? fileName.substring(fileName.lastIndexOf('.')) : "";
        if (!ext.matches("\\.[A-Za-z0-9]{1,12}")) {
            ext = "";
        }
        return "checkpoints/adapters/" + sha256 + ext;
    }

    /** Keeps a received adapter on the artifact store at its key; returns its location for the row. */
    private String keep(Received r, String key) {
        try {
            StoredFiles.keep(artifacts, r.file(), key);
            return StoredFiles.location(artifacts, key);
        } catch (IOException e) {
            throw new UncheckedIOException("The adapter could not be stored: " + e.getMessage(), e);
        }
    }

    private boolean existsQuietly(String key) {
        try {
            return artifacts.exists(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing refers to it
        }
    }

    /** A file (or folder) under one of the allowed roots, resolved without following it out of them. */
    Path allowed(String path, boolean folder) {
        return ServerPaths.inside(
                path,
                catalog.allowedRoots(),
                folder,
                folder ? "folder" : "file",
                "Server paths are off: no allowed roots are configured (stainbench.catalog.allowed-roots).");
    }

    private String checkName(String name) {
        String n = name == null ? "" : name.trim();
        if (n.isEmpty() || n.length() > 200) {
            throw new IllegalArgumentException("Give the checkpoint a name of 1–200 characters.");
        }
        Names.check("The checkpoint name", name);
        if (store.nameTaken(n)) {
            throw new IllegalArgumentException("A checkpoint named '" + n + "' already exists.");
        }
        return n;
    }

    private static String cleanName(String fileName) {
        String n = fileName.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).trim();
        if (n.isEmpty() || n.equals("..") || n.length() > 255) {
            throw new IllegalArgumentException("'" + fileName + "' is not a usable file name.");
        }
        return n;
    }

    private static String tags(String tags) {
        if (tags == null || tags.isBlank()) {
            return null;
        }
        String t = Arrays.stream(tags.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .distinct()
                .collect(Collectors.joining(","));
        if (t.length() > 1000) {
            throw new IllegalArgumentException("Tags are at most 1000 characters together.");
        }
        return t.isEmpty() ? null : t;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** A checkpoint that does not exist (404). */
    static final class NotFound extends org.springframework.web.server.ResponseStatusException {
        NotFound(String message) {
            super(org.springframework.http.HttpStatus.NOT_FOUND, message);
        }
    }

    /** Stores a new checkpoint and records "registered … {@code what}" in the activity trail; the stored row. */
    /**
     * A checkpoint to register that has no adapter file and no LoRA settings (a colour map, a classical baseline, a
     * registry version without weights): flow "none", made now by {@code by}.
     */
    private Checkpoint withoutAdapter(
            String name,
            CheckpointKind kind,
            String baseModel,
            String runUuid,
            Integer epoch,
            Long trainedOnDatasetId,
            String baselineParams,
            String notes,
            String tags,
            String by) {
        return new Checkpoint(
                0,
                name,
                kind,
                baseModel,
                "none",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                runUuid,
                epoch,
                trainedOnDatasetId,
                baselineParams,
                notes,
                tags,
                by,
                clock.instant(),
                null,
                null);
    }

    private Checkpoint insertRegistered(Checkpoint c, String by, String what) {
        long id = store.insert(c);
        events.publishEvent(Activity.of(by, "registered", ActivitySubject.CHECKPOINT, id, what, "/checkpoints/" + id));
        return store.find(id).orElseThrow();
    }

    /** {@code base}, or the first of "base (2)", "base (3)"… that no checkpoint has. */
    private String freeName(String base) {
        String name = base;
        for (int i = 2; store.nameTaken(name); i++) {
            name = base + " (" + i + ")";
        }
        return name;
    }

    // ---- role rules: the facade's, not the controllers' (issue 20) ---------------------------------

    /** A checkpoint's page: a deleted checkpoint opens for admins only (with its "deleted" banner). */
    Checkpoint visible(long id, org.springframework.security.core.Authentication auth) {
        return findEvenDeleted(id)
                .filter(x -> !x.deleted() || Roles.has(auth, "ADMIN"))
                .orElseThrow(() -> new NotFound("No checkpoint with id " + id + "."));
    }

    /** Deleting a checkpoint, its confirmation page included, needs the member role. */
    void checkMayDelete(org.springframework.security.core.Authentication auth) {
        if (!Roles.has(auth, "MEMBER")) {
            throw new org.springframework.security.access.AccessDeniedException("Deleting needs the member role.");
        }
    }
}
