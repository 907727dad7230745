package org.stainbench.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobRequest;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.shell.Dependants;
import org.stainbench.shell.Names;
import org.stainbench.shell.Roles;
import org.stainbench.shell.ServerPaths;
import org.stainbench.shell.Sha256;
import org.stainbench.tiles.NpyFormatException;
import org.stainbench.tiles.Npz;

/**
 * Catalog rules in one place: datasets, archive registration (checked before anything is kept), ingest
 * jobs, patient-level splits. Every rule violation is an {@link IllegalArgumentException} whose message is
 * shown to the person (or API client) as is; a rejected archive leaves no row and no file behind.
 */
@Service
public class Catalog {

    static final String INGEST = "ingest";

    private final CatalogStore store;
    private final CatalogFiles files;
    private final CatalogProperties properties;
    private final JobQueue jobs;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<Dependants> dependants;

    Catalog(
            CatalogStore store,
            CatalogFiles files,
            CatalogProperties properties,
            JobQueue jobs,
            TransactionTemplate tx,
            Clock clock,
            ApplicationEventPublisher events,
            ObjectProvider<Dependants> dependants) {
        this.store = store;
        this.files = files;
        this.properties = properties;
        this.jobs = jobs;
        this.tx = tx;
        this.clock = clock;
        this.events = events;
        this.dependants = dependants;
    }

    Npz.Limits limits() {
        return properties.limits();
    }

    // datasets

    public long createDataset(
            String name, Stain stain, String marker, String cohort, Integer tileSize, String description, String by) {
        String n = name == null ? "" : name.trim();
        if (n.isEmpty() || n.length() > 200) {
            throw new IllegalArgumentException("Give the dataset a name of 1–200 characters.");
        }
        Names.check("The dataset name", name);
        Names.check("The marker", marker);
        Names.check("The cohort", cohort);
        if (stain == null) {
            throw new IllegalArgumentException("Choose the stain (H&E or IHC).");
        }
        String m = blankToNull(marker);
        if (stain == Stain.IHC && m == null) {
            throw new IllegalArgumentException("An IHC dataset needs its marker (e.g. CK7).");
        }
        if (tileSize == null || tileSize < 16 || tileSize > 8192) {
            throw new IllegalArgumentException("Tile size must be between 16 and 8192 pixels.");
        }
        if (store.datasetNameTaken(n)) {
            throw new IllegalArgumentException("A dataset named '" + n + "' already exists"
                    + (store.datasets(0, Integer.MAX_VALUE).stream()
                                    .anyMatch(d -> d.name().equalsIgnoreCase(n))
                            ? "."
                            : " (deleted; an admin can restore it)."));
        }
        return tx.execute(s -> {
            long id = store.insertDataset(
                    n,
                    stain,
                    stain == Stain.IHC ? m : null,
                    blankToNull(cohort),
                    tileSize,
                    blankToNull(description),
                    by,
                    clock.instant());
            events.publishEvent(Activity.of(
                    by,
                    "registered",
                    ActivitySubject.DATASET,
                    id,
                    "Registered dataset '" + n + "'",
                    "/datasets/" + id));
            return id;
        });
    }

    /**
     * Creates the dataset that holds a generated set: checkpoint {@code checkpointId} applied to dataset
     * {@code sourceDatasetId}. It is {@link DatasetKind#GENERATED} for good, so no place that needs real tiles takes it.
     */
    public long createGeneratedDataset(
            String name,
            Stain stain,
            String marker,
            String cohort,
            Integer tileSize,
            String description,
            long checkpointId,
            long sourceDatasetId,
            String by) {
        return tx.execute(s -> {
            long id = createDataset(name, stain, marker, cohort, tileSize, description, by);
            store.markGenerated(id, checkpointId, sourceDatasetId);
            return id;
        });
    }

    /**
     * The one rule for "real data required": the live dataset {@code datasetId} if it holds real tiles; otherwise
     * {@link NotRealData} (an {@link IllegalArgumentException}) saying why, for the person or API client as is.
     *
     * @param role what the dataset is being used as, e.g. "the real IHC target" (used in the message)
     */
    public Dataset requireReal(long datasetId, String role) {
        Dataset d = dataset(datasetId)
                .orElseThrow(() ->
                        new NotRealData(datasetId, role, "No dataset with id " + datasetId + " for " + role + "."));
        if (!d.real()) {
            String from = d.generatedSourceDatasetId() == null
                    ? ""
                    : " from '"
                            + store.findDataset(d.generatedSourceDatasetId())
                                    .map(Dataset::name)
                                    .orElse("?") + "'";
            throw new NotRealData(
                    datasetId,
                    role,
                    "'" + d.name() + "' is a generated set" + from + ", not real tiles: " + role
                            + " must be a dataset of real tiles.");
        }
        return d;
    }

    /** What a dataset holds, deleted ones included (records made against it stay classifiable); empty when unknown. */
    public Optional<DatasetKind> kindOf(long datasetId) {
        return store.findDataset(datasetId).map(Dataset::kind);
    }

    /** Live datasets of real tiles, by name: what pickers for real data offer. */
    public List<Dataset> realDatasets() {
        return datasets().stream().filter(Dataset::real).toList();
    }

    /** Live datasets of real tiles of one stain, by name. */
    public List<Dataset> realDatasets(Stain stain) {
        return datasets().stream().filter(d -> d.real() && d.stain() == stain).toList();
    }

    /** Live generated sets, by name. */
    public List<Dataset> generatedDatasets() {
        return datasets().stream().filter(Dataset::generated).toList();
    }

    /** A dataset that is not deleted (deleted ones are hidden from every other module). */
    public Optional<Dataset> dataset(long id) {
        return store.findDataset(id).filter(d -> !d.deleted());
    }

    /** Whether a dataset of that name exists, deleted ones included (names stay unique). */
    public boolean datasetNameTaken(String name) {
        return store.datasetNameTaken(name);
    }

    /** A live dataset, or 404 (deleted datasets included: only their detail page opens, for admins). */
    Dataset requireDataset(long id) {
        return dataset(id).orElseThrow(() -> new NotFound("No dataset with id " + id + "."));
    }

    // soft delete

    /** Live things that use the dataset, from every module that holds references to datasets. */
    public List<Dependants.Dependant> dependantsOf(long datasetId) {
        List<Dependants.Dependant> out = new ArrayList<>();
        dependants.orderedStream().forEach(d -> out.addAll(d.dependantsOf(Dependants.DATASET, datasetId)));
        return out;
    }

    /**
     * Soft-deletes a dataset: its row, archives, tiles and files stay; it disappears from lists, pickers and
     * counts. Refused with {@link Dependants.Blocked} (nothing changed) while live things depend on it.
     */
    public void deleteDataset(long id, String by) {
        tx.executeWithoutResult(s -> {
            Dataset d = requireDataset(id);
            List<Dependants.Dependant> using = dependantsOf(id);
            if (!using.isEmpty()) {
                throw new Dependants.Blocked("Dataset '" + d.name() + "'", using);
            }
            if (!store.softDelete(id, by, clock.instant())) {
                throw new IllegalArgumentException("Dataset '" + d.name() + "' is already deleted.");
            }
            events.publishEvent(Activity.of(
                    by,
                    "deleted",
                    ActivitySubject.DATASET,
                    id,
                    "Deleted dataset '" + d.name() + "'",
                    "/datasets/" + id));
        });
    }

    /**
     * Soft-deletes datasets that belong to something deleted with them (a checkpoint's generated sets), without
     * asking for dependants: the owner asked already. Already deleted ones are left as they are.
     */
    public void deleteOwnedDatasets(List<Long> ids, String by, java.time.Instant at) {
        for (long id : ids) {
            store.softDelete(id, by, at);
        }
    }

    /** Restores datasets that were deleted with their owner: those deleted at exactly {@code at}. */
    public void restoreOwnedDatasets(List<Long> ids, java.time.Instant at) {
        for (long id : ids) {
            store.findDataset(id).filter(d -> at.equals(d.deletedAt())).ifPresent(d -> store.restore(id));
        }
    }

    /** Restores a deleted dataset as it was. */
    public void restoreDataset(long id, String by) {
        tx.executeWithoutResult(s -> {
            Dataset d = store.findDataset(id).orElseThrow(() -> new NotFound("No dataset with id " + id + "."));
            if (!store.restore(id)) {
                throw new IllegalArgumentException("Dataset '" + d.name() + "' is not deleted.");
            }
            events.publishEvent(Activity.of(
                    by,
                    "restored",
                    ActivitySubject.DATASET,
                    id,
                    "Restored dataset '" + d.name() + "' (deleted by " + d.deletedBy() + ")",
                    "/datasets/" + id));
        });
    }

    List<Dataset> deletedDatasets() {
        return store.deletedDatasets();
    }

    Optional<Dataset> datasetEvenDeleted(long id) {
        return store.findDataset(id);
    }

    public List<Dataset> datasets() {
        return store.datasets(0, Integer.MAX_VALUE);
    }

    public List<Archive> archives(long datasetId) {
        return store.archives(datasetId);
    }

    public Optional<Archive> archive(long id) {
        return store.findArchive(id);
    }

    // reads for the catalog's pages and API (its controllers reach the store only through here)

    /** Real or generated datasets, a page of them by name. */
    List<Dataset> datasets(DatasetKind kind, int offset, int limit) {
        return store.datasets(kind, offset, limit);
    }

    long countDatasets(DatasetKind kind) {
        return store.countDatasets(kind);
    }

    /** Per dataset: its archive and tile counts, as the list page shows them. */
    Map<Long, long[]> datasetCounts() {
        return store.datasetCounts();
    }

    long countInformative(long datasetId) {
        return store.countInformative(datasetId);
    }

    /** The dataset page's histograms (tissue fraction, label). */
    List<Map<String, Object>> histograms(long datasetId) {
        return Histograms.of(store, datasetId);
    }

    /** A page of the dataset's tiles passing the filter. */
    List<TileInfo> tiles(long datasetId, TileFilter f, int offset, int limit) {
        return store.tiles(datasetId, f, offset, limit);
    }

    long countTiles(long datasetId, TileFilter f) {
        return store.countTiles(datasetId, f);
    }

    Optional<TileInfo> findTile(long id) {
        return store.findTile(id);
    }

    /** The next (or previous) tile passing the filter, in the browser's order. */
    Optional<TileInfo> neighbour(TileInfo t, TileFilter f, boolean next) {
        return store.neighbour(t, f, next);
    }

    /** The distinct labels of the dataset's tiles. */
    List<Double> labels(long datasetId) {
        return store.labels(datasetId);
    }

    Archive requireArchive(long datasetId, long archiveId) {
        return store.findArchive(archiveId)
                .filter(a -> a.datasetId() == datasetId)
                .orElseThrow(() -> new NotFound("No archive with id " + archiveId + " in dataset " + datasetId + "."));
    }

    // archives

    /** Registers an uploaded archive: streamed to the store with its SHA-256, checked, then queued for ingest. */
    public Archive registerUpload(long datasetId, String fileName, InputStream content, String by) {
        return upload(datasetId, fileName, content, by, false);
    }

    /**
     * Registers an archive the platform wrote itself (an archive of a generated set): like an upload, except that
     * another dataset may hold the same content (two checkpoints can generate identical tiles); the same content
     * twice in one dataset is still refused.
     */
    public Archive registerOutput(long datasetId, String fileName, InputStream content, String by) {
        return upload(datasetId, fileName, content, by, true);
    }

    private Archive upload(long datasetId, String fileName, InputStream content, String by, boolean elsewhereAllowed) {
        Dataset d = requireDataset(datasetId);
        String name = ArchiveNames.clean(fileName);
        checkNameFits(d, name);
        CatalogFiles.Stored stored;
        try {
            // the limit is for what people send; archives the platform wrote itself are not uploads
            stored = files.receive(
                    content,
                    elsewhereAllowed
                            ? Long.MAX_VALUE
                            : properties.maxUploadBytes().toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("The upload of '" + name + "' broke off: " + e.getMessage(), e);
        }
        try {
            if (stored.size() == 0) {
                throw new IllegalArgumentException("'" + name + "' is empty.");
            }
            refuseDuplicate(stored.sha256(), name, elsewhereAllowed ? datasetId : null);
            probe(stored.file(), name);
            String kept = files.keep(stored);
            try {
                return register(datasetId, name, stored.sha256(), stored.size(), "UPLOAD", kept, by);
            } catch (RuntimeException e) {
                // no row: the kept bytes go too, unless another archive holds the same content
                if (store.findArchiveBySha(stored.sha256()).isEmpty()) {
                    files.deleteUpload(stored.sha256());
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            files.deleteQuietly(stored.file());
        }
    }

    /** Registers an archive already on the server, under one of the allowed roots; it is read in place. */
    public Archive registerPath(long datasetId, String path, String by) {
        requireDataset(datasetId);
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("Give the archive's path on the server.");
        }
        Path file = allowedFile(path.trim());
        String name = file.getFileName().toString();
        checkNameFits(store.findDataset(datasetId).orElseThrow(), name);
        try {
            String sha = Sha256.of(file);
            refuseDuplicate(sha, name, null);
            probe(file, name);
            return register(datasetId, name, sha, Files.size(file), "PATH", file.toString(), by);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folders under which files may be registered by server path (none: registering by path is off). */
    public List<Path> allowedRoots() {
        return properties.allowedRoots().stream()
                .filter(r -> !r.toString().isBlank())
                .toList();
    }

    Path allowedFile(String path) {
        return ServerPaths.inside(
                path,
                allowedRoots(),
                false,
                "archive file",
                "Registering archives by server path is off: no allowed roots are configured (stainbench.catalog.allowed-roots).");
    }

    /**
     * An archive agrees with its dataset by name: the stain code in its name (if it follows the lab's convention) is
     * the dataset's stain, and no archive of that file name is in the dataset yet (names are compared ignoring case).
     */
    private void checkNameFits(Dataset d, String name) {
        String mismatch = ArchiveNames.stainMismatch(
                name, ArchiveNames.parse(name, d.marker()).stain(), d);
        if (mismatch != null) {
            throw new IllegalArgumentException(mismatch);
        }
        store.archives(d.id()).stream()
                .filter(a -> a.fileName().equalsIgnoreCase(name))
                .findFirst()
                .ifPresent(a -> {
                    throw new IllegalArgumentException(
                            "Dataset '" + d.name() + "' already holds an archive named '" + a.fileName()
                                    + "' (registered by " + a.createdBy()
                                    + "); a file name is used once per dataset. Rename the file, or"
                                    + " remove the registered one first.");
                });
    }

    /** Refuses content already registered in {@code onlyIn}, or anywhere when that is null. */
    private void refuseDuplicate(String sha, String name, Long onlyIn) {
        (onlyIn == null ? store.findArchiveBySha(sha) : store.findArchiveBySha(sha, onlyIn)).ifPresent(a -> {
            String ds = store.findDataset(a.datasetId()).map(Dataset::name).orElse("?");
            throw new IllegalArgumentException("'" + name + "' is already registered: it has the same content (SHA-256 "
                    + sha.substring(0, 12) + "…) as '" + a.fileName() + "' in dataset '" + ds + "'.");
        });
    }

    private void probe(Path file, String name) throws IOException {
        try {
            ArchiveProbe.check(file, limits());
        } catch (NpyFormatException e) {
            throw new IllegalArgumentException("'" + name + "' cannot be used: " + e.getMessage() + ".", e);
        }
    }

    private Archive register(
            long datasetId, String name, String sha, long size, String source, String sourcePath, String by) {
        long id;
        try {
            id = tx.execute(s -> {
                long a = store.insertArchive(
                        datasetId,
                        name,
                        ArchiveNames.parse(
                                name,
                                store.findDataset(datasetId)
                                        .map(Dataset::marker)
                                        .orElse(null)),
                        sha,
                        size,
                        source,
                        sourcePath,
                        by,
                        clock.instant());
                events.publishEvent(Activity.of(
                        by,
                        "registered",
                        ActivitySubject.ARCHIVE,
                        a,
                        "Registered archive '" + name + "' in "
                                + store.findDataset(datasetId)
                                        .map(d -> "'" + d.name() + "'")
                                        .orElse("dataset " + datasetId),
                        "/datasets/" + datasetId));
                return a;
            });
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("'" + name + "' is already registered in this dataset (same SHA-256).");
        }
        queueIngest(id, datasetId, name, by);
        return store.findArchive(id).orElseThrow();
    }

    /** The ingest job's title names the archive and its dataset ("Ingest ihc_1.npz into Demo CK7"), issue 18. */
    static String ingestTitle(String archiveName, String datasetName) {
        return "Ingest " + archiveName + (datasetName == null ? "" : " into " + datasetName);
    }

    private void queueIngest(long archiveId, long datasetId, String name, String by) {
        // status first: a small archive's ingest can finish (READY or FAILED) before submit() returns here, and
        // resetting the status afterwards left it QUEUED for ever
        store.markQueued(archiveId);
        long job = jobs.submit(JobRequest.embedded(
                INGEST,
                ingestTitle(
                        name, store.findDataset(datasetId).map(Dataset::name).orElse(null)),
                Map.of("archiveId", Long.toString(archiveId)),
                by));
        store.setJob(archiveId, job);
    }

    /**
     * The catalog id of row {@code index} of an archive (its tile page is {@code /tiles/{id}}), once the archive is
     * indexed; empty before that or when there is no such row. Lets other modules link a tile they produced
     * (e.g. a slide tiling) to the tile browser.
     */
    public Optional<Long> tileId(long archiveId, int index) {
        return store.findArchive(archiveId)
                .filter(a -> a.status() == ArchiveStatus.READY)
                .flatMap(a -> store.tileId(archiveId, index));
    }

    /** Queues a failed archive's ingest again. */
    public void retry(long datasetId, long archiveId, String by) {
        Archive a = requireArchive(datasetId, archiveId);
        if (a.status() != ArchiveStatus.FAILED) {
            throw new IllegalArgumentException("'" + a.fileName() + "' is "
                    + a.status().name().toLowerCase(Locale.ROOT) + "; only a failed ingest can be retried.");
        }
        if (!files.sourceExists(a)) {
            throw new IllegalArgumentException("The file of '" + a.fileName() + "' is gone (" + a.sourcePath() + ").");
        }
        queueIngest(archiveId, datasetId, a.fileName(), by);
        events.publishEvent(Activity.of(
                by,
                "launched",
                ActivitySubject.ARCHIVE,
                archiveId,
                "Retried the ingest of '" + a.fileName() + "'",
                "/datasets/" + datasetId));
    }

    /** Removes an archive, its tiles and its files (an uploaded copy too; a server-path original stays). */
    public void deleteArchive(long datasetId, long archiveId, String by) {
        Archive a = requireArchive(datasetId, archiveId);
        if (a.status().busy()) {
            if (a.jobId() != null) {
                jobs.cancel(a.jobId(), "catalog");
            }
            throw new IllegalArgumentException("'" + a.fileName() + "' is being ingested; its job was asked to stop. "
                    + "Delete it once it has stopped.");
        }
        tx.executeWithoutResult(s -> {
            store.deleteArchive(archiveId);
            events.publishEvent(Activity.of(
                    by,
                    "deleted",
                    ActivitySubject.ARCHIVE,
                    archiveId,
                    "Removed archive '" + a.fileName() + "' with its tiles",
                    "/datasets/" + datasetId));
        });
        files.deleteOutput(archiveId);
        // an uploaded copy goes too, unless another archive (a generated set may repeat content) still holds it
        if (a.source().equals("UPLOAD") && store.findArchiveBySha(a.sha256()).isEmpty()) {
            files.deleteUpload(a.sha256());
        }
    }

    public void setPatient(long datasetId, long archiveId, String patient, Integer replicate, String by) {
        Archive a = requireArchive(datasetId, archiveId);
        String p = blankToNull(patient);
        if (p != null && !p.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("A patient ID has 1–100 letters, digits, '.', '_' or '-'.");
        }
        if (replicate != null && replicate < 0) {
            throw new IllegalArgumentException("A replicate is a number ≥ 0.");
        }
        tx.executeWithoutResult(s -> {
            store.setPatient(archiveId, p, replicate);
            events.publishEvent(Activity.of(
                    by,
                    "edited",
                    ActivitySubject.ARCHIVE,
                    archiveId,
                    "Set the patient of '" + a.fileName() + "' to " + (p == null ? "none" : p)
                            + (replicate == null ? "" : " (replicate " + replicate + ")"),
                    "/datasets/" + datasetId));
        });
    }

    // split

    /** A patient's group key: the patient ID, or the archive itself when it has none. */
    static String patientKey(Archive a) {
        return a.patient() != null ? a.patient() : "archive:" + a.fileName();
    }

    /**
     * Splits the dataset's archives by patient: patients (sorted) are shuffled with the seed and the first
     * {@code round(n × train%)} go to train; every archive of a patient lands on its patient's side.
     */
    public Map<String, String> split(long datasetId, long seed, int trainPercent, String by) {
        requireDataset(datasetId);
        if (trainPercent < 1 || trainPercent > 99) {
            throw new IllegalArgumentException("The train share must be between 1 and 99 %.");
        }
        List<Archive> archives = store.archives(datasetId).stream()
                .filter(a -> a.status() != ArchiveStatus.FAILED)
                .toList();
        if (archives.isEmpty()) {
            throw new IllegalArgumentException("The dataset has no archives to split.");
        }
        Map<String, String> sides =
                assign(archives.stream().map(Catalog::patientKey).distinct().toList(), seed, trainPercent);
        tx.executeWithoutResult(s -> {
            for (Archive a : archives) {
                store.setSide(a.id(), sides.get(patientKey(a)));
            }
            store.recordSplit(datasetId, seed, trainPercent, by, clock.instant());
            events.publishEvent(Activity.of(
                    by,
                    "edited",
                    ActivitySubject.DATASET,
                    datasetId,
                    "Split dataset '"
                            + store.findDataset(datasetId).map(Dataset::name).orElse("?") + "' by patient (seed " + seed
                            + ", "
                            + trainPercent + " % train)",
                    "/datasets/" + datasetId));
        });
        return sides;
    }

    static Map<String, String> assign(List<String> patients, long seed, int trainPercent) {
        List<String> order = new ArrayList<>(new java.util.TreeSet<>(patients));
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            String t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        int train = (int) Math.round(order.size() * trainPercent / 100.0);
        if (order.size() > 1) {
            train = Math.max(1, Math.min(order.size() - 1, train));
        }
        Map<String, String> sides = new TreeMap<>();
        for (int i = 0; i < order.size(); i++) {
            sides.put(order.get(i), i < train ? "train" : "test");
        }
        return sides;
    }

    /** The split as CSV: one line per archive. */
    public String splitCsv(long datasetId) {
        Dataset d = requireDataset(datasetId);
        StringBuilder b = new StringBuilder("# dataset=")
                .append(csv(d.name()))
                .append(" seed=")
                .append(d.splitSeed())
                .append(" train_percent=")
                .append(d.splitTrainPercent())
                .append(" split_by=")
                .append(d.splitBy())
                .append(" split_at=")
                .append(d.splitAt())
                .append('\n');
        b.append("patient,archive,replicate,sha256,tiles,side\n");
        store.archives(datasetId).stream()
                .filter(a -> a.splitSide() != null)
                .sorted(Comparator.comparing(Catalog::patientKey).thenComparing(Archive::fileName))
                .forEach(a -> b.append(csv(a.patient() == null ? "" : a.patient()))
                        .append(',')
                        .append(csv(a.fileName()))
                        .append(',')
                        .append(a.replicate() == null ? "" : a.replicate())
                        .append(',')
                        .append(a.sha256())
                        .append(',')
                        .append(a.tilesTotal())
                        .append(',')
                        .append(a.splitSide())
                        .append('\n'));
        return b.toString();
    }

    /** {@link #splitCsv} for a person downloading it: recorded in the activity trail as an export. */
    public String exportSplitCsv(long datasetId, String by) {
        String csv = splitCsv(datasetId);
        events.publishEvent(Activity.of(
                by,
                "exported",
                ActivitySubject.DATASET,
                datasetId,
                "Exported the split of dataset '" + requireDataset(datasetId).name() + "' as CSV",
                "/datasets/" + datasetId));
        return csv;
    }

    private static String csv(String s) {
        return s.matches("[^,\"\\n\\r]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** Patients of a dataset with their archives, in order. */
    public Map<String, List<Archive>> patients(long datasetId) {
        Map<String, List<Archive>> m = new LinkedHashMap<>();
        store.archives(datasetId).stream()
                .sorted(Comparator.comparing(Catalog::patientKey))
                .forEach(a ->
                        m.computeIfAbsent(patientKey(a), k -> new ArrayList<>()).add(a));
        return m;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** A dataset, archive or tile that does not exist (404). */
    static final class NotFound extends org.springframework.web.server.ResponseStatusException {
        NotFound(String message) {
            super(org.springframework.http.HttpStatus.NOT_FOUND, message);
        }
    }

    // reads for the module's own pages: its controllers reach the store only through the facade

    Optional<Archive> findArchive(long id) {
        return store.findArchive(id);
    }

    // ---- role rules: the facade's, not the controllers' (issue 20) ---------------------------------

    /** A dataset's page and its tiles' pages: a deleted dataset opens for admins only (with its "deleted" banner). */
    Dataset visibleDataset(long id, org.springframework.security.core.Authentication auth) {
        return datasetEvenDeleted(id)
                .filter(d -> !d.deleted() || Roles.has(auth, "ADMIN"))
                .orElseThrow(() -> new NotFound("No dataset with id " + id + "."));
    }

    /** Deleting a dataset, its confirmation page included, needs the member role. */
    void checkMayDelete(org.springframework.security.core.Authentication auth) {
        if (!Roles.has(auth, "MEMBER")) {
            throw new org.springframework.security.access.AccessDeniedException("Deleting needs the member role.");
        }
    }
}
