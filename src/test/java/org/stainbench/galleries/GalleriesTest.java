package org.stainbench.galleries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Stain;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedArchive;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.support.Python;
import org.stainbench.tiles.Npy;
import org.stainbench.tiles.QualityMeasures;
import org.stainbench.tiles.RgbTile;
import org.stainbench.tiles.SyntheticTiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Galleries over real ingested archives: an H&amp;E source, the two CPU baselines applied by their job, and a
 * "model" checkpoint registered from a folder of ihc_*.npz. Checks the same-index and tissue rules, the seed and
 * permalink, the badness ranking against numpy on the same tiles, the exports and every page with and without htmx.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GalleriesTest {

    /** numpy and Java compute the measures in double precision in a different order. */
    static final double MEASURE_TOLERANCE = 1e-9;

    static final double BADNESS_TOLERANCE = 1e-7;
    static final int TILES = 10;
    static final int SIZE = 128;

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogTiles tiles;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Galleries galleries;

    @Autowired
    MockMvc mvc;

    long he;
    List<Long> cks = new ArrayList<>();

    @BeforeAll
    void data(@TempDir Path tmp) {
        he = GeneratedFixtures.dataset(
                catalog,
                "Gallery H&E",
                Stain.HE,
                tmp.resolve("he"),
                List.of("he_100_1.npz", "he_200_1.npz", "he_300_1.npz", "he_400_1.npz"),
                TILES,
                SIZE,
                500);
        long ck7 = GeneratedFixtures.dataset(
                catalog,
                "Gallery CK7",
                Stain.IHC,
                tmp.resolve("ck7"),
                List.of("ihc_900_1.npz", "ihc_901_1.npz"),
                TILES,
                SIZE,
                700);
        Checkpoint r = checkpoints.createBaseline(CheckpointKind.REINHARD, "G Reinhard", ck7, null, null, null, "test");
        Checkpoint s = checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "G remap", null, 1.0, 1.2, null, "test");
        checkpoints.applyBaseline(r.id(), he, "test");
        checkpoints.applyBaseline(s.id(), he, "test");
        Path folder = catalog.allowedRoots().get(0).resolve("gallery-lora");
        for (int i = 0; i < 4; i++) {
            GeneratedFixtures.archive(
                    folder, "ihc_" + (i + 1) * 100 + "_1.npz", SyntheticTiles.Stain.CK7, TILES, SIZE, 9000 + i);
        }
        Checkpoint m = checkpoints.register(
                new Checkpoints.NewCheckpoint(
                        "G lora", "PixCell-1024", "mist_pr", 16, 32.0, "to_q,to_v", null, 3, he, null, "test"),
                null,
                null,
                null,
                "test");
        checkpoints.registerGenerated(m.id(), he, folder.toString(), "test");
        cks = List.of(r.id(), s.id(), m.id());
        for (long id : cks) {
            GeneratedFixtures.awaitGenerated(checkpoints, catalog, id);
        }
    }

    GalleryQuery query(long seed, int rows) {
        return GalleryQuery.of(he, cks, rows, seed, null, null, null, null, null);
    }

    /** The archive each checkpoint generated from each source archive. */
    Map<Long, Map<Long, Long>> pairing() {
        Map<Long, Map<Long, Long>> m = new HashMap<>();
        for (long ck : cks) {
            GeneratedSet s = checkpoints.setsOnSource(he).stream()
                    .filter(x -> x.checkpointId() == ck)
                    .findFirst()
                    .orElseThrow();
            Map<Long, Long> bySource = new HashMap<>();
            for (GeneratedArchive g : checkpoints.archives(s.id())) {
                bySource.put(g.sourceArchiveId(), g.archiveId());
            }
            m.put(ck, bySource);
        }
        return m;
    }

    @Test
    void everyCellOfARowIsTheSameIndexOfThePairedArchivesAndThSourcePassesTheTissueFilter() {
        Map<Long, Map<Long, Long>> pairs = pairing();
        for (long seed = 1; seed <= 5; seed++) {
            Galleries.Gallery g = galleries.random(query(seed, 6));
            assertThat(g.rows()).isNotEmpty();
            assertThat(g.columns()).hasSize(1 + cks.size());
            Set<Long> firstPass = new HashSet<>();
            for (int i = 0; i < Math.min(g.rows().size(), g.usableArchives()); i++) {
                firstPass.add(g.rows().get(i).sourceArchiveId());
            }
            assertThat(firstPass)
                    .as("rows come from distinct source archives")
                    .hasSize(Math.min(g.rows().size(), g.usableArchives()));
            for (Galleries.Row r : g.rows()) {
                TileInfo src = tiles.tile(r.cells().get(0).tileId()).orElseThrow();
                assertThat(src.archiveId()).isEqualTo(r.sourceArchiveId());
                assertThat(src.tissueFraction()).isGreaterThanOrEqualTo(GalleryQuery.DEFAULT_TISSUE);
                assertThat(src.tissueCenterFraction()).isGreaterThanOrEqualTo(GalleryQuery.DEFAULT_TISSUE);
                for (int c = 1; c < r.cells().size(); c++) {
                    TileInfo t = tiles.tile(r.cells().get(c).tileId()).orElseThrow();
                    assertThat(t.index()).isEqualTo(src.index());
                    assertThat(t.archiveId())
                            .isEqualTo(pairs.get(cks.get(c - 1)).get(src.archiveId()));
                }
            }
        }
    }

    @Test
    void theTissueThresholdsAreEditable() {
        Galleries.Gallery strict = galleries.random(GalleryQuery.of(he, cks, 6, 3L, 1.0, 1.0, null, null, null));
        assertThat(strict.rows()).isEmpty();
        Galleries.Gallery loose = galleries.random(GalleryQuery.of(he, cks, 40, 3L, 0.0, 0.0, null, null, null));
        assertThat(loose.rows()).hasSize(4 * TILES);
        Galleries.Gallery normal = galleries.random(GalleryQuery.of(he, cks, 40, 3L, null, null, null, null, null));
        long passing = catalog.archives(he).stream()
                .flatMap(a -> tiles.tiles(a.id()).stream())
                .filter(t -> t.tissueFraction() >= 0.6 && t.tissueCenterFraction() >= 0.6)
                .count();
        assertThat(normal.rows()).hasSize((int) passing);
        assertThat(passing).isLessThan(4 * TILES);
    }

    static List<String> cellsOf(String html) {
        Matcher m = Pattern.compile("/tiles/(\\d+)/thumb").matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theRandomGalleryIsReproducibleFromItsSeedAndPermalink() throws Exception {
        Galleries.Gallery a = galleries.random(query(42, 6));
        Galleries.Gallery b = galleries.random(query(42, 6));
        assertThat(b.rows()).isEqualTo(a.rows());
        Set<List<Galleries.Row>> different = new HashSet<>();
        for (long s = 1; s <= 6; s++) {
            different.add(galleries.random(query(s, 6)).rows());
        }
        assertThat(different).as("other seeds give other galleries").hasSizeGreaterThan(1);

        // without a seed: a redirect to the permalink with one
        String location = mvc.perform(get("/galleries/random")
                        .param("source", "" + he)
                        .with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        assertThat(location).contains("seed=").contains("source=" + he);
        // issue 18: the permalink pins the checkpoints shown, so a checkpoint applied later does not change it
        for (long ck : cks) {
            assertThat(location).contains("ck=" + ck);
        }
        String first = page(location);
        // tab links carry the pinned query, never an empty "source="
        assertThat(first).doesNotContain("source=&").doesNotContain("source=\"");
        String tab = first.substring(
                first.lastIndexOf("href=\"", first.indexOf("id=\"tab-best-worst\"")),
                first.indexOf("id=\"tab-best-worst\""));
        assertThat(tab).contains("source=" + he).contains("ck=" + cks.get(0));
        // the permalink of a gallery asked for without checkpoints names every checkpoint it shows
        Galleries.Gallery all = galleries.random(GalleryQuery.of(he, List.of(), 6, 5L, null, null, null, null, null));
        assertThat(all.permalink()).contains("source=" + he);
        for (long ck : cks) {
            assertThat(all.permalink()).contains("ck=" + ck);
        }
        String again = page(location);
        assertThat(cellsOf(first)).isNotEmpty().isEqualTo(cellsOf(again));
        // the permalink shown on the page reproduces it, and reshuffle gives a new seed
        String permalink = attr(first, "id=\"permalink\" href=\"");
        assertThat(cellsOf(page(permalink))).isEqualTo(cellsOf(first));
        String reshuffle = attr(first, "id=\"reshuffle\" href=\"");
        assertThat(reshuffle).contains("seed=").isNotEqualTo(permalink);
        // the page's cells are exactly the service's gallery for that seed
        long seed = Long.parseLong(location.replaceAll(".*seed=(\\d+).*", "$1"));
        Galleries.Gallery g = galleries.random(GalleryQuery.of(he, List.of(), 6, seed, null, null, null, null, null));
        assertThat(cellsOf(first))
                .isEqualTo(g.rows().stream()
                        .flatMap(r -> r.cells().stream())
                        .map(c -> "" + c.tileId())
                        .toList());
    }

    static String attr(String html, String prefix) {
        int i = html.indexOf(prefix);
        assertThat(i).as(prefix).isPositive();
        int s = i + prefix.length();
        return html.substring(s, html.indexOf('"', s)).replace("&amp;", "&");
    }

    String page(String url) throws Exception {
        return mvc.perform(get(url).with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    @Test
    void storedQualityMeasuresAndTheBadnessRankingMatchNumpyOnTheSameTiles(@TempDir Path tmp) throws Exception {
        long ranked = cks.get(1);
        GalleryQuery q = GalleryQuery.of(he, cks, null, null, null, null, ranked, 6, 2);
        Galleries.Context c = galleries.context(q);
        List<Galleries.Scanned> scanned = galleries.scan(c, c.chosen().get(1), new ArrayList<>());
        assertThat(scanned).hasSizeGreaterThan(4);
        Map<Long, Map<Long, Long>> pairs = pairing();
        Path npy = tmp.resolve("scanned.npy");
        try (OutputStream out = Files.newOutputStream(npy)) {
            Npy.writeHeader(out, "|u1", scanned.size(), SIZE, SIZE, 3);
            for (Galleries.Scanned s : scanned) {
                RgbTile t = tiles.read(
                        pairs.get(ranked).get(s.source().id()), s.sourceTile().index());
                out.write(t.rgb());
            }
        }
        JsonNode ref = new ObjectMapper().readTree(Python.run("gallery_reference.py", npy));
        for (int i = 0; i < scanned.size(); i++) {
            QualityMeasures m = scanned.get(i).quality();
            JsonNode r = ref.get("measures").get(i);
            double[] mine = {
                m.saturationStd(),
                m.autocorrelation16(),
                m.laplacianVariance709(),
                m.dabPositiveFraction(),
                m.meanDab(),
                m.meanHematoxylin()
            };
            for (int j = 0; j < mine.length; j++) {
                assertThat(mine[j])
                        .as("tile %d measure %d", i, j)
                        .isCloseTo(r.get(j).asDouble(), within(MEASURE_TOLERANCE));
            }
        }
        double[] badness = Galleries.badness(scanned);
        for (int i = 0; i < badness.length; i++) {
            assertThat(badness[i]).isCloseTo(ref.get("badness").get(i).asDouble(), within(BADNESS_TOLERANCE));
        }
        int n = scanned.size();
        JsonNode order = ref.get("best_first");
        Galleries.Gallery g = galleries.bestWorst(q);
        assertThat(g.candidates()).isEqualTo(n);
        assertThat(g.rows()).hasSize(4);
        int[] expected = {
            order.get(0).asInt(),
            order.get(1).asInt(),
            order.get(n - 1).asInt(),
            order.get(n - 2).asInt()
        };
        for (int i = 0; i < 4; i++) {
            Galleries.Scanned s = scanned.get(expected[i]);
            Galleries.Row row = g.rows().get(i);
            assertThat(row.label()).isEqualTo(i < 2 ? "best " + (i + 1) : "worst " + (i - 1));
            assertThat(row.sourceArchiveId()).isEqualTo(s.source().id());
            assertThat(row.index()).isEqualTo(s.sourceTile().index());
            assertThat(row.cells().get(2).badness())
                    .isCloseTo(ref.get("badness").get(expected[i]).asDouble(), within(BADNESS_TOLERANCE));
            assertThat(row.cells().get(2).title()).contains("badness");
        }
        // scan size per archive: at most 6 tissue tiles of each of the 4 archives
        assertThat(n).isLessThanOrEqualTo(4 * 6);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/galleries/random?seed=7&rows=4",
                "/galleries/best-worst?k=2",
                "/galleries/random/compare?seed=7&rows=4&row=1",
                "/galleries/best-worst/compare?k=2&row=0"
            })
    void everyGalleryPageIsAFullPageAndAnHtmxFragment(String url) throws Exception {
        String u = url + "&source=" + he + cks.stream().map(c -> "&ck=" + c).reduce("", String::concat);
        String full = page(u);
        assertThat(full).contains("<nav").contains("/tiles/");
        String fragment = mvc.perform(
                        get(u).header("HX-Request", "true").with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(fragment).doesNotContain("id=\"nav\"").contains("/tiles/");
        assertThat(cellsOf(fragment))
                .isEqualTo(cellsOf(full).subList(0, cellsOf(fragment).size()));
        if (url.contains("compare")) {
            // the compare view refers to full-resolution images only as data-full: nothing is fetched before it is
            // shown
            assertThat(fragment).contains("data-full=\"/tiles/").doesNotContain("src=\"/tiles/" + "\\d+/image");
            assertThat(Pattern.compile("src=\"/tiles/\\d+/image")
                            .matcher(fragment)
                            .find())
                    .isFalse();
        } else {
            assertThat(fragment).doesNotContain("/image");
        }
    }

    @Test
    void badGalleryInputGetsAClearMessage() throws Exception {
        String html = page("/galleries/random?seed=1&rows=0&source=" + he);
        assertThat(html).contains("Rows must be between 1 and 100.");
        String bw = page("/galleries/best-worst?minTissue=2&source=" + he);
        assertThat(bw).contains("Tissue thresholds are fractions between 0 and 1.");
    }

    @Test
    void theFigureHasATitleBandAndOneCellPerTileAndTheZipHoldsTilesAndACsv() throws Exception {
        String q = "?seed=11&rows=3&source=" + he
                + cks.stream().map(c -> "&ck=" + c).reduce("", String::concat);
        byte[] png = mvc.perform(get("/galleries/random/figure.png" + q + "&cell=64")
                        .with(user("sue").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        Galleries.Gallery g = galleries.random(GalleryQuery.of(he, cks, 3, 11L, null, null, null, null, null));
        assertThat(img.getWidth()).isEqualTo(110 + 4 * (64 + 8) + 8);
        assertThat(img.getHeight()).isEqualTo(34 + g.rows().size() * (64 + 8) + 8);
        // the title band has dark text pixels; the first tile cell is the source tile scaled
        int dark = 0;
        for (int x = 110; x < img.getWidth(); x++) {
            for (int y = 0; y < 30; y++) {
                if ((img.getRGB(x, y) & 0xff) < 100) {
                    dark++;
                }
            }
        }
        assertThat(dark).as("column titles drawn").isGreaterThan(50);

        var started = mvc.perform(
                        get("/galleries/random/tiles.zip" + q).with(user("sue").roles("SUPERVISOR")))
                .andExpect(request().asyncStarted())
                .andReturn();
        byte[] zip = mvc.perform(asyncDispatch(started))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        assertThat(entries).hasSize(g.rows().size() * 4 + 1);
        List<String> csv = new String(entries.get("gallery.csv"), StandardCharsets.UTF_8)
                .lines()
                .toList();
        assertThat(csv.get(1)).startsWith("row,label,column");
        assertThat(csv).hasSize(2 + g.rows().size() * 4);
        Galleries.Row r0 = g.rows().get(0);
        String line = csv.get(3);
        String[] f = line.split(",");
        assertThat(Integer.parseInt(f[6])).isEqualTo(r0.index());
        assertThat(Double.parseDouble(f[8]))
                .isCloseTo(r0.cells().get(1).quality().saturationStd(), within(1e-8));
        BufferedImage tile = ImageIO.read(new ByteArrayInputStream(entries.get(f[7])));
        RgbTile expected = tiles.read(r0.cells().get(1).archiveId(), r0.index());
        assertThat(tile.getWidth()).isEqualTo(SIZE);
        assertThat(tile.getRGB(5, 7) & 0xffffff)
                .isEqualTo(expected.get(5, 7, 0) << 16 | expected.get(5, 7, 1) << 8 | expected.get(5, 7, 2));
    }
}
