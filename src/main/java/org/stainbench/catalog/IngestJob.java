package org.stainbench.catalog;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.stainbench.jobs.JobContext;
import org.stainbench.jobs.JobHandler;
import org.stainbench.tiles.NpyFormatException;
import org.stainbench.tiles.TileArrayHeader;

/**
 * The "ingest" job: one streaming pass over an archive (see {@link IngestPipeline}), then the tile index
 * and the READY status in one transaction. Re-runnable from the start: a previous attempt's tiles and files
 * are removed first. A failure removes what this attempt wrote and leaves the archive FAILED with the reason.
 */
@Component
class IngestJob implements JobHandler {

    private final CatalogStore store;
    private final CatalogFiles files;
    private final CatalogProperties properties;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    IngestJob(
            CatalogStore store,
            CatalogFiles files,
            CatalogProperties properties,
            TransactionTemplate tx,
            ApplicationEventPublisher events,
            Clock clock) {
        this.store = store;
        this.files = files;
        this.properties = properties;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    /** Queued by the platform whenever an archive is registered, not launched by a user. */
    @Override
    public boolean automatic() {
        return true;
    }

    @Override
    public String type() {
        return Catalog.INGEST;
    }

    @Override
    public void run(JobContext context) throws Exception {
        long archiveId = Long.parseLong(context.params().get("archiveId"));
        Archive archive = store.findArchive(archiveId).orElse(null);
        if (archive == null) {
            context.log("archive " + archiveId + " no longer exists; nothing to do");
            return;
        }
        if (archive.status() == ArchiveStatus.READY) {
            context.log(archive.fileName() + " is already ingested");
            return;
        }
        tx.executeWithoutResult(s -> {
            store.deleteTiles(archiveId);
            store.startIngest(archiveId, clock.instant());
        });
        files.deleteOutput(archiveId);
        Path out = files.ingestFolder(archiveId);
        context.log(
                "ingesting " + archive.fileName() + " (" + archive.sizeBytes() + " bytes, sha256 " + archive.sha256()
                        + ") from " + archive.sourcePath() + " with " + properties.ingestThreads() + " threads");
        AtomicLong lastWrite = new AtomicLong();
        Dataset dataset = store.findDataset(archive.datasetId()).orElse(null);
        long t0 = System.nanoTime();
        IngestPipeline.Result result;
        try (InputStream in = new BufferedInputStream(files.openSource(archive), 1 << 20)) {
            result = IngestPipeline.run(
                    in,
                    out,
                    properties.limits().forArchive(files.sourceSize(archive)),
                    properties.ingestThreads(),
                    new IngestPipeline.Listener() {
                        @Override
                        public void header(TileArrayHeader h) {
                            if (dataset != null && h.width() > 0) {
                                requireTileSize(dataset, h.width(), h.height());
                            }
                            store.ingestHeader(archiveId, h.count(), h.layout());
                            context.log("tile array '" + h.key() + "': " + h.layout() + ", " + h.count() + " tiles");
                            context.progress(0, h.count(), "tiles");
                        }

                        @Override
                        public void progress(int done, int total) {
                            context.progress(done, total, "tiles");
                            long now = System.nanoTime();
                            long last = lastWrite.get();
                            if ((now - last > 500_000_000L || done == total) && lastWrite.compareAndSet(last, now)) {
                                store.ingestProgress(archiveId, done);
                            }
                        }

                        @Override
                        public boolean cancelled() {
                            return context.isCancelled();
                        }
                    });
        } catch (IngestPipeline.Cancelled e) {
            fail(archiveId, "The ingest was cancelled.");
            context.log("cancelled");
            return;
        } catch (NoSuchFileException e) {
            fail(archiveId, "The archive file is gone: " + e.getMessage());
            throw e;
        } catch (NpyFormatException e) {
            // a damaged compressed entry can inflate to garbage the decoder refuses before its CRC is checked
            String reason = damage(archive).map(ArchiveDamage::reason).orElse(e.getMessage());
            fail(archiveId, reason);
            throw new IllegalArgumentException("'" + archive.fileName() + "' cannot be used: " + reason, e);
        } catch (Exception | Error e) {
            java.util.Optional<String> damage = damage(archive);
            if (damage.isPresent()) {
                String reason = ArchiveDamage.reason(damage.get());
                fail(archiveId, reason);
                throw new IllegalArgumentException("'" + archive.fileName() + "' cannot be used: " + reason, e);
            }
            fail(archiveId, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            throw e;
        }
        if (dataset != null) {
            try {
                requireTileSize(dataset, result.width(), result.height());
            } catch (NpyFormatException e) {
                fail(archiveId, e.getMessage());
                throw new IllegalArgumentException("'" + archive.fileName() + "' cannot be used: " + e.getMessage(), e);
            }
        }
        try {
            files.publish(archiveId, out, List.of(IngestPipeline.TILES_FILE, IngestPipeline.THUMBS_FILE));
        } catch (Exception e) {
            fail(archiveId, "The ingest's output could not be stored: " + e.getMessage());
            throw e;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        tx.executeWithoutResult(s -> {
            store.insertTiles(archiveId, archive.datasetId(), result.tiles());
            store.ready(
                    archiveId,
                    result.tiles().size(),
                    result.width(),
                    result.height(),
                    result.header().layout(),
                    clock.instant());
        });
        long informative =
                result.tiles().stream().filter(t -> t.measures().informative()).count();
        context.log(String.format(
                Locale.ROOT,
                "%d tiles of %d x %d in %.1f s (%.1f tiles/s); %d informative",
                result.tiles().size(),
                result.width(),
                result.height(),
                seconds,
                result.tiles().size() / seconds,
                informative));
        events.publishEvent(new ArchiveIngested(
                archive.datasetId(), archiveId, result.tiles().size()));
    }

    /** What is damaged in the archive's zip (read as a local file, materialised from the store if need be). */
    private java.util.Optional<String> damage(Archive archive) {
        try {
            return ArchiveDamage.find(files.sourceFile(archive));
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }

    /** Tiles of the dataset's size only: refused with the reason otherwise. */
    static void requireTileSize(Dataset d, int width, int height) {
        if (width != d.tileSize() || height != d.tileSize()) {
            throw new NpyFormatException("its tiles are " + width + " × " + height + " px, but dataset '" + d.name()
                    + "' holds " + d.tileSize() + " px tiles");
        }
    }

    private void fail(long archiveId, String message) {
        tx.executeWithoutResult(s -> {
            store.deleteTiles(archiveId);
            store.failed(archiveId, message);
        });
        files.deleteOutput(archiveId);
    }
}
