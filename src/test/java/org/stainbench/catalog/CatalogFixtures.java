package org.stainbench.catalog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobSummary;
import org.stainbench.support.Waits;
import org.stainbench.tiles.SyntheticTiles;

/** Synthetic archives in the lab's format, and waiting for ingest jobs. */
final class CatalogFixtures {

    private CatalogFixtures() {}

    static Path labArchive(Path dir, String name, SyntheticTiles.Stain stain, int tiles, int size, long seed) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                SyntheticTiles.writeLabArchive(out, stain, tiles, size, seed, 0.2, 0.2, true);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JobSummary await(JobQueue jobs, long jobId) {
        return Waits.jobFinished(jobs, jobId, Duration.ofSeconds(60));
    }

    static List<Path> filesUnder(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
