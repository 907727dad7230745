package org.stainbench.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.stainbench.support.Python;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tile archives written by numpy ({@code src/test/python/tile_fixtures.py}: numpy 2.x and numpy-1.x-style
 * pickles, protocols 2–4, compressed and stored, object and plain arrays) read by the streaming codec, and
 * every per-tile measure matched against numpy's values computed with OpenCV semantics
 * ({@code measures()} in that script).
 */
class TileArchivesTest {

    /**
     * Laplacian variance: the Laplacian is integer-valued and Java computes the variance exactly from integer
     * sums, numpy with float64 pairwise summation; they agree to rounding.
     */
    static final double LAPLACIAN_RELATIVE_TOLERANCE = 1e-9;
    /** Fractions are counts over the same pixels with the same integer or float64 rules: identical. */
    static final double FRACTION_TOLERANCE = 1e-12;
    /** Thumbnails use the same integer block means and rounding: identical. */
    static final int THUMBNAIL_TOLERANCE = 0;

    /** The numpy-written archives (shared by the run) and, beside them, the archives this class writes. */
    static Path dir;

    static Map<String, Object> expected;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void writeFixtures() throws Exception {
        dir = Python.fixtures("tile_fixtures.py");
        expected = JsonMapper.builder()
                .build()
                .readValue(dir.resolve("expected.json").toFile(), Map.class);
    }

    record Read(TileArray array, List<RgbTile> tiles) {}

    static Read read(String file) throws IOException {
        List<RgbTile> tiles = new ArrayList<>();
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            TileArray a = Npz.readTiles(in, Npz.Limits.DEFAULT, (i, t) -> {
                assertThat(i).isEqualTo(tiles.size());
                tiles.add(t);
            });
            return new Read(a, tiles);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> measures(String set) {
        return (List<Map<String, Object>>) ((Map<String, Object>) expected.get(set)).get("measures");
    }

    @SuppressWarnings("unchecked")
    static List<Number> list(String set, String key) {
        return (List<Number>) ((Map<String, Object>) expected.get(set)).get(key);
    }

    @ParameterizedTest
    @CsvSource({
        "v2_compressed.npz, 'object (N, 2)', true",
        "v2_stored.npz, 'object (N, 2)', true",
        "v1_p3_compressed.npz, 'object (N, 2)', true",
        "v1_p3_stored.npz, 'object (N, 2)', true",
        "v1_p2_stored.npz, 'object (N, 2)', true",
        "rows4.npz, 'object (N, 4)', true",
        "plain_x.npz, 'uint8 (N, H, W, 3)', false",
        "plain_stored.npz, 'uint8 (N, H, W, 3)', false",
        "bare.npy, 'uint8 (N, H, W, 3)', false"
    })
    void readsEveryLayoutNumpyWrites(String file, String layout, boolean labelled) throws Exception {
        Read r = read(file);
        List<Number> sums = list("small", "sums");
        assertThat(r.array().header().layout()).isEqualTo(layout);
        assertThat(r.array().count()).isEqualTo(sums.size());
        assertThat(r.tiles()).hasSize(sums.size());
        assertThat(r.array().width()).isEqualTo(80);
        assertThat(r.array().height()).isEqualTo(96);
        for (int i = 0; i < sums.size(); i++) {
            long sum = 0;
            for (byte b : r.tiles().get(i).rgb()) {
                sum += b & 0xff;
            }
            assertThat(sum).as("pixel sum of tile %d", i).isEqualTo(sums.get(i).longValue());
            Double label = r.array().rows().get(i).label();
            if (labelled) {
                assertThat(label).isEqualTo(list("small", "labels").get(i).doubleValue());
            } else {
                assertThat(label).isNull();
            }
        }
        if (file.startsWith("rows4")) {
            TileRow row3 = r.array().rows().get(3);
            // a[i] = (t, np.array([i * 64, i * 32]), 0.5 + i / 100, label)
            assertThat(row3.coords()).containsExactly(192, 96);
            assertThat(row3.ratio()).isCloseTo(0.53, within(1e-15));
        }
        if (file.equals("plain_stored.npz")) {
            assertThat(r.array().header().key()).isEqualTo("tiles");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "big"})
    void everyMeasureMatchesNumpy(String set) throws Exception {
        Read r = read(set.equals("small") ? "v2_compressed.npz" : "big.npz");
        List<Map<String, Object>> want = measures(set);
        for (int i = 0; i < want.size(); i++) {
            TileMeasures m = TileMeasures.of(r.tiles().get(i));
            Map<String, Object> e = want.get(i);
            double lap = ((Number) e.get("laplacian_variance")).doubleValue();
            assertThat(m.laplacianVariance())
                    .as("laplacian variance of tile %d", i)
                    .isCloseTo(lap, within(Math.abs(lap) * LAPLACIAN_RELATIVE_TOLERANCE));
            assertThat(m.saturatedFraction())
                    .as("saturated fraction %d", i)
                    .isCloseTo(((Number) e.get("saturated_fraction")).doubleValue(), within(FRACTION_TOLERANCE));
            assertThat(m.whiteFraction())
                    .as("white fraction %d", i)
                    .isCloseTo(((Number) e.get("white_fraction")).doubleValue(), within(FRACTION_TOLERANCE));
            assertThat(m.tissueFraction())
                    .as("tissue fraction %d", i)
                    .isCloseTo(((Number) e.get("tissue_fraction")).doubleValue(), within(FRACTION_TOLERANCE));
            assertThat(m.tissueCenterFraction())
                    .as("central tissue fraction %d", i)
                    .isCloseTo(((Number) e.get("tissue_center_fraction")).doubleValue(), within(FRACTION_TOLERANCE));
            assertThat(m.informative()).as("informative %d", i).isEqualTo(e.get("informative"));
        }
        if (set.equals("small")) {
            // the set is built so that the filter both keeps and rejects tiles
            assertThat(want.stream().map(e -> e.get("informative")).distinct()).hasSize(2);
        }
    }

    @Test
    void theIntegerTissueRuleIsTheFloatingPointOne() {
        assertThat(TileMeasures.tissueRuleIsExact()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"big.npz, thumbs.npy", "tile_600.npy, thumb_600.npy", "tile_wide.npy, thumb_wide.npy"})
    void thumbnailsMatchNumpysBlockMeans(String source, String thumbs) throws Exception {
        List<RgbTile> in = read(source).tiles();
        List<RgbTile> want = read(thumbs).tiles();
        assertThat(in).hasSameSizeAs(want);
        for (int i = 0; i < in.size(); i++) {
            RgbTile t = Thumbnails.thumbnail(in.get(i), Thumbnails.SIZE);
            assertThat(t.width()).isEqualTo(want.get(i).width());
            assertThat(t.height()).isEqualTo(want.get(i).height());
            int worst = 0;
            for (int k = 0; k < t.rgb().length; k++) {
                worst = Math.max(
                        worst, Math.abs((t.rgb()[k] & 0xff) - (want.get(i).rgb()[k] & 0xff)));
            }
            assertThat(worst).isLessThanOrEqualTo(THUMBNAIL_TOLERANCE);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not_a_zip.npz|not a zip archive (.npz) or .npy file",
                "truncated.npz|the archive is truncated",
                "float_tiles.npz|unsupported dtype '<f4'",
                "bad_shape.npz|unsupported shape (7, 96, 80) for a uint8 array",
                "object_strings.npz|row 0 of the object array holds a string where an RGB tile",
                "mixed_sizes.npz|tiles of mixed sizes: tile 1 is 64 x 64 pixels, earlier tiles are 80 x 96",
                "zip_slip.npz|unsafe entry name '../../evil.npy'",
                "bomb_declared.npz|inflates beyond its declared size",
                "bomb_ratio.npz|above the limit of 250:1"
            })
    void badArchivesAreRejectedWithAClearMessage(String file, String message) {
        assertThatThrownBy(() -> read(file))
                .isInstanceOf(NpyFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theLabLayoutWrittenByJavaLoadsInNumpy() throws Exception {
        List<RgbTile> tiles = read("v2_compressed.npz").tiles();
        for (boolean compressed : new boolean[] {true, false}) {
            Path file = dir.resolve("java_lab_" + compressed + ".npz");
            try (var out = Files.newOutputStream(file)) {
                NpzWriter.writeLab(out, tiles.size(), tiles::get, i -> i * 10, compressed);
            }
            Map<String, Object> seen = numpySees(file);
            assertThat(seen).containsOnlyKeys("arr_0");
            @SuppressWarnings("unchecked")
            Map<String, Object> arr = (Map<String, Object>) seen.get("arr_0");
            assertThat(arr.get("dtype")).isEqualTo("object");
            assertThat(arr.get("shape")).isEqualTo(List.of(tiles.size(), 2));
            assertThat(arr.get("sums")).isEqualTo(list("small", "sums"));
            assertThat(arr.get("tile_dtypes")).isEqualTo(List.of("uint8"));
            assertThat(arr.get("tile_shapes")).asList().allMatch(s -> s.equals(List.of(96, 80, 3)));
            assertThat(arr.get("labels")).asList().containsExactly(0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0);
            // and it reads back here, as object rows with labels
            Read back = read(file.getFileName().toString());
            assertThat(back.tiles()).isEqualTo(tiles);
            assertThat(back.array().rows().get(2).label()).isEqualTo(20.0);
        }
    }

    @Test
    void plainArchivesWrittenByJavaLoadInNumpy() throws Exception {
        List<RgbTile> tiles = read("plain_x.npz").tiles();
        Path file = dir.resolve("java_plain.npz");
        try (var out = Files.newOutputStream(file)) {
            NpzWriter.writePlain(out, "tiles", tiles.size(), 80, 96, tiles::get, true);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> arr = (Map<String, Object>) numpySees(file).get("tiles");
        assertThat(arr.get("dtype")).isEqualTo("uint8");
        assertThat(arr.get("shape")).isEqualTo(List.of(tiles.size(), 96, 80, 3));
        assertThat(arr.get("sums")).isEqualTo(list("small", "sums"));
    }

    @Test
    void aPickleThatRefersBackToATileIsRefusedRatherThanBuffered() {
        // Numpy never writes this; a hand-made pickle could. The reader streams, so it cannot honour it.
        assertThatThrownBy(() -> PickledTilesProbe.backReference())
                .hasMessageContaining("refers back to a large value");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> numpySees(Path file) {
        return JsonMapper.builder().build().readValue(Python.run("npz_check.py", file), Map.class);
    }

    /** Builds an object-array pickle whose second row repeats the first tile's bytes by memo reference. */
    static final class PickledTilesProbe {
        static void backReference() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            Npy.writeHeader(b, "|O", 1, 2);
            byte[] tile = new byte[256 * 256 * 3];
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.write(new byte[] {(byte) 0x80, 3});
            // a list of [bytes, memo-get of the same bytes] is enough to trip the memo guard
            p.write('(');
            p.write('B');
            p.write(new byte[] {0, 0, 3, 0});
            p.write(tile);
            p.write('q');
            p.write(1);
            p.write('h');
            p.write(1);
            p.write('l');
            p.write('.');
            b.write(p.toByteArray());
            TileArrays.read(new java.io.ByteArrayInputStream(b.toByteArray()), (i, t) -> {});
        }
    }
}
