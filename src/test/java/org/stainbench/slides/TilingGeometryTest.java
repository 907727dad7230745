package org.stainbench.slides;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stainbench.slides.tiling.ColourCast;
import org.stainbench.slides.tiling.Regions;
import org.stainbench.slides.tiling.TileGrid;
import org.stainbench.tiles.RgbTile;

/** The pure parts: grid, colour cast, polygon coverage, GeoJSON parsing, names. */
class TilingGeometryTest {

    static final double AREA_TOLERANCE = 1e-9;

    @Test
    void gridReanchorsEdgesLikeTheLab() {
        // python: [min(x, 2100 - 1024) for x in range(0, 2100, 1024)] == [0, 1024, 1076]
        assertArrayEquals(
                new long[] {0, 1024, 1076}, TileGrid.of(2100, 2048, 1024, 0).xs());
        // exact multiple: range(0, 2048, 1024) == [0, 1024]
        assertArrayEquals(new long[] {0, 1024}, TileGrid.of(2100, 2048, 1024, 0).ys());
        // overlap 512: sorted(set(min(x, 1076) for x in range(0, 2100, 512))) == [0, 512, 1024, 1076]
        assertArrayEquals(
                new long[] {0, 512, 1024, 1076},
                TileGrid.of(2100, 2100, 1024, 512).xs());
        assertEquals(0, TileGrid.of(1000, 5000, 1024, 0).count(), "narrower than a tile: no tiles");
        assertThrows(IllegalArgumentException.class, () -> TileGrid.of(5000, 5000, 1024, 1024));
        TileGrid g = TileGrid.of(3000, 2000, 1024, 0);
        assertEquals(3 * 2, g.count());
        assertEquals(1976, g.x(2));
        assertEquals(976, g.y(5));
    }

    @Test
    void colourCastCountsGreenPixels() {
        byte[] px = new byte[4 * 3];
        int[][] rgb = {{10, 31, 10}, {10, 30, 10}, {100, 200, 179}, {0, 255, 235}};
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                px[i * 3 + c] = (byte) rgb[i][c];
            }
        }
        // numpy: ((g > r + 20) & (g > b + 20)).mean() over the 4 pixels == 2 / 4
        assertEquals(0.5, ColourCast.fraction(new RgbTile(2, 2, px)), 0);
    }

    @Test
    void coverageIsExactAreaWithHoles() {
        Regions.Polygon square =
                Regions.Polygon.of("tumour", List.of(new double[] {0, 0, 100, 0, 100, 100, 0, 100, 0, 0}, new double[] {
                    25, 25, 75, 25, 75, 75, 25, 75, 25, 25
                }));
        // tile [0,50)²: 50² − 25² (the hole's quarter) = 1875
        assertEquals(1875, square.areaIn(0, 0, 50, 50), AREA_TOLERANCE);
        Regions.Polygon triangle = Regions.Polygon.of("stroma", List.of(new double[] {0, 0, 100, 0, 0, 100, 0, 0}));
        // ∫_{50}^{100} min(50, 100 − x) dx = 1250
        assertEquals(1250, triangle.areaIn(50, 0, 100, 50), AREA_TOLERANCE);
        Regions r = new Regions(List.of(triangle, square));
        Regions.Coverage c = r.coverage(0, 0, 50, 50);
        assertEquals("stroma", c.className(), "the triangle covers the whole tile (2500) > square 1875");
        assertEquals(1.0, c.classFraction(), AREA_TOLERANCE);
        assertNull(r.coverage(200, 200, 50, 50).className());
        assertEquals(0, r.coverage(200, 200, 50, 50).coveredFraction());
    }

    @Test
    void geoJsonAsQuPathExportsIt() {
        String fc =
                """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]},
                  "properties":{"objectType":"annotation","classification":{"name":"Tumor","color":[200,0,0]}}},
                 {"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[20,20],[30,20],[30,30],[20,20]]],[[[40,40],[50,40],[50,50],[40,40]]]]},
                  "properties":{"classification":{"name":"Stroma"}}}]}""";
        List<Regions.Polygon> p = GeoJson.parse(fc);
        assertEquals(3, p.size());
        assertEquals("Tumor", p.get(0).className());
        assertEquals("Stroma", p.get(2).className());
        assertEquals(100, Math.abs(Regions.area(p.get(0).rings().get(0))), AREA_TOLERANCE);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> GeoJson.parse(
                        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},\"properties\":{}}"));
        assertTrue(e.getMessage().contains("Point, not a Polygon"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GeoJson.parse("{not json"));
        assertThrows(
                IllegalArgumentException.class,
                () -> GeoJson.parse("{\"type\":\"FeatureCollection\",\"features\":[]}"));
    }

    @Test
    void namesParseLikeArchives() {
        assertEquals(new SlideNames.Parsed("he", "1811474", 3), SlideNames.parse("he_1811474_3.svs"));
        assertEquals(new SlideNames.Parsed("ihc", "24009747", null), SlideNames.parse("IHC_24009747.tif"));
        assertEquals("he_1811474_3.npz", SlideNames.archiveName("he_1811474_3.svs"));
        assertEquals("CMU-1 small.npz".replace(' ', '_'), SlideNames.archiveName("CMU-1 small.svs"));
        assertEquals(SlideLabel.PRCC, SlideLabel.parse("prcc"));
        assertThrows(IllegalArgumentException.class, () -> SlideLabel.parse("melanoma"));
    }
}
