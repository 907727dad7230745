package org.stainbench.evaluation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.artifacts.ArtifactCache;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.artifacts.StoredFiles;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.evaluation.features.OnnxFeatureExtractor;
import org.stainbench.evaluation.metrics.Features;
import org.stainbench.evaluation.preprocess.Preprocessing;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.shell.Names;
import org.stainbench.shell.ServerPaths;
import org.stainbench.shell.Sha256;
import org.stainbench.tiles.Npy;
import org.stainbench.tiles.NpyFormatException;

/**
 * Feature extractors and the feature cache. An extractor is an ONNX file — uploaded (streamed to the artifact
 * store while its sha256 is computed) or read in place from a server path under the allowed roots — with its
 * declared preprocessing and output dimension; registration loads the model and runs one input through it, so a
 * file that does not load or whose output does not have the declared size is refused and nothing is kept.
 * Features computed elsewhere are uploaded as {@code .npy} (N x d, float32 or float64) with the N tile ids.
 */
@Service
public class Extractors {

    static final String FULL = "full";

    private final EvaluationStore store;
    private final Catalog catalog;
    private final CatalogTiles tiles;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Path root;
    private final ArtifactStore artifacts;
    private final ArtifactCache cache;

    Extractors(
            EvaluationStore store,
            @org.springframework.context.annotation.Lazy Catalog catalog,
            CatalogTiles tiles,
            TransactionTemplate tx,
            ApplicationEventPublisher events,
            Clock clock,
            @Value("${stainbench.artifacts.root}") Path artifacts,
            ArtifactStore artifactStore,
            ArtifactCache cache) {
        this.artifacts = artifactStore;
        this.cache = cache;
        this.store = store;
        this.catalog = catalog;
        this.tiles = tiles;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
        this.root = artifacts.resolve("extractors");
    }

    /** The declared form of a new extractor. */
    public record NewExtractor(
            String name,
            Integer inputHeight,
            Integer inputWidth,
            ResizeFilter filter,
            Double scale,
            Double offset,
            double[] mean,
            double[] std,
            Integer outputDim) {}

    public List<Extractor> all() {
        return store.extractors();
    }

    public Optional<Extractor> find(long id) {
        return store.findExtractor(id);
    }

    public long cachedFeatures(long extractorId) {
        return store.countFeatures(extractorId);
    }

    /** Name of the demo project's extractor (a tiny random-weight network: numbers for the demo, not FID). */
    public static final String DEMO_NAME = "demo: random 8-d conv (not FID Inception)";

    /**
     * The demo project's feature extractor, registered on first use from the jar (random weights,
     * {@code src/test/python/evaluation_fixtures.py} writes it): lets the demo's evaluations run anywhere; its
     * numbers are not comparable with published FID.
     */
    public synchronized Extractor demo(String by) {
        return store.extractors().stream()
                .filter(e -> e.name().equals(DEMO_NAME))
                .findFirst()
                .orElseGet(() -> {
                    try (InputStream in = Extractors.class.getResourceAsStream("/demo/random8.onnx")) {
                        return register(
                                new NewExtractor(
                                        DEMO_NAME,
                                        16,
                                        16,
                                        ResizeFilter.BILINEAR_ANTIALIAS,
                                        1.0 / 255,
                                        0.0,
                                        new double[] {0.5, 0.5, 0.5},
                                        new double[] {0.25, 0.25, 0.25},
                                        8),
                                "random8.onnx",
                                in,
                                null,
                                by);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Registers an uploaded ONNX file, or the file at {@code serverPath} (exactly one of the two). */
    public Extractor register(NewExtractor f, String uploadName, InputStream upload, String serverPath, String by) {
        String name = f.name() == null ? "" : f.name().trim();
        if (name.isEmpty() || name.length() > 200) {
            throw new IllegalArgumentException("Give the extractor a name of 1–200 characters.");
        }
        Names.check("The extractor name", f.name());
        if (store.extractorNameTaken(name)) {
            throw new IllegalArgumentException("An extractor named '" + name + "' already exists.");
        }
        if (f.inputHeight() == null
                || f.inputWidth() == null
                || f.inputHeight() < 8
                || f.inputWidth() < 8
                || f.inputHeight() > 4096
                || f.inputWidth() > 4096) {
            throw new IllegalArgumentException("The input size must be between 8 and 4096 pixels per side.");
        }
        if (f.outputDim() == null || f.outputDim() < 1 || f.outputDim() > 65536) {
            throw new IllegalArgumentException("Give the output dimension (1–65536), e.g. 2048 for FID Inception.");
        }
        Preprocessing pre = new Preprocessing(
                f.inputHeight(),
                f.inputWidth(),
                f.filter(),
                f.scale() == null ? Double.NaN : f.scale(),
                f.offset() == null ? 0 : f.offset(),
                f.mean(),
                f.std());
        boolean hasUpload = upload != null && uploadName != null && !uploadName.isBlank();
        boolean hasPath = serverPath != null && !serverPath.isBlank();
        if (hasUpload == hasPath) {
            throw new IllegalArgumentException("Upload the ONNX file or give its path on the server (one of the two).");
        }
        Path file;
        String location = null;
        String sha;
        long size;
        String source;
        String fileName;
        Path received = null;
        String newKey = null;
        try {
            if (hasUpload) {
                fileName = Path.of(uploadName.replace('\\', '/')).getFileName().toString();
                Files.createDirectories(root);
                received = root.resolve(UUID.randomUUID() + ".part");
                Sha256.Copied c = Sha256.copy(upload, received);
                size = c.size();
                sha = c.sha256();
                file = received;
                source = "UPLOAD";
            } else {
                file = allowedFile(serverPath.trim());
                fileName = file.getFileName().toString();
                sha = Sha256.of(file);
                size = Files.size(file);
                source = "PATH";
            }
            if (size == 0) {
                throw new IllegalArgumentException("'" + fileName + "' is empty.");
            }
            int dim = probe(file, pre, fileName);
            if (dim != f.outputDim()) {
                throw new IllegalArgumentException("'" + fileName + "' gives " + dim
                        + " features per tile, not the declared " + f.outputDim() + ".");
            }
            if (received != null) {
                String key = modelKey(sha);
                newKey = artifacts.exists(key) ? null : key;
                StoredFiles.keep(artifacts, received, key);
                received = null;
                location = StoredFiles.location(artifacts, key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The model file could not be stored: " + e.getMessage(), e);
        } finally {
            if (received != null) {
                try {
                    Files.deleteIfExists(received);
                } catch (IOException e) {
                    // nothing refers to it
                }
            }
        }
        Extractor e = new Extractor(
                0,
                name,
                fileName,
                sha,
                size,
                source,
                location != null ? location : file.toString(),
                pre.height(),
                pre.width(),
                pre.filter(),
                pre.scale(),
                pre.offset(),
                pre.mean(),
                pre.std(),
                f.outputDim(),
                by,
                clock.instant());
        long id;
        try {
            id = store.insertExtractor(e);
        } catch (RuntimeException x) {
            if (newKey != null) { // no row refers to the model this upload stored: it goes too
                StoredFiles.deleteQuietly(artifacts, newKey);
            }
            throw x;
        }
        events.publishEvent(Activity.of(
                by,
                "registered",
                ActivitySubject.FEATURE_EXTRACTOR,
                id,
                "Registered feature extractor '" + name + "' (" + sha.substring(0, 12) + "…)",
                "/evaluations/extractors"));
        return store.findExtractor(id).orElseThrow();
    }

    /** Loads the model and runs one zero input through it; returns the features per tile. */
    static int probe(Path file, Preprocessing pre, String name) {
        try (OnnxFeatureExtractor x = new OnnxFeatureExtractor(file, pre)) {
            float[] out = x.run(new float[pre.valuesPerTile()], 1);
            return out.length;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "'" + name + "' cannot be used as an ONNX feature extractor with input 3 x " + pre.height() + " x "
                            + pre.width() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * The artifact store key of an uploaded model: {@code extractors/<sha256>.onnx}, the file the extractor folder
     * has held since before the store (so an existing folder and its migrated bucket both work).
     */
    static String modelKey(String sha256) {
        return "extractors/" + sha256 + ".onnx";
    }

    /**
     * A local file with the extractor's model, for ONNX Runtime (which opens a path): an uploaded model from the
     * artifact store (its own file on the local store, a copy in the local cache on a bucket), a server-path model in
     * place. Open it right away: a cached copy may be evicted later.
     */
    Path modelFile(Extractor e) throws IOException {
        return "UPLOAD".equals(e.source()) ? cache.localFile(modelKey(e.sha256())) : Path.of(e.path());
    }

    /** Opens the extractor's model, checking that the file still has its recorded hash. */
    OnnxFeatureExtractor open(Extractor e) throws IOException {
        OnnxFeatureExtractor x = new OnnxFeatureExtractor(modelFile(e), e.preprocessing());
        if (!x.sha256().equals(e.sha256())) {
            x.close();
            throw new IllegalStateException("The model file of '" + e.name() + "' changed: its sha256 is now "
                    + x.sha256().substring(0, 12) + "…, recorded " + e.shortSha() + "….");
        }
        return x;
    }

    /**
     * Stores features computed elsewhere for the given tiles (full-tile view): an .npy of N x d values (float32 or
     * float64; d = the extractor's output size) and N catalog tile ids, one per row, in order. Non-finite values,
     * a wrong shape or unknown tiles refuse the whole file. Returns the number of stored rows.
     */
    public int uploadFeatures(long extractorId, InputStream npy, String tileIdsText, String by) {
        Extractor e = find(extractorId)
                .orElseThrow(() -> new IllegalArgumentException("No extractor with id " + extractorId + "."));
        List<Long> ids = new ArrayList<>();
        for (String s : (tileIdsText == null ? "" : tileIdsText).split("[,\\s]+")) {
            if (!s.isBlank()) {
                try {
                    ids.add(Long.parseLong(s.trim()));
                } catch (NumberFormatException x) {
                    throw new IllegalArgumentException("'" + s + "' is not a tile id.");
                }
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("Give the tile ids the feature rows belong to, one per row.");
        }
        if (ids.stream().distinct().count() != ids.size()) {
            throw new IllegalArgumentException("The tile ids must be distinct.");
        }
        Npy.Matrix m;
        try {
            m = Npy.readMatrix(npy);
        } catch (NpyFormatException x) {
            throw new IllegalArgumentException("The features file is not a usable .npy: " + x.getMessage() + ".");
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        if (m.rows() != ids.size()) {
            throw new IllegalArgumentException(
                    "The features file has " + m.rows() + " rows but " + ids.size() + " tile ids were given.");
        }
        if (m.cols() != e.outputDim()) {
            throw new IllegalArgumentException(
                    "The features have " + m.cols() + " columns; '" + e.name() + "' gives " + e.outputDim() + ".");
        }
        // the finiteness check of the metric code: NaN or infinite features are refused with the row named
        Features.of("uploaded features", m.rows(), m.cols(), m.data());
        List<Long> missing =
                ids.stream().filter(id -> tiles.tile(id).isEmpty()).limit(5).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "No catalog tile with id " + missing.get(0) + (missing.size() > 1 ? " (and others)" : "") + ".");
        }
        Map<Long, float[]> vectors = new LinkedHashMap<>();
        for (int r = 0; r < m.rows(); r++) {
            float[] v = new float[m.cols()];
            for (int c = 0; c < m.cols(); c++) {
                v[c] = (float) m.get(r, c);
            }
            vectors.put(ids.get(r), v);
        }
        tx.executeWithoutResult(s -> store.putFeatures(extractorId, FULL, vectors, "UPLOADED"));
        events.publishEvent(Activity.of(
                by,
                "uploaded",
                ActivitySubject.FEATURES,
                extractorId,
                "Uploaded " + vectors.size() + " feature vectors for '" + e.name() + "'",
                "/evaluations/extractors"));
        return vectors.size();
    }

    private Path allowedFile(String path) {
        Path real = ServerPaths.inside(
                path,
                catalog.allowedRoots(),
                false,
                "file",
                "Server paths are off: no allowed roots are configured (stainbench.catalog.allowed-roots).");
        if (!real.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            throw new IllegalArgumentException("'" + path + "' is not an .onnx file.");
        }
        return real;
    }
}
