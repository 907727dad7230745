package org.stainbench.galleries;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;

/**
 * Benchmark (run by {@code src/bench/gallery.sh}, not part of the test suite): the demo project with 12 checkpoints
 * (its two baselines and ten stain-remap variants), then over real HTTP on localhost the random and best/worst
 * gallery pages at 6 rows × 12 checkpoints, warm: response time (median, p95) and bytes of the page and of the
 * thumbnails it references, with the catalog's tile browser page measured in the same run as the reference.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class GalleryBenchmark {

    static final int WARMUP = Integer.getInteger("bench.runs", 100);
    static final int RUNS = Integer.getInteger("bench.runs", 100);
    static final int COLD_RUNS = Math.min(30, RUNS);

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Galleries galleries;

    @Autowired
    org.stainbench.artifacts.ArtifactCache cache;

    HttpClient http;

    record Timing(
            String what, double medianMs, double p95Ms, long pageBytes, long imageBytes, int images, int fullImages) {}

    @Test
    void galleryPageServerTimeAndBytes() throws Exception {
        accounts.createAccount("bench", Role.MEMBER, "Ochre-Pylon-7392");
        http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        String login = get("/login").body();
        post("/login", "username=bench&password=Ochre-Pylon-7392&_csrf=" + csrf(login, "name=\"_csrf\" value=\""));
        String datasets = get("/datasets").body();
        post("/datasets/demo", "_csrf=" + csrf(datasets, "name=\"_csrf\" content=\""));
        GeneratedFixtures.await("demo baselines", () -> checkpoints.all().size() >= 2);
        long he = catalog.datasets().stream()
                .filter(d -> d.name().startsWith("Demo H&E"))
                .map(Dataset::id)
                .findFirst()
                .orElseThrow();
        int remaps = Integer.getInteger("bench.remaps", 10);
        for (int i = 0; i < remaps; i++) {
            Checkpoint c = checkpoints.createBaseline(
                    CheckpointKind.STAIN_REMAP, "bench remap " + i, null, 0.6 + 0.1 * i, 0.5 + 0.15 * i, null, "bench");
            checkpoints.applyBaseline(c.id(), he, "bench");
        }
        for (Checkpoint c : checkpoints.all()) {
            // on a loaded machine generating the sets takes longer than one wait of the fixtures
            for (int attempt = 0; ; attempt++) {
                try {
                    GeneratedFixtures.awaitGenerated(checkpoints, catalog, c.id());
                    break;
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    if (attempt == 4) {
                        throw e;
                    }
                }
            }
        }
        int columns = 3 + remaps;
        String ck = checkpoints.all().stream().map(c -> "&ck=" + c.id()).reduce("", String::concat);
        Assertions.assertEquals(2 + remaps, checkpoints.all().size());
        List<Timing> out = new ArrayList<>();
        List<Long> ids = checkpoints.all().stream().map(Checkpoint::id).toList();
        // one warm-up phase for everything, interleaved, so that no row is measured colder than another
        String[] paths = {
            "/galleries/random?source=" + he + ck + "&rows=6&seed=42",
            "/galleries/best-worst?source=" + he + ck + "&k=3",
            "/galleries/random/compare?source=" + he + ck + "&rows=6&seed=42&row=0",
            "/datasets/" + he + "/tiles"
        };
        for (int i = 0; i < WARMUP; i++) {
            for (String p : paths) {
                get(p);
                getHx(p);
            }
            galleries.random(GalleryQuery.of(he, ids, 6, 42L, null, null, null, null, null));
            galleries.bestWorst(GalleryQuery.of(he, ids, null, null, null, null, null, null, 3));
        }
        out.add(measure(
                "random gallery, 6 rows x " + (2 + remaps) + " checkpoints",
                "/galleries/random?source=" + he + ck + "&rows=6&seed=42",
                6 * columns));
        out.add(measure(
                "random gallery, htmx fragment",
                "/galleries/random?source=" + he + ck + "&rows=6&seed=42&hx",
                6 * columns));
        out.add(measure(
                "best/worst gallery, k=3 (6 rows) x " + (2 + remaps) + " checkpoints",
                "/galleries/best-worst?source=" + he + ck + "&k=3",
                6 * columns));
        out.add(measure(
                "compare view, " + columns + " panels",
                "/galleries/random/compare?source=" + he + ck + "&rows=6&seed=42&row=0",
                columns));
        out.add(measure("reference: catalog tile browser (60 tiles)", "/datasets/" + he + "/tiles", -1));
        String random = "/galleries/random?source=" + he + ck + "&rows=6&seed=42";
        out.add(pageAndThumbnails(
                "random gallery page + its " + 6 * columns + " thumbnails, warm (6 parallel connections, as a browser)",
                random,
                null));
        if (!"local".equals(store())) {
            out.add(pageAndThumbnails(
                    "random gallery page + its " + 6 * columns
                            + " thumbnails, cold (artifact cache emptied before each)",
                    random,
                    () -> {
                        for (Dataset d : catalog.datasets()) {
                            for (var a : catalog.archives(d.id())) {
                                cache.invalidate("catalog/archives/" + a.id() + "/thumbs.bin");
                                cache.invalidate("catalog/archives/" + a.id() + "/tiles.rgb");
                            }
                        }
                    }));
        }
        out.add(inProcess(
                "random gallery, building it only (in process, no HTTP or template)",
                () -> galleries.random(GalleryQuery.of(he, ids, 6, 42L, null, null, null, null, null))));
        out.add(inProcess(
                "best/worst gallery, building it only (in process)",
                () -> galleries.bestWorst(GalleryQuery.of(he, ids, null, null, null, null, null, null, 3))));
        StringBuilder b = new StringBuilder(
                "| page (demo data, 512 px tiles) | median ms | p95 ms | page bytes | thumbnails referenced | their bytes | full-resolution images referenced as src |\n|---|---|---|---|---|---|---|\n");
        for (Timing t : out) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.1f | %d | %d | %d | %d |%n",
                    t.what(),
                    t.medianMs(),
                    t.p95Ms(),
                    t.pageBytes(),
                    t.images(),
                    t.imageBytes(),
                    t.fullImages()));
        }
        b.insert(0, "Artifact store: " + store() + " (" + cache.store().describe() + ")\n\n");
        System.out.println("GALLERY-BENCH\n" + b);
        Path report = Path.of("target", "bench", "local".equals(store()) ? "gallery.md" : "gallery-" + store() + ".md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, b.toString());
    }

    /** Which artifact store the application runs on (the subclass for S3 says "s3"). */
    String store() {
        return "local";
    }

    /**
     * The page and then every thumbnail it references, fetched as a browser does (6 connections in parallel), timed
     * as one; {@code before} (when given) runs untimed before each round (to empty the cache for a cold round).
     */
    Timing pageAndThumbnails(String what, String path, Runnable before) throws Exception {
        int rounds = before == null ? RUNS : COLD_RUNS;
        if (before == null) {
            for (int i = 0; i < WARMUP / 10; i++) {
                loadWithThumbnails(path);
            }
        }
        double[] ms = new double[rounds];
        long[] bytes = new long[3];
        for (int i = 0; i < rounds; i++) {
            if (before != null) {
                before.run();
            }
            long t0 = System.nanoTime();
            bytes = loadWithThumbnails(path);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new Timing(
                what + ", " + rounds + " rounds",
                ms[rounds / 2],
                ms[(int) Math.ceil(rounds * 0.95) - 1],
                bytes[0],
                bytes[1],
                (int) bytes[2],
                0);
    }

    /** Page bytes, thumbnail bytes, thumbnails. */
    long[] loadWithThumbnails(String path) throws Exception {
        HttpResponse<String> page = get(path);
        Assertions.assertEquals(200, page.statusCode(), path);
        Matcher m = Pattern.compile("src=\"(/tiles/\\d+/thumb)\"").matcher(page.body());
        List<String> thumbs = new ArrayList<>();
        while (m.find()) {
            thumbs.add(m.group(1));
        }
        java.util.concurrent.Semaphore connections = new java.util.concurrent.Semaphore(6);
        List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (String t : thumbs) {
            connections.acquire();
            all.add(http.sendAsync(request(t, false), HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((r, e) -> connections.release()));
        }
        long imageBytes = 0;
        for (var f : all) {
            HttpResponse<byte[]> r = f.get();
            Assertions.assertEquals(200, r.statusCode());
            imageBytes += r.body().length;
        }
        return new long[] {page.body().length(), imageBytes, thumbs.size()};
    }

    Timing inProcess(String what, Runnable r) {
        for (int i = 0; i < WARMUP; i++) {
            r.run();
        }
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new Timing(what, ms[RUNS / 2], ms[(int) Math.ceil(RUNS * 0.95) - 1], 0, 0, 0, 0);
    }

    Timing measure(String what, String path, int expectedImages) throws Exception {
        boolean hx = path.endsWith("&hx");
        String p = hx ? path.substring(0, path.length() - 3) : path;
        HttpResponse<String> first = hx ? getHx(p) : get(p);
        Assertions.assertEquals(200, first.statusCode(), what);
        for (int i = 0; i < WARMUP; i++) {
            if (hx) {
                getHx(p);
            } else {
                get(p);
            }
        }
        double[] ms = new double[RUNS];
        long bytes = 0;
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request(p, hx), HttpResponse.BodyHandlers.ofByteArray());
            ms[i] = (System.nanoTime() - t0) / 1e6;
            bytes = r.body().length;
        }
        Arrays.sort(ms);
        Matcher thumbs = Pattern.compile("src=\"(/tiles/\\d+/thumb)\"").matcher(first.body());
        long imageBytes = 0;
        int images = 0;
        while (thumbs.find()) {
            images++;
            imageBytes += http.send(request(thumbs.group(1), false), HttpResponse.BodyHandlers.ofByteArray())
                    .body()
                    .length;
        }
        int full = 0;
        Matcher fm = Pattern.compile("src=\"/tiles/\\d+/image").matcher(first.body());
        while (fm.find()) {
            full++;
        }
        if (expectedImages > 0) {
            Assertions.assertEquals(expectedImages, images, what);
        }
        return new Timing(what, ms[RUNS / 2], ms[(int) Math.ceil(RUNS * 0.95) - 1], bytes, imageBytes, images, full);
    }

    HttpRequest request(String path, boolean hx) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET();
        if (hx) {
            b.header("HX-Request", "true");
        }
        return b.build();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path, false), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getHx(String path) throws IOException, InterruptedException {
        return http.send(request(path, true), HttpResponse.BodyHandlers.ofString());
    }

    void post(String path, String form) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Assertions.assertTrue(r.statusCode() < 400, path + " -> " + r.statusCode());
    }

    static String csrf(String html, String prefix) {
        int i = html.indexOf(prefix);
        Assertions.assertTrue(i >= 0, "no CSRF token in the page");
        int s = i + prefix.length();
        return URLEncoder.encode(html.substring(s, html.indexOf('"', s)), StandardCharsets.UTF_8);
    }
}
