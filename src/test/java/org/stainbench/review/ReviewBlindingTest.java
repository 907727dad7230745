package org.stainbench.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Stain;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.support.Python;
import org.stainbench.tiles.RgbTile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 17, items 1–3: matched sampling (one eligibility rule for generated tiles, their sources and real controls;
 * the same source index in every checkpoint; matching on tissue fraction), images that tell nothing about their kind
 * (one size, one byte length, one set of headers for every image of a 2AFC session whose real tiles are numpy-written
 * tiles of very different texture and of another size), and repeats that are real repeats (own token, own image URLs,
 * own sides, at least the configured distance from the first showing).
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewBlindingTest {

    static final int TILES = 8;
    static final int SIZE = 96;
    static final int REAL_SIZE = 128;

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogTiles tiles;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Accounts accounts;

    @Autowired
    Reviews reviews;

    @Autowired
    ReviewStore store;

    @Autowired
    ReviewSamplingProperties properties;

    @Autowired
    MockMvc mvc;

    @TempDir
    Path tmp;

    long he;
    long synthReal;
    long numpyReal;
    Path numpyArchive;
    List<Long> cks;

    @BeforeAll
    void data(@TempDir Path dir) throws IOException {
        he = GeneratedFixtures.dataset(
                catalog,
                "Blind H&E",
                Stain.HE,
                dir.resolve("he"),
                List.of("he_511_1.npz", "he_521_1.npz", "he_531_1.npz"),
                TILES,
                SIZE,
                1800);
        synthReal = GeneratedFixtures.dataset(
                catalog,
                "Blind CK7 synthetic",
                Stain.IHC,
                dir.resolve("ck7"),
                List.of("ihc_611_1.npz", "ihc_621_1.npz"),
                TILES,
                SIZE,
                1900);
        // real IHC tiles written by numpy: noise, flat colour, gradients, stripes, checkerboard, blobs; 128 px
        Path npy = dir.resolve("numpy");
        Python.run("review_blinding.py", "write", npy);
        numpyArchive = npy.resolve("ihc_710_1.npz");
        numpyReal = catalog.createDataset("Blind CK7 numpy", Stain.IHC, "CK7", "test", REAL_SIZE, null, "test");
        try (InputStream in = Files.newInputStream(numpyArchive)) {
            catalog.registerUpload(numpyReal, "ihc_710_1.npz", in, "test");
        }
        GeneratedFixtures.await("numpy real tiles", () -> catalog.archives(numpyReal).stream()
                .allMatch(a -> a.status() == ArchiveStatus.READY));
        Checkpoint r =
                checkpoints.createBaseline(CheckpointKind.REINHARD, "B-reinhard", synthReal, null, null, null, "test");
        Checkpoint s = checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "B-remap", null, 1.0, 1.1, null, "test");
        checkpoints.applyBaseline(r.id(), he, "test");
        checkpoints.applyBaseline(s.id(), he, "test");
        cks = List.of(r.id(), s.id());
        for (long id : cks) {
            GeneratedFixtures.awaitGenerated(checkpoints, catalog, id);
        }
        for (String u : List.of("bl-ana", "bl-ben")) {
            accounts.createAccount(u, Role.PATHOLOGIST, "Tulip-Quarry-4471");
        }
        accounts.createAccount("bl-mem", Role.MEMBER, "Harbor-Lantern-9013");
    }

    static final Eligibility ALL = new Eligibility(false, 0, 0);

    Reviews.NewSession session(
            String name,
            ReviewMode mode,
            String selection,
            int per,
            long real,
            int realCount,
            int repeat,
            long seed,
            List<String> raters,
            Eligibility rule,
            boolean match) {
        return new Reviews.NewSession(
                name, mode, "Judge.", null, false, selection, he, cks, per, real, realCount, repeat, seed, raters, rule,
                match);
    }

    MockHttpServletResponse fetch(String url, String who) throws Exception {
        return mvc.perform(get(url).with(user(who).roles("PATHOLOGIST")))
                .andReturn()
                .getResponse();
    }

    static List<String> images(String html) {
        Matcher m = Pattern.compile("/review/images/([A-Za-z0-9_-]+)").matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static String dataItem(String html) {
        Matcher m = Pattern.compile("data-item=\"([A-Za-z0-9_-]+)\"").matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Every header of a response but the date, by name. */
    static Map<String, List<String>> headers(MockHttpServletResponse r) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String n : r.getHeaderNames()) {
            if (!n.equalsIgnoreCase("Date")) {
                out.put(n.toLowerCase(java.util.Locale.ROOT), r.getHeaders(n));
            }
        }
        return out;
    }

    @Test
    void everyImageOfA2afcSessionHasTheSameByteLengthDimensionsAndHeadersWhateverItsKindAndTexture() throws Exception {
        ReviewSession s = reviews.create(
                session(
                        "blind bytes",
                        ReviewMode.TWO_AFC,
                        ReviewSession.GALLERY,
                        4,
                        numpyReal,
                        0,
                        25,
                        21L,
                        List.of("bl-ana"),
                        ALL,
                        false),
                "bl-mem");
        ReviewSampling sampling = reviews.sampling(s.id()).orElseThrow();
        assertThat(sampling.imageWidth()).isEqualTo(SIZE);
        assertThat(sampling.imageHeight()).isEqualTo(SIZE);
        int total = reviews.steps(s, "bl-ana").size();
        Map<String, Boolean> realByToken = new LinkedHashMap<>();
        Map<String, ReviewItem> itemByImage = new HashMap<>();
        for (int step = 1; step <= total; step++) {
            String html = fetch("/review/sessions/" + s.id() + "/rate/" + step, "bl-ana")
                    .getContentAsString(StandardCharsets.UTF_8);
            ReviewItem shown = store.itemByToken(dataItem(html)).orElseThrow();
            List<String> imgs = images(html);
            assertThat(imgs).hasSize(2);
            realByToken.put(imgs.get(0), shown.realLeft());
            realByToken.put(imgs.get(1), !shown.realLeft());
            itemByImage.put(imgs.get(0), shown);
            itemByImage.put(imgs.get(1), shown);
        }
        assertThat(realByToken.values()).contains(true, false);
        Map<String, List<String>> first = null;
        List<Map<String, Object>> manifest = new ArrayList<>();
        Set<Integer> realIndices = new HashSet<>();
        int k = 0;
        for (Map.Entry<String, Boolean> e : realByToken.entrySet()) {
            long start = System.nanoTime();
            MockHttpServletResponse r = fetch("/review/images/" + e.getKey(), "bl-ana");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(millis).as("the serving-time floor").isGreaterThanOrEqualTo(properties.imageMinMillis());
            byte[] png = r.getContentAsByteArray();
            Map<String, List<String>> h = headers(r);
            if (first == null) {
                first = h;
                assertThat(h)
                        .containsEntry("content-type", List.of("image/png"))
                        .containsEntry("cache-control", List.of("no-store"))
                        .containsEntry("content-length", List.of("" + ReviewImages.pngLength(SIZE, SIZE)))
                        .doesNotContainKeys("etag", "last-modified", "content-disposition", "expires", "pragma");
            }
            assertThat(h)
                    .as("headers of %s image %s", e.getValue() ? "real" : "generated", e.getKey())
                    .isEqualTo(first);
            assertThat(png.length).isEqualTo((int) ReviewImages.pngLength(SIZE, SIZE));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(img.getWidth()).isEqualTo(SIZE);
            assertThat(img.getHeight()).isEqualTo(SIZE);
            ReviewItem i = itemByImage.get(e.getKey());
            if (!e.getValue()) {
                // a generated tile at the session's size: through unchanged
                RgbTile t = tiles.read(i.archiveId(), i.tileIndex());
                assertThat(ReviewTest.meanAbsDiff(img, t)).isZero();
            } else {
                realIndices.add(i.realIndex());
            }
            Path f = tmp.resolve("img-" + k++ + ".png");
            Files.write(f, png);
            Map<String, Object> m = new HashMap<>();
            m.put("file", f.toString());
            m.put("real", e.getValue() ? i.realIndex() : null);
            manifest.add(m);
        }
        // the real tiles shown span textures whose compressed sizes differ by orders of magnitude
        assertThat(realIndices.stream().map(x -> x % 6).distinct().count()).isGreaterThanOrEqualTo(3);
        // numpy: only IHDR/IDAT/IEND, W x H RGB, every deflate block stored, the length formula, reals resampled right
        Path json = tmp.resolve("manifest.json");
        new ObjectMapper()
                .writeValue(
                        json.toFile(),
                        Map.of("width", SIZE, "height", SIZE, "npz", numpyArchive.toString(), "images", manifest));
        JsonNode check = new ObjectMapper().readTree(Python.run("review_blinding.py", "check", json));
        assertThat(check.get("images").asInt()).isEqualTo(realByToken.size());
        assertThat(check.get("lengths")).hasSize(1);
        assertThat(check.get("lengths").get(0).asLong())
                .isEqualTo(check.get("expected").asLong())
                .isEqualTo(ReviewImages.pngLength(SIZE, SIZE));
        assertThat(check.get("worstRealDiff").asDouble()).isLessThanOrEqualTo(1.0);
        // an unknown token costs the same time and carries no cache hints either
        long start = System.nanoTime();
        MockHttpServletResponse missing = fetch("/review/images/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "bl-ana");
        assertThat(missing.getStatus()).isEqualTo(404);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(properties.imageMinMillis());
        assertThat(missing.getHeader("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void theEncodedLengthDependsOnTheSizeOnly() {
        for (int[] wh : new int[][] {{1, 1}, {96, 96}, {128, 77}, {512, 512}, {150, 437}}) {
            byte[] noise = new byte[wh[0] * wh[1] * 3];
            new java.util.SplittableRandom(wh[0]).nextBytes(noise);
            byte[] flat = new byte[noise.length];
            assertThat(ReviewImages.png(new RgbTile(wh[0], wh[1], noise)))
                    .hasSize((int) ReviewImages.pngLength(wh[0], wh[1]));
            assertThat(ReviewImages.png(new RgbTile(wh[0], wh[1], flat)))
                    .hasSize((int) ReviewImages.pngLength(wh[0], wh[1]));
        }
    }

    @Test
    void aRepeatHasItsOwnTokenImagesAndSidesAndComesAtLeastTheConfiguredDistanceAfterItsFirstShowing()
            throws Exception {
        int distance = properties.repeatMinDistance();
        ReviewSession s = reviews.create(
                session(
                        "blind repeats",
                        ReviewMode.TWO_AFC,
                        ReviewSession.RANDOM,
                        8,
                        synthReal,
                        0,
                        50,
                        33L,
                        List.of("bl-ana", "bl-ben"),
                        ALL,
                        false),
                "bl-mem");
        assertThat(reviews.sampling(s.id()).orElseThrow().repeatMinDistance()).isEqualTo(distance);
        int sidesRedrawn = 0;
        int repeats = 0;
        for (String rater : List.of("bl-ana", "bl-ben")) {
            List<RaterSequence.Step> steps = reviews.steps(s, rater);
            Map<Long, Integer> firstStep = new HashMap<>();
            Map<Long, String> firstToken = new HashMap<>();
            Map<Long, List<String>> firstImages = new HashMap<>();
            Map<Long, Boolean> firstSide = new HashMap<>();
            Set<String> everyUrl = new HashSet<>();
            for (int k = 0; k < steps.size(); k++) {
                RaterSequence.Step st = steps.get(k);
                String html = fetch("/review/sessions/" + s.id() + "/rate/" + (k + 1), rater)
                        .getContentAsString(StandardCharsets.UTF_8);
                String token = dataItem(html);
                List<String> imgs = images(html);
                ReviewItem shown = store.itemByToken(token).orElseThrow();
                assertThat(shown.id()).isEqualTo(st.itemId());
                if (st.repeatNo() == 0) {
                    firstStep.put(st.itemId(), k);
                    firstToken.put(st.itemId(), token);
                    firstImages.put(st.itemId(), imgs);
                    firstSide.put(st.itemId(), shown.realLeft());
                } else {
                    repeats++;
                    assertThat(k - firstStep.get(st.itemId()))
                            .as("%s: distance of the repeat at step %d", rater, k + 1)
                            .isGreaterThanOrEqualTo(distance);
                    assertThat(token).isNotEqualTo(firstToken.get(st.itemId()));
                    assertThat(imgs).doesNotContainAnyElementsOf(firstImages.get(st.itemId()));
                    if (!shown.realLeft().equals(firstSide.get(st.itemId()))) {
                        sidesRedrawn++;
                    }
                    // the images behind the new URLs are the same two tiles, on the repeat's own sides
                    byte[] left = fetch("/review/images/" + imgs.get(0), rater).getContentAsByteArray();
                    RgbTile real = tiles.read(shown.realArchiveId(), shown.realIndex());
                    assertThat(ReviewTest.meanAbsDiff(
                                    ImageIO.read(new ByteArrayInputStream(left)),
                                    shown.realLeft() ? real : tiles.read(shown.archiveId(), shown.tileIndex())))
                            .isZero();
                    // answering it records the side the rater saw: "picked the real tile" follows the repeat's sides
                    reviews.answer(s, rater, k, shown.realLeft() ? "LEFT" : "RIGHT", null, null, null, null);
                    ReviewAnswer a = store.answers(s.id(), rater).stream()
                            .filter(x -> x.itemId() == st.itemId() && x.repeatNo() == st.repeatNo())
                            .findFirst()
                            .orElseThrow();
                    assertThat(a.realLeft()).isEqualTo(shown.realLeft());
                    ReviewItem stored = store.items(s.id()).stream()
                            .filter(i -> i.id() == st.itemId())
                            .findFirst()
                            .orElseThrow();
                    assertThat(ReviewResults.variables(s, Map.of(stored.id(), stored))
                                    .get(0)
                                    .value()
                                    .apply(a))
                            .isEqualTo(1);
                }
                for (String u : imgs) {
                    assertThat(everyUrl.add(u))
                            .as("image URL %s shown twice", u)
                            .isTrue();
                }
            }
            // a repeat token opens nothing for another rater
            ReviewStore.Repeat other = store.repeats(s.id(), rater).get(0);
            String stranger = rater.equals("bl-ana") ? "bl-ben" : "bl-ana";
            assertThat(fetch("/review/images/" + other.imageA(), stranger).getStatus())
                    .isEqualTo(404);
        }
        assertThat(repeats).isEqualTo(2 * RaterSequence.repeats(16, 50));
        assertThat(sidesRedrawn).as("sides drawn again for the repeats").isPositive();
    }

    @Test
    void repeatsKeepTheirDistanceForEverySessionSizeAndDistance() {
        for (int n : new int[] {1, 2, 5, 8, 9, 20, 60}) {
            for (int d : new int[] {1, 3, 5, 12}) {
                List<Long> ids = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    ids.add(100 + i);
                }
                for (long seed = 0; seed < 20; seed++) {
                    List<RaterSequence.Step> steps = RaterSequence.of(ids, 50, seed, d);
                    assertThat(steps).hasSize(n + RaterSequence.repeats(n, 50));
                    Map<Long, Integer> first = new HashMap<>();
                    for (int k = 0; k < steps.size(); k++) {
                        RaterSequence.Step st = steps.get(k);
                        if (st.repeatNo() == 0) {
                            first.put(st.itemId(), k);
                        } else {
                            int gap = k - first.get(st.itemId());
                            // the largest possible distance when the session is shorter than asked
                            assertThat(gap)
                                    .as("n %d, distance %d, seed %d", n, d, seed)
                                    .isGreaterThanOrEqualTo(Math.min(d, n));
                        }
                    }
                    assertThat(steps.subList(0, n).stream()
                                    .map(RaterSequence.Step::itemId)
                                    .distinct())
                            .hasSize(n);
                    assertThat(RaterSequence.of(ids, 50, seed, d)).isEqualTo(steps);
                }
            }
        }
    }

    @Test
    void theEligibilityRuleAppliesToGeneratedTilesTheirSourcesAndRealControlsAlike() throws Exception {
        Eligibility rule = Eligibility.DEFAULT;
        for (String selection : List.of(ReviewSession.GALLERY, ReviewSession.RANDOM)) {
            // ask for every eligible tile (row): a draw that ignored the rule for generated tiles would take ineligible
            // ones
            ReviewSession probe = reviews.create(
                    session(
                            "probe " + selection,
                            ReviewMode.REAL_OR_VIRTUAL,
                            selection,
                            1,
                            synthReal,
                            5,
                            0,
                            5L,
                            List.of(),
                            rule,
                            false),
                    "bl-mem");
            List<ReviewSampling.Pool> pools =
                    reviews.sampling(probe.id()).orElseThrow().pools();
            int per = selection.equals(ReviewSession.GALLERY)
                    ? pools.stream()
                            .filter(p -> p.kind().equals(ReviewSampling.POOL_ROWS))
                            .findFirst()
                            .orElseThrow()
                            .eligible()
                    : pools.stream()
                            .filter(p -> p.kind().equals(ReviewSampling.POOL_GENERATED))
                            .mapToInt(ReviewSampling.Pool::eligible)
                            .min()
                            .orElseThrow();
            assertThat(per).isPositive();
            ReviewSession s = reviews.create(
                    session(
                            "eligible " + selection,
                            ReviewMode.REAL_OR_VIRTUAL,
                            selection,
                            per,
                            synthReal,
                            5,
                            0,
                            5L,
                            List.of(),
                            rule,
                            false),
                    "bl-mem");
            ReviewSampling sampling = reviews.sampling(s.id()).orElseThrow();
            assertThat(sampling.rule()).isEqualTo(rule);
            List<ReviewItem> items = store.items(s.id());
            assertThat(items.stream().filter(ReviewItem::real)).hasSize(5);
            for (ReviewItem i : items) {
                TileInfo t = tiles.at(i.archiveId(), i.tileIndex()).orElseThrow();
                assertThat(rule.passes(t)).as("%s tile %s", i.kind(), t).isTrue();
                if (!i.real()) {
                    assertThat(rule.passes(tiles.at(i.sourceArchiveId(), i.sourceIndex())
                                    .orElseThrow()))
                            .isTrue();
                }
            }
            if (selection.equals(ReviewSession.GALLERY)) {
                // the galleries' rule: every source index once per checkpoint
                Map<String, Set<Long>> byRow = new HashMap<>();
                items.stream().filter(i -> !i.real()).forEach(i -> byRow.computeIfAbsent(
                                i.sourceArchiveId() + ":" + i.sourceIndex(), x -> new HashSet<>())
                        .add(i.checkpointId()));
                assertThat(byRow).hasSize(per).allSatisfy((row, c) -> assertThat(c)
                        .containsExactlyInAnyOrderElementsOf(cks));
            }
            // pools: the rule removed tiles of both kinds (the synthetic data has blurred and mostly white tiles)
            ReviewSampling.Pool real = sampling.pools().stream()
                    .filter(p -> p.kind().equals(ReviewSampling.POOL_REAL))
                    .findFirst()
                    .orElseThrow();
            assertThat(real.eligible()).isLessThan(real.total()).isEqualTo(countPassing(synthReal, rule));
            assertThat(sampling.pools().stream().filter(p -> p.kind().equals(ReviewSampling.POOL_GENERATED)))
                    .hasSize(2)
                    .allMatch(p -> p.eligible() < p.total());
            // the session page shows the rule and the pools
            String page = mvc.perform(get("/review/sessions/" + s.id())
                            .with(user("bl-sup").roles("SUPERVISOR")))
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getContentAsString(StandardCharsets.UTF_8);
            assertThat(page)
                    .contains("id=\"eligibility-rule\"")
                    .contains("informative tiles only")
                    .contains("tissue ≥ 60 % of the tile")
                    .contains("real IHC tiles: " + real.eligible() + " eligible of " + real.total())
                    .contains("generated by B-reinhard: ")
                    .contains(SIZE + " × " + SIZE + " px");
        }
        // too few eligible tiles: a clear message with the counts, nothing created
        long before = store.count();
        assertThatThrownBy(() -> reviews.create(
                        session(
                                "too many",
                                ReviewMode.REAL_OR_VIRTUAL,
                                ReviewSession.RANDOM,
                                2,
                                synthReal,
                                1000,
                                0,
                                5L,
                                List.of(),
                                rule,
                                false),
                        "bl-mem"))
                .hasMessageContaining("eligible of 16 ingested tiles")
                .hasMessageContaining("informative tiles only");
        assertThatThrownBy(() -> reviews.create(
                        session(
                                "too many rows",
                                ReviewMode.LIKERT,
                                ReviewSession.GALLERY,
                                200,
                                synthReal,
                                0,
                                0,
                                5L,
                                List.of(),
                                rule,
                                false),
                        "bl-mem"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.count()).isEqualTo(before);
    }

    long countPassing(long dataset, Eligibility rule) {
        return catalog.archives(dataset).stream()
                .flatMap(a -> tiles.tiles(a.id()).stream())
                .filter(rule::passes)
                .count();
    }

    @Test
    void matchingOnTissueFractionBringsTheRealControlsCloserToTheGeneratedTiles() {
        double[] gaps = new double[2];
        for (int m = 0; m < 2; m++) {
            ReviewSession s = reviews.create(
                    session(
                            "matched " + m,
                            ReviewMode.TWO_AFC,
                            ReviewSession.RANDOM,
                            4,
                            synthReal,
                            0,
                            0,
                            8L,
                            List.of(),
                            ALL,
                            m == 1),
                    "bl-mem");
            double gap = 0;
            Set<String> used = new HashSet<>();
            for (ReviewItem i : store.items(s.id())) {
                double g = tiles.at(i.archiveId(), i.tileIndex()).orElseThrow().tissueFraction();
                double r =
                        tiles.at(i.realArchiveId(), i.realIndex()).orElseThrow().tissueFraction();
                gap += Math.abs(g - r);
                assertThat(used.add(i.realArchiveId() + ":" + i.realIndex()))
                        .as("a real tile used once")
                        .isTrue();
            }
            gaps[m] = gap;
            ReviewSampling sampling = reviews.sampling(s.id()).orElseThrow();
            assertThat(sampling.matchTissue()).isEqualTo(m == 1);
            assertThat(sampling.generatedTissue()).isNotNull();
        }
        assertThat(gaps[1]).isLessThan(gaps[0]);
    }

    @Test
    void theFormShowsTheRuleWithItsDefaultsAndRefusesABadThreshold() throws Exception {
        String form = mvc.perform(
                        get("/review/sessions/new").with(user("bl-mem").roles("MEMBER", "SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(form)
                .contains("id=\"eligibility\"")
                .containsPattern("name=\"informativeOnly\"[^>]*checked")
                .containsPattern("id=\"minTissue\"[^>]*value=\"0.6\"")
                .containsPattern("id=\"minCenter\"[^>]*value=\"0.6\"")
                .containsPattern("<option value=\"GALLERY\" selected");
        long before = store.count();
        String flash = mvc.perform(post("/review/sessions")
                        .with(user("bl-mem").roles("MEMBER", "SUPERVISOR"))
                        .with(csrf())
                        .param("name", "bad rule")
                        .param("mode", "TWO_AFC")
                        .param("source", "" + he)
                        .param("ck", "" + cks.get(0))
                        .param("realDataset", "" + synthReal)
                        .param("perCheckpoint", "2")
                        .param("minTissue", "1.5"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getFlashMap()
                .get("error")
                .toString();
        assertThat(flash).contains("minTissue");
        assertThat(store.count()).isEqualTo(before);
        // a pathologist cannot create sessions
        mvc.perform(post("/review/sessions")
                        .with(user("bl-ana").roles("PATHOLOGIST"))
                        .with(csrf())
                        .param("name", "x"))
                .andExpect(status().isForbidden());
    }
}
