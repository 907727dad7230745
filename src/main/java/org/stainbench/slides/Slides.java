package org.stainbench.slides;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.artifacts.ArtifactCache;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.artifacts.StoredFiles;
import org.stainbench.catalog.Catalog;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobRequest;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.shell.ServerPaths;
import org.stainbench.slides.tiling.FilterSettings;
import org.stainbench.slides.tiling.Regions;
import org.stainbench.slides.tiling.TileGrid;
import org.stainbench.tiles.RgbTile;
import org.stainbench.tiles.Thumbnails;

/**
 * The slides module's service: registers slides (upload or server path under the allowed roots), imports
 * annotations, and queues tilings ({@code tile-slide} jobs) whose archives go into a catalog dataset.
 */
@Service
public class Slides {

    static final String JOB_TYPE = "tile-slide";
    static final int THUMB_SIDE = 1024;

    /** What a tiling should do; null fields take the defaults (level 0, 1024 px, no overlap, the lab's thresholds). */
    public record TilingRequest(
            long datasetId,
            Integer level,
            Double magnification,
            Integer tileSize,
            Integer overlap,
            Double minLaplacian,
            Double minSaturated,
            Double maxWhite,
            boolean colourCast,
            boolean excludeOutside,
            boolean plain) {}

    /** A slide or tiling that does not exist: 404. */
    public static final class NotFound extends org.springframework.web.server.ResponseStatusException {
        NotFound(String message) {
            super(org.springframework.http.HttpStatus.NOT_FOUND, message);
        }
    }

    private final SlideStore store;
    private final Catalog catalog;
    private final JobQueue jobs;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final Path root;
    private final List<Path> allowedRoots;
    private final ApplicationEventPublisher events;
    private final ArtifactStore artifacts;
    private final ArtifactCache cache;

    Slides(
            SlideStore store,
            Catalog catalog,
            JobQueue jobs,
            Clock clock,
            TransactionTemplate tx,
            @Value("${stainbench.artifacts.root}") Path artifacts,
            @Value("${stainbench.slides.allowed-roots:${stainbench.catalog.allowed-roots:}}") String allowedRoots,
            ApplicationEventPublisher events,
            ArtifactStore artifactStore,
            ArtifactCache cache) {
        this.events = events;
        this.artifacts = artifactStore;
        this.cache = cache;
        this.store = store;
        this.catalog = catalog;
        this.jobs = jobs;
        this.clock = clock;
        this.tx = tx;
        this.root = artifacts.resolve("slides");
        this.allowedRoots = Arrays.stream(allowedRoots.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Path::of)
                .toList();
    }

    List<Path> allowedRoots() {
        return allowedRoots;
    }

    Path root() {
        return root;
    }

    public Optional<Slide> slide(long id) {
        return store.findSlide(id);
    }

    Slide requireSlide(long id) {
        return store.findSlide(id).orElseThrow(() -> new NotFound("No slide with id " + id + "."));
    }

    public long count() {
        return store.countSlides();
    }

    public List<Slide> slides(int offset, int limit) {
        return store.slides(offset, limit);
    }

    public List<Tiling> tilings(long slideId) {
        return store.tilings(slideId);
    }

    public Optional<Tiling> tiling(long id) {
        return store.findTiling(id);
    }

    public List<SlideTile> tiles(long tilingId) {
        return store.tiles(tilingId);
    }

    List<Regions.Polygon> regions(long slideId) {
        return store.regions(slideId);
    }

    /** Registers a slide already on the server, read in place; only under the allowed roots. */
    public Slide registerPath(String path, String label, String by) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("Give the slide's path on the server.");
        }
        SlideLabel l = SlideLabel.parse(label);
        Path file = allowedFile(path.trim());
        return registered(register(file.getFileName().toString(), "PATH", file, null, l, by), by);
    }

    private Slide registered(Slide s, String by) {
        events.publishEvent(Activity.of(
                by,
                "registered",
                ActivitySubject.SLIDE,
                s.id(),
                "Registered slide '" + s.name() + "'",
                "/slides/" + s.id()));
        return s;
    }

    /**
     * Registers an uploaded slide: received into a local file under the artifact folder, opened there with OpenSlide
     * (which reads a path), then kept on the artifact store at {@code slides/uploads/<uuid>-<name>} (on the local
     * store the received file already is that object). Nothing is kept — no object, no row — if any step fails.
     */
    public Slide registerUpload(String fileName, InputStream content, String label, String by) {
        String name = SlideNames.clean(fileName);
        SlideLabel l = SlideLabel.parse(label);
        Path dir = root.resolve("uploads");
        String objectName = UUID.randomUUID() + "-" + name;
        Path file = dir.resolve(objectName);
        try {
            Files.createDirectories(dir);
            Files.copy(content, file, StandardCopyOption.REPLACE_EXISTING);
            if (Files.size(file) == 0) {
                throw new IllegalArgumentException("'" + name + "' is empty.");
            }
            return registered(register(name, "UPLOAD", file, UPLOADS + objectName, l, by), by);
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException("The upload of '" + name + "' broke off: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** Key prefix of uploaded slides on the artifact store. */
    static final String UPLOADS = "slides/uploads/";

    /**
     * Reads the slide's levels and thumbnail, keeps an upload on the artifact store ({@code key}; null for a
     * server-path slide, read in place), then records the slide. When recording fails, the kept object goes.
     */
    private Slide register(String name, String source, Path file, String key, SlideLabel label, String by) {
        List<String> levels = new ArrayList<>();
        RgbTile thumb;
        String vendor;
        long width;
        long height;
        Double mppX;
        Double mppY;
        Double power;
        long size;
        try (OpenSlide s = OpenSlide.open(file)) {
            for (OpenSlide.Level lv : s.levels()) {
                levels.add(lv.width() + "×" + lv.height() + "@" + String.format(Locale.ROOT, "%.4g", lv.downsample()));
            }
            thumb = thumbnail(s);
            size = Files.size(file);
            vendor = s.vendor();
            width = s.width();
            height = s.height();
            mppX = s.mppX();
            mppY = s.mppY();
            power = s.objectivePower();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String path = file.toString();
        if (key != null) {
            try {
                StoredFiles.keep(artifacts, file, key);
            } catch (IOException e) {
                throw new UncheckedIOException("The slide could not be stored: " + e.getMessage(), e);
            }
            path = StoredFiles.location(artifacts, key);
        }
        String p = path;
        long id;
        try {
            id = tx.execute(st -> store.insertSlide(
                    name,
                    source,
                    p,
                    size,
                    vendor,
                    width,
                    height,
                    String.join("; ", levels),
                    mppX,
                    mppY,
                    power,
                    label,
                    SlideNames.parse(name),
                    by,
                    clock.instant()));
        } catch (RuntimeException e) {
            if (key != null) { // no row refers to the object: it goes too
                StoredFiles.deleteQuietly(artifacts, key);
            }
            throw e;
        }
        if (thumb != null) {
            try {
                artifacts.put(thumbKey(id), Png.encode(thumb));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            store.setThumb(id, thumb.width(), thumb.height());
        }
        return requireSlide(id);
    }

    /**
     * A local file with the slide, for OpenSlide (which opens a path): an uploaded slide from the artifact store (its
     * own file on the local store, a copy in the local cache on a bucket), a server-path slide in place. Open it
     * right away: a cached copy may be evicted later.
     */
    Path localFile(Slide s) throws IOException {
        return "UPLOAD".equals(s.source()) ? cache.localFile(uploadKey(s)) : Path.of(s.path());
    }

    /**
     * The artifact store key of an uploaded slide, from its recorded location (an absolute path under the artifact
     * folder before the store existed, {@code s3://…} or the folder's file since): {@code slides/uploads/<name>}.
     */
    static String uploadKey(Slide s) {
        return UPLOADS + StoredFiles.lastPart(s.path());
    }

    /** The slide's thumbnail PNG, or empty when it has none. */
    Optional<byte[]> thumbnail(long slideId) throws IOException {
        String key = thumbKey(slideId);
        if (!artifacts.exists(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(cache.read(key));
        } catch (java.nio.file.NoSuchFileException gone) {
            return Optional.empty();
        }
    }

    /**
     * The coarsest level whose longer side still has at least 1024 px (else the finest level), scaled to 1024 px
     * by area averaging; OpenSlide's associated thumbnail when that level is over 64 M pixels.
     */
    static RgbTile thumbnail(OpenSlide s) {
        int pick = 0;
        for (int i = s.levels().size() - 1; i >= 0; i--) {
            OpenSlide.Level l = s.levels().get(i);
            if (Math.max(l.width(), l.height()) >= THUMB_SIDE) {
                pick = i;
                break;
            }
        }
        OpenSlide.Level l = s.levels().get(pick);
        if (l.width() * l.height() <= SlideTiler.Options.MAX_MASK_PIXELS) {
            return Thumbnails.thumbnail(SlideTiler.readLevel(s, pick), THUMB_SIDE);
        }
        if (s.associatedImages().contains("thumbnail")) {
            return Thumbnails.thumbnail(s.associatedImage("thumbnail"), THUMB_SIDE);
        }
        return null;
    }

    /** The artifact store key of a slide's thumbnail (the artifact folder's file before the store existed). */
    static String thumbKey(long slideId) {
        return "slides/" + slideId + "/thumbnail.png";
    }

    public void setLabel(long slideId, String label, String by) {
        Slide s = requireSlide(slideId);
        store.setLabel(slideId, SlideLabel.parse(label));
        events.publishEvent(Activity.of(
                by,
                "edited",
                ActivitySubject.SLIDE,
                slideId,
                "Labelled slide '" + s.name() + "' " + (label == null || label.isBlank() ? "(none)" : label),
                "/slides/" + slideId));
    }

    /** Replaces the slide's annotations with the polygons of a QuPath GeoJSON export; returns how many. */
    public int importAnnotations(long slideId, String geojson, String by) {
        Slide s = requireSlide(slideId);
        List<Regions.Polygon> polygons = GeoJson.parse(geojson);
        tx.executeWithoutResult(st -> store.replaceRegions(slideId, polygons));
        events.publishEvent(Activity.of(
                by,
                "edited",
                ActivitySubject.SLIDE,
                slideId,
                "Imported " + polygons.size() + " annotation polygons into slide '" + s.name() + "'",
                "/slides/" + slideId));
        return polygons.size();
    }

    /** Validates the request and queues a {@code tile-slide} job; returns the tiling's id. */
    public long startTiling(long slideId, TilingRequest r, String by) {
        Slide s = requireSlide(slideId);
        if (catalog.dataset(r.datasetId()).isEmpty()) {
            throw new IllegalArgumentException("Choose the dataset that receives the tiles.");
        }
        // a slide's tiles are real tiles, of the receiving dataset's size (the catalog refuses others at ingest)
        var receiving = catalog.requireReal(r.datasetId(), "the dataset that receives a slide's tiles");
        if (r.tileSize() != null && r.tileSize() != receiving.tileSize()) {
            throw new IllegalArgumentException("Dataset '" + receiving.name() + "' holds " + receiving.tileSize()
                    + " px tiles; tile the slide at " + receiving.tileSize() + " px or choose a dataset of "
                    + r.tileSize() + " px tiles.");
        }
        int level = r.level() == null ? (r.magnification() == null ? 0 : -1) : r.level();
        if (level < -1 || level >= s.levelCount()) {
            throw new IllegalArgumentException("'" + s.name() + "' has levels 0–" + (s.levelCount() - 1) + ".");
        }
        if (r.magnification() != null && !(r.magnification() > 0)) {
            throw new IllegalArgumentException("The magnification must be positive.");
        }
        int size = r.tileSize() == null ? receiving.tileSize() : r.tileSize();
        int overlap = r.overlap() == null ? 0 : r.overlap();
        TileGrid.of(size, size, size, overlap);
        FilterSettings f = new FilterSettings(
                r.minLaplacian() == null ? FilterSettings.LAB.minLaplacianVariance() : r.minLaplacian(),
                r.minSaturated() == null ? FilterSettings.LAB.minSaturatedFraction() : r.minSaturated(),
                r.maxWhite() == null ? FilterSettings.LAB.maxWhiteFraction() : r.maxWhite(),
                r.colourCast(),
                FilterSettings.LAB.maxColourCast());
        if (r.excludeOutside() && store.regions(slideId).isEmpty()) {
            throw new IllegalArgumentException(
                    "The slide has no annotations: import a GeoJSON before excluding tiles outside them.");
        }
        long id = store.insertTiling(
                slideId,
                r.datasetId(),
                level,
                level == -1 ? r.magnification() : null,
                size,
                overlap,
                f.minLaplacianVariance(),
                f.minSaturatedFraction(),
                f.maxWhiteFraction(),
                r.colourCast(),
                r.excludeOutside(),
                r.plain(),
                by,
                clock.instant());
        long job = jobs.submit(
                JobRequest.embedded(JOB_TYPE, "Tile " + s.name(), Map.of("tilingId", Long.toString(id)), by));
        store.setJob(id, job);
        events.publishEvent(Activity.of(
                by,
                "launched",
                ActivitySubject.SLIDE,
                slideId,
                "Launched tiling " + id + " of slide " + slideId + " into dataset " + r.datasetId(),
                "/slides/" + slideId + "?tiling=" + id));
        return id;
    }

    /** The tile browser's page of row {@code row} of a tiling's archive, once the catalog has indexed it. */
    public Optional<String> tileHref(long tilingId, int row) {
        return store.findTiling(tilingId)
                .filter(t -> t.archiveId() != null)
                .flatMap(t -> catalog.tileId(t.archiveId(), row))
                .map(id -> "/tiles/" + id);
    }

    Path allowedFile(String path) {
        return ServerPaths.inside(
                path,
                allowedRoots,
                false,
                "slide file",
                "Registering slides by server path is off: no"
                        + " allowed roots are configured (stainbench.slides.allowed-roots, default stainbench.catalog.allowed-roots).");
    }

    static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** PNG encoding of an RGB tile. */
    static final class Png {
        private Png() {}

        static byte[] encode(RgbTile t) throws IOException {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(
                    t.width(), t.height(), java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
            byte[] dst = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
            byte[] src = t.rgb();
            for (int i = 0; i < src.length; i += 3) {
                dst[i] = src[i + 2];
                dst[i + 1] = src[i + 1];
                dst[i + 2] = src[i];
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        }
    }
}
