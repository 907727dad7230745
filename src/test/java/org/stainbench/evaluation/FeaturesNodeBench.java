package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Stain;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.evaluation.features.OnnxFeatureExtractor;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.jobs.AgentProcesses;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobSummary;
import org.stainbench.support.Waits;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CPU path of feature extraction on a node agent ({@code src/bench/node_features.sh}, issue 21): one real agent
 * process computes an evaluation's features ({@code bench.tiles} tiles of 256 px per side, full tile + one 128 px crop
 * each) with the demo's random-weight extractor (16 x 16 input: the figure is the path — download, decode, resize,
 * ONNX Runtime call, upload — not Inception's compute) and uploads them. Reported: the features command's own tiles/s
 * and views/s, the features job's wall time (agent start to finish, JVM start included), and as the reference the same
 * extraction in-process (what the server's evaluation job does with features-on=server). Not an *IT class: verify
 * does not run it. Figures: target/bench/features-node.md.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "stainbench.evaluation.features-on=node",
            "stainbench.jobs.heartbeat=1s",
            "stainbench.jobs.poll-wait=5s"
        })
@ActiveProfiles("test")
class FeaturesNodeBench {

    static final int TILES = Integer.getInteger("bench.tiles", 256);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @LocalServerPort
    int port;

    @Autowired
    Evaluations evaluations;

    @Autowired
    Extractors extractors;

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogTiles tiles;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Accounts accounts;

    @Autowired
    JobQueue jobs;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void featuresOnANodeAgentCpu() throws Exception {
        AgentProcesses agents = new AgentProcesses();
        try {
            int perArchive = TILES / 4;
            long real = GeneratedFixtures.dataset(
                    catalog,
                    "Bench CK7",
                    Stain.IHC,
                    dir.resolve("ck7"),
                    List.of("ihc_71_1.npz", "ihc_72_1.npz", "ihc_73_1.npz", "ihc_74_1.npz"),
                    perArchive,
                    256,
                    7);
            long he = GeneratedFixtures.dataset(
                    catalog,
                    "Bench H&E",
                    Stain.HE,
                    dir.resolve("he"),
                    List.of("he_81_1.npz", "he_82_1.npz", "he_83_1.npz", "he_84_1.npz"),
                    perArchive,
                    256,
                    8);
            Checkpoint c = checkpoints.createBaseline(
                    CheckpointKind.STAIN_REMAP, "bench remap", null, 1.0, 1.0, null, "bench");
            checkpoints.applyBaseline(c.id(), he, "bench");
            GeneratedFixtures.awaitGenerated(checkpoints, catalog, c.id());
            Path model = dir.resolve("random8.onnx");
            try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
                Files.copy(in, model);
            }
            Extractor x;
            try (InputStream in = Files.newInputStream(model)) {
                x = extractors.register(
                        new Extractors.NewExtractor(
                                "bench random8",
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
                        "bench");
            }
            accounts.createAccount("bench-member", Role.MEMBER, "Tulip-Quarry-4471");
            String token = accounts.issueNodeToken("bench-node", "admin");
            agents.start("http://127.0.0.1:" + port, token, dir.resolve("bench-node"), "bench-node", null);
            Evaluation e = evaluations.create(
                    "bench on a node",
                    real,
                    List.of(checkpoints.sets(c.id()).get(0).id()),
                    x.id(),
                    new Protocol(TILES, 4, 128, 1, List.of(0L), 5, 10, 16),
                    "bench-member");
            long job = Waits.upTo(Duration.ofSeconds(120), "the features job")
                    .until(() -> evaluations.featuresJob(e.id()).orElse(null), java.util.Objects::nonNull);
            String status = Waits.upTo(Duration.ofMinutes(15), "the evaluation")
                    .until(
                            () -> evaluations.find(e.id()).orElseThrow().status(),
                            s -> s.equals("DONE") || s.equals("FAILED"));
            String log = log(job, 1_000_000);
            assertThat(status).as(log).isEqualTo("DONE");
            // the command's JSON report, then the agent's closing line ("--- SUCCEEDED …")
            int from = log.lastIndexOf("{\n  \"provider\"");
            JsonNode report = JSON.readTree(log.substring(from, log.indexOf("\n}", from) + 2));
            JobSummary js = jobs.find(job).orElseThrow();
            double wall = Duration.between(js.startedAt(), js.finishedAt()).toMillis() / 1000.0;

            // the reference: the same extraction in-process, on the real side's tiles (what the server does)
            List<byte[]> pixels = new ArrayList<>();
            for (Archive a : catalog.archives(real)) {
                for (TileInfo t : tiles.tiles(a.id())) {
                    pixels.add(tiles.read(a.id(), t.index()).rgb());
                }
            }
            double local;
            try (OnnxFeatureExtractor onnx = new OnnxFeatureExtractor(model, x.preprocessing())) {
                onnx.extract(pixels.subList(0, 16), 256, 256, 16);
                long t0 = System.nanoTime();
                onnx.extract(pixels, 256, 256, 16);
                local = pixels.size() / ((System.nanoTime() - t0) / 1e9);
            }
            String machine = Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel() + ", load average "
                    + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            String md = "| date | commit | machine | tiles (views) | provider | features command tiles/s (views/s) "
                    + "| job wall time | in-process reference tiles/s |\n|---|---|---|---|---|---|---|---|\n"
                    + String.format(
                            java.util.Locale.ROOT,
                            "| %s | %s | %s | %d (%d) | %s | %.1f (%.1f) | %.1f s | %.1f |%n",
                            LocalDate.now(),
                            commit(),
                            machine,
                            report.get("tiles").asInt(),
                            report.get("views").asInt(),
                            report.get("provider").asString(),
                            report.get("tiles_per_second").asDouble(),
                            report.get("views_per_second").asDouble(),
                            wall,
                            local);
            Files.createDirectories(Path.of("target/bench"));
            Files.writeString(Path.of("target/bench/features-node.md"), md);
            System.out.println(md);
        } finally {
            agents.stopAll();
        }
    }

    static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst()
                .orElse("unknown CPU");
    }

    static String commit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            return new String(p.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    String log(long job, int max) {
        return AgentProcesses.log(context, job, max);
    }
}
