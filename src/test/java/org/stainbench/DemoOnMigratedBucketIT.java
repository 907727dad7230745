package org.stainbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.artifacts.MigrateArtifactsCommand;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.DemoDatasets;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Extractors;
import org.stainbench.evaluation.Protocol;
import org.stainbench.support.S3Server;
import org.stainbench.support.Waits;

/**
 * Issue 21's acceptance, in one run: the demo project is loaded into a local artifact folder (the application on the
 * local store, an H2 database in a file), with its baselines' generated sets and one evaluation; the application
 * stops; {@code migrate-artifacts} copies the folder into a bucket of a real S3 API server (s3proxy); the application
 * starts again on the bucket (store=s3, the same database, an empty local folder) and shows the same datasets (names,
 * tile counts), the same gallery with byte-identical thumbnails and tiles, the same dataset thumbnails and the same
 * evaluations.
 */
class DemoOnMigratedBucketIT {

    @TempDir
    Path tmp;

    record Shown(
            Map<String, Long> tilesByDataset,
            String gallery,
            List<String> galleryThumbs,
            Map<String, byte[]> bytes,
            List<String> evaluations,
            String evaluationsPage) {}

    @Test
    void theAppOnTheMigratedBucketShowsWhatTheLocalFolderShowed() throws Exception {
        String db = "jdbc:h2:file:" + tmp.resolve("db").resolve("stainbench")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        Path localData = tmp.resolve("local");
        Shown before;
        try (ConfigurableApplicationContext app = start(db, localData, "--stainbench.demo=true")) {
            loadDemoAndEvaluate(app);
            before = shown(app);
        }
        assertThat(before.tilesByDataset()).containsKeys(DemoDatasets.HE, DemoDatasets.CK7, DemoDatasets.REAL_HE);
        assertThat(before.galleryThumbs()).isNotEmpty();
        assertThat(before.evaluations()).isNotEmpty();

        String bucket = S3Server.get().newBucket();
        var cmd = new MigrateArtifactsCommand(
                Map.of(
                        "STAINBENCH_ARTIFACTS_S3_ENDPOINT",
                        S3Server.get().endpoint(),
                        "STAINBENCH_ARTIFACTS_S3_PATH_STYLE",
                        "true"),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(cmd.run(new String[] {
                    "--from", localData.resolve("artifacts").toString(), "--to", "s3", "--bucket", bucket
                }))
                .isZero();

        Path bucketData = tmp.resolve("on-bucket");
        List<String> args = new ArrayList<>(List.of("--stainbench.demo=false"));
        for (String p : S3Server.get().properties(bucket)) {
            args.add("--" + p);
        }
        try (ConfigurableApplicationContext app = start(db, bucketData, args.toArray(String[]::new))) {
            assertThat(app.getBean(ArtifactStore.class).describe()).isEqualTo("s3://" + bucket + "/");
            Shown after = shown(app);
            assertThat(after.tilesByDataset()).isEqualTo(before.tilesByDataset());
            assertThat(after.gallery()).isEqualTo(before.gallery());
            assertThat(after.galleryThumbs()).isEqualTo(before.galleryThumbs());
            assertThat(after.bytes().keySet()).isEqualTo(before.bytes().keySet());
            for (var e : before.bytes().entrySet()) {
                assertThat(after.bytes().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(after.evaluations()).isEqualTo(before.evaluations());
            assertThat(after.evaluationsPage()).isEqualTo(before.evaluationsPage());
            // nothing of the catalog was read from (or written to) the new instance's local folder
            assertThat(bucketData.resolve("artifacts/catalog/archives")).doesNotExist();
            assertThat(bucketData.resolve("artifacts/catalog/uploads")).doesNotExist();
        }
    }

    static ConfigurableApplicationContext start(String db, Path data, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.profiles.active=test",
                "--spring.datasource.url=" + db,
                "--stainbench.data-dir=" + data,
                "--server.port=0"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(StainbenchApplication.class).run(args.toArray(String[]::new));
    }

    /** Waits for the demo's ingests and generated sets, then runs one small evaluation of them. */
    static void loadDemoAndEvaluate(ConfigurableApplicationContext app) {
        Catalog catalog = app.getBean(Catalog.class);
        Checkpoints checkpoints = app.getBean(Checkpoints.class);
        GeneratedFixtures.await("demo datasets", () -> catalog.datasets().stream()
                .anyMatch(d -> d.name().equals(DemoDatasets.REAL_IHC)));
        Demoed.awaitGenerated(checkpoints, catalog);
        Evaluations evaluations = app.getBean(Evaluations.class);
        long extractor = app.getBean(Extractors.class).demo("mig").id();
        long ck7 = id(catalog, DemoDatasets.CK7);
        long he = id(catalog, DemoDatasets.HE);
        List<Long> sets = new ArrayList<>();
        for (Checkpoint c : checkpoints.all()) {
            checkpoints.sets(c.id()).stream()
                    .filter(s -> s.sourceDatasetId() == he)
                    .map(GeneratedSet::id)
                    .forEach(sets::add);
        }
        Evaluation ev = evaluations.create(
                "On the bucket",
                ck7,
                sets,
                extractor,
                new Protocol(12, 3, 64, 2, List.of(0L, 1L), 3, 6, 6).with(Protocol.TileRule.FIRST_SPREAD, 20),
                "mig");
        Waits.upTo(java.time.Duration.ofSeconds(240), "the evaluation").until(() -> evaluations
                .find(ev.id())
                .map(e -> e.finishedAt() != null)
                .orElse(false));
        assertThat(evaluations.find(ev.id()).orElseThrow().error()).isNull();
    }

    /** Waiting for every checkpoint's generated sets (the demo registers two baselines once its ingests are done). */
    static final class Demoed {
        static void awaitGenerated(Checkpoints checkpoints, Catalog catalog) {
            GeneratedFixtures.await("demo baselines", () -> checkpoints.all().size() >= 2);
            for (Checkpoint c : checkpoints.all()) {
                GeneratedFixtures.awaitGenerated(checkpoints, catalog, c.id());
            }
            GeneratedFixtures.await("demo ingests", () -> catalog.datasets().stream()
                    .flatMap(d -> catalog.archives(d.id()).stream())
                    .allMatch(a -> a.status().name().equals("READY")));
        }
    }

    static long id(Catalog catalog, String name) {
        return catalog.datasets().stream()
                .filter(d -> d.name().equals(name))
                .map(Dataset::id)
                .findFirst()
                .orElseThrow();
    }

    /**
     * What the application shows: per dataset its READY tile count; the random gallery of the demo H&amp;E with every
     * checkpoint, its thumbnails' and first tiles' bytes; every dataset's tile browser thumbnails; the evaluations.
     */
    static Shown shown(ConfigurableApplicationContext app) throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) app)
                .apply(SecurityMockMvcConfigurers.springSecurity())
                .build();
        Catalog catalog = app.getBean(Catalog.class);
        Map<String, Long> tiles = new TreeMap<>();
        for (Dataset d : catalog.datasets()) {
            tiles.put(
                    d.name(),
                    catalog.archives(d.id()).stream()
                            .filter(a -> a.status().name().equals("READY"))
                            .mapToLong(Archive::tilesTotal)
                            .sum());
        }
        long he = id(catalog, DemoDatasets.HE);
        String ck = app.getBean(Checkpoints.class).all().stream()
                .map(c -> "&ck=" + c.id())
                .reduce("", String::concat);
        String gallery = page(mvc, "/galleries/random?source=" + he + ck + "&rows=4&seed=42");
        List<String> thumbs = matches(gallery, "src=\"(/tiles/\\d+/thumb)\"");
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (String t : thumbs) {
            bytes.put(t, body(mvc, t));
        }
        for (String t : thumbs.subList(0, Math.min(6, thumbs.size()))) {
            String image = t.replace("/thumb", "/image?format=png");
            bytes.put(image, body(mvc, image));
        }
        for (Dataset d : catalog.datasets()) {
            for (String t : matches(page(mvc, "/datasets/" + d.id() + "/tiles"), "src=\"(/tiles/\\d+/thumb)\"")) {
                bytes.putIfAbsent(t, body(mvc, t));
            }
        }
        Evaluations evaluations = app.getBean(Evaluations.class);
        List<String> evs = evaluations.list(0, 100).stream()
                .map(e -> e.name() + " " + e.status() + " " + e.fingerprint())
                .toList();
        String evPage = matches(page(mvc, "/evaluations"), "href=\"(/evaluations/\\d+)\"")
                .toString();
        // the gallery's tiles and their order (the page around them holds tokens and times that differ)
        String grid = String.join(" ", matches(gallery, "(/tiles/\\d+)[\"/]"));
        return new Shown(tiles, grid, thumbs, bytes, evs, evPage);
    }

    static String page(MockMvc mvc, String path) throws Exception {
        return mvc.perform(get(path).with(user("admin").roles("ADMIN", "MEMBER", "SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    static byte[] body(MockMvc mvc, String path) throws Exception {
        return mvc.perform(get(path).with(user("admin").roles("ADMIN", "MEMBER", "SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
    }

    static List<String> matches(String html, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
