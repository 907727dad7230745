package org.stainbench.checkpoints;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.support.Waits;
import org.stainbench.tiles.SyntheticTiles;

/** Test data for checkpoints and galleries: small synthetic source datasets, baselines applied, waiting for it all. */
public final class GeneratedFixtures {

    private GeneratedFixtures() {}

    public static Path archive(Path dir, String name, SyntheticTiles.Stain stain, int tiles, int size, long seed) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                SyntheticTiles.writeLabArchive(out, stain, tiles, size, seed, 0.2, 0.25, false);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A dataset of the given archives (uploaded), waiting until they are ingested. */
    public static long dataset(
            Catalog catalog, String name, Stain stain, Path dir, List<String> names, int tiles, int size, long seed) {
        long id = catalog.createDataset(name, stain, stain == Stain.IHC ? "CK7" : null, "test", size, null, "test");
        int i = 0;
        for (String n : names) {
            Path f = archive(
                    dir,
                    n,
                    stain == Stain.HE ? SyntheticTiles.Stain.HE : SyntheticTiles.Stain.CK7,
                    tiles,
                    size,
                    seed + i++);
            try (InputStream in = Files.newInputStream(f)) {
                catalog.registerUpload(id, n, in, "test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        await("ingest of " + name, () -> catalog.archives(id).stream()
                .allMatch(a -> a.status() == ArchiveStatus.READY));
        return id;
    }

    /** Waits until every generated set of the checkpoint is READY, its archives ingested and measured. */
    public static void awaitGenerated(Checkpoints checkpoints, Catalog catalog, long checkpointId) {
        await("generated sets of checkpoint " + checkpointId, () -> {
            List<GeneratedSet> sets = checkpoints.sets(checkpointId);
            if (sets.isEmpty()) {
                return false;
            }
            for (GeneratedSet s : sets) {
                if (Checkpoints.FAILED.equals(s.status())) {
                    throw new AssertionError("generated set failed: " + s.report());
                }
                if (!Checkpoints.READY.equals(s.status())) {
                    return false;
                }
                for (GeneratedArchive g : checkpoints.archives(s.id())) {
                    Archive a = catalog.archive(g.archiveId()).orElseThrow();
                    if (a.status() == ArchiveStatus.FAILED) {
                        throw new AssertionError("ingest failed: " + a.error());
                    }
                    if (a.status() != ArchiveStatus.READY || checkpoints.measuredTiles(g.archiveId()) != g.rows()) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    public static void await(String what, BooleanSupplier done) {
        Waits.upTo(Duration.ofSeconds(240), what).until(done::getAsBoolean);
    }
}
