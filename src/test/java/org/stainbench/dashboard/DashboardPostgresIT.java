package org.stainbench.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.jobs.CommandJob;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobState;
import org.stainbench.jobs.JobUsage;
import org.stainbench.jobs.Resources;
import org.stainbench.shell.SearchSource;
import org.stainbench.support.PostgresTest;
import org.stainbench.tiles.SyntheticTiles;

/** The search and dashboard SQL on a real PostgreSQL: every search source (escaped wildcards, patient ids), job reads, the view. */
// a small pool, closed after the class: the shared PostgreSQL has few connection slots for the cached test contexts
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=4")
@ActiveProfiles("test")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@PostgresTest
class DashboardPostgresIT {

    @Autowired
    List<SearchSource> sources;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Evaluations evaluations;

    @Autowired
    JobQueue queue;

    @Autowired
    JobUsage usage;

    @Autowired
    Dashboard dashboard;

    List<SearchSource.Hit> search(String kind, String q) {
        return sources.stream()
                .filter(s -> s.kind().equals(kind))
                .findFirst()
                .orElseThrow()
                .search(q, 10);
    }

    @Test
    void searchSourcesJobReadsAndTheViewRunOnPostgres(@TempDir Path tmp) throws Exception {
        Map<String, Long> kinds =
                sources.stream().collect(Collectors.groupingBy(SearchSource::kind, Collectors.counting()));
        assertThat(kinds).containsKeys("datasets", "archives", "checkpoints", "runs", "evaluations");

        long dataset =
                catalog.createDataset("PG Search Set", Stain.IHC, "CK7", "pg-cohort", 64, "pg description", "test");
        Path f = GeneratedFixtures.archive(tmp, "ihc_5550001_1.npz", SyntheticTiles.Stain.CK7, 3, 64, 9);
        Archive a;
        try (InputStream in = Files.newInputStream(f)) {
            a = catalog.registerUpload(dataset, "ihc_5550001_1.npz", in, "test");
        }
        GeneratedFixtures.await(
                "ingest", () -> catalog.archive(a.id()).orElseThrow().status() == ArchiveStatus.READY);
        Checkpoint under = checkpoints.register(
                new Checkpoints.NewCheckpoint(
                        "pg_under", null, "none", null, null, null, null, null, null, "a note", "pg-tag"),
                null,
                null,
                null,
                "test");
        checkpoints.register(
                new Checkpoints.NewCheckpoint("pgXunder", null, "none", null, null, null, null, null, null, null, null),
                null,
                null,
                null,
                "test");
        Evaluation e;
        try (InputStream in =
                Files.newInputStream(Path.of("..", "shared", "data", "lab", "quantitative_results.xlsx"))) {
            e = evaluations.importSheet("pg sheet.xlsx", in, "test");
        }

        assertThat(search("datasets", "PG SEARCH"))
                .extracting(SearchSource.Hit::href)
                .containsExactly("/datasets/" + dataset);
        assertThat(search("datasets", "5550001"))
                .extracting(SearchSource.Hit::href)
                .containsExactly("/datasets/" + dataset);
        assertThat(search("archives", "5550001"))
                .extracting(SearchSource.Hit::href)
                .containsExactly("/datasets/" + dataset + "/tiles?archive=" + a.id());
        assertThat(search("checkpoints", "pg_under"))
                .extracting(SearchSource.Hit::href)
                .containsExactly(under.href());
        assertThat(search("checkpoints", "PG-TAG"))
                .extracting(SearchSource.Hit::href)
                .containsExactly(under.href());
        assertThat(search("checkpoints", "%")).isEmpty();
        assertThat(search("runs", "pg' or '1'='1")).isEmpty();
        assertThat(search("evaluations", "pg sheet"))
                .extracting(SearchSource.Hit::href)
                .containsExactly(e.href());

        long job = queue.submitCommand(
                CommandJob.shell("pg gpu", "true", new Resources(4, 1, 1, 1, Duration.ofMinutes(1)), "test"));
        assertThat(usage.active(10)).extracting(s -> s.id()).contains(job);
        assertThat(usage.count(JobState.QUEUED)).isGreaterThanOrEqualTo(1);
        assertThat(usage.gpuSpans(Instant.now().minus(Duration.ofDays(7)), Instant.now()))
                .isEmpty();
        assertThat(usage.nodes()).isEmpty();
        queue.cancel(job, "test");

        // the imported sheet has no real dataset: its own group, best by FID
        Dashboard.View v = dashboard.view(null);
        assertThat(v.standings()).extracting(Standings.Standing::target).containsExactly(Dashboard.NO_TARGET);
        assertThat(v.standings().get(0).best().evaluationId()).isEqualTo(e.id());
    }
}
