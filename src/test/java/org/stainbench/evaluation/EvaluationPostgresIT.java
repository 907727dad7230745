package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Stain;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.support.PostgresTest;

/** The evaluation tables on a real PostgreSQL: float32 vectors round-trip through bytea, the sheet imports, paging. */
@SpringBootTest
@ActiveProfiles("test")
@PostgresTest
class EvaluationPostgresIT {

    @Autowired
    Evaluations evaluations;

    @Autowired
    Extractors extractors;

    @Autowired
    EvaluationStore store;

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogTiles tiles;

    @Test
    void featuresSheetImportAndComparisonOnPostgres(@TempDir Path tmp) throws IOException {
        long ds = GeneratedFixtures.dataset(catalog, "PG CK7", Stain.IHC, tmp, List.of("ihc_61_1.npz"), 2, 32, 5);
        List<TileInfo> two = tiles.tiles(catalog.archives(ds).get(0).id());
        Path model = tmp.resolve("random8.onnx");
        try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
            Files.copy(in, model);
        }
        Extractor x;
        try (InputStream in = Files.newInputStream(model)) {
            x = extractors.register(
                    new Extractors.NewExtractor("pg random8", 16, 16, ResizeFilter.NONE, 1.0, 0.0, null, null, 8),
                    "random8.onnx",
                    in,
                    null,
                    "pg");
        }
        float[][] rows = {{1.5f, 2, 3, 4, 5, 6, 7, -8}, {8, 7, 6, 5, 4, 3, 2, 1e-7f}};
        assertThat(extractors.uploadFeatures(
                        x.id(),
                        new ByteArrayInputStream(EvaluationsTest.npy(rows)),
                        two.get(0).id() + " " + two.get(1).id(),
                        "pg"))
                .isEqualTo(2);
        assertThat(store.features(
                                x.id(),
                                "full",
                                List.of(two.get(0).id(), two.get(1).id()))
                        .get(two.get(1).id()))
                .containsExactly(rows[1]);

        Evaluation e;
        try (InputStream in =
                Files.newInputStream(Path.of("..", "shared", "data", "lab", "quantitative_results.xlsx"))) {
            e = evaluations.importSheet("quantitative_results.xlsx", in, "pg");
        }
        Evaluations.Comparison c = evaluations.comparison(e.id());
        assertThat(c.rows()).hasSize(4);
        assertThat(store.values(e.id())).hasSize(4 * 5 * 4);
        assertThat(evaluations.list(0, 10)).extracting(Evaluation::id).contains(e.id());
        assertThat(evaluations.csv(e.id())).contains("crop_fid_mean");
    }
}
