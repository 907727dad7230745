package org.stainbench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.artifacts.StoredFiles;
import org.stainbench.evaluation.features.OnnxFeatureExtractor;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.shell.Sha256;
import org.stainbench.support.BrokenStream;

/**
 * Extractor models on the artifact store, one suite on both stores: {@link ModelFilesLocalTest} (the folder, as
 * before the store) and {@link ModelFilesS3Test} (a bucket of a real S3 server). An uploaded model is the object
 * {@code extractors/<sha256>.onnx}; ONNX Runtime opens it from a local file ({@code ArtifactCache.localFile}); a model
 * that does not load, or an upload that breaks off, leaves no object and no row.
 */
abstract class ModelFilesContract {

    @Autowired
    Extractors extractors;

    @Autowired
    ArtifactStore artifacts;

    @Autowired
    JdbcClient jdbc;

    @Value("${stainbench.artifacts.root}")
    Path root;

    /** The store this context runs on is the local folder. */
    abstract boolean local();

    static Extractors.NewExtractor declared(String name) {
        return new Extractors.NewExtractor(
                name,
                16,
                16,
                ResizeFilter.BILINEAR_ANTIALIAS,
                1.0 / 255,
                0.0,
                new double[] {0.5, 0.5, 0.5},
                new double[] {0.25, 0.25, 0.25},
                8);
    }

    static String fresh(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anUploadedModelIsTheObjectAtItsKeyAndOnnxRuntimeOpensIt() throws Exception {
        byte[] model;
        try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
            model = in.readAllBytes();
        }
        Extractor e = extractors.register(
                declared(fresh("model")), "random8.onnx", new ByteArrayInputStream(model), null, "test");
        String key = "extractors/" + Sha256.of(model) + ".onnx";
        assertThat(artifacts.readAllBytes(key)).isEqualTo(model);
        assertThat(e.path()).isEqualTo(StoredFiles.location(artifacts, key));
        Path file = root.toAbsolutePath().normalize().resolve(key);
        if (local()) {
            assertThat(e.path()).isEqualTo(file.toString());
            assertThat(extractors.modelFile(e)).isEqualTo(file);
        } else {
            assertThat(e.path()).startsWith("s3://").endsWith("/" + key);
            assertThat(file).as("no model file in the local folder").doesNotExist();
            assertThat(extractors.modelFile(e)).as("a copy in the local cache").isNotEqualTo(file);
        }
        assertThat(Files.readAllBytes(extractors.modelFile(e))).isEqualTo(model);
        try (OnnxFeatureExtractor x = extractors.open(e)) {
            assertThat(x.run(new float[3 * 16 * 16], 1)).hasSize(8);
        }
        assertThat(partFiles()).isEmpty();
    }

    @Test
    void aModelThatDoesNotLoadOrAnUploadThatBreaksOffLeavesNoObjectAndNoRow() throws Exception {
        byte[] notAModel = new byte[40_000];
        new SplittableRandom(UUID.randomUUID().getMostSignificantBits()).nextBytes(notAModel);
        String name = fresh("not-a-model");
        assertThatThrownBy(() -> extractors.register(
                        declared(name), "x.onnx", new ByteArrayInputStream(notAModel), null, "test"))
                .hasMessageContaining("cannot be used as an ONNX feature extractor");
        assertThat(artifacts.exists("extractors/" + Sha256.of(notAModel) + ".onnx"))
                .isFalse();

        List<ArtifactStore.ArtifactObject> before = artifacts.list("extractors/");
        String broken = fresh("broken-model");
        assertThatThrownBy(() -> extractors.register(declared(broken), "y.onnx", new BrokenStream(200_000), null, "t"))
                .hasMessageContaining("could not be stored");
        assertThat(artifacts.list("extractors/")).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from feature_extractor where name in (?, ?)")
                        .params(name, broken)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(partFiles()).isEmpty();
    }

    /** Received uploads left in the local folder. */
    List<Path> partFiles() throws Exception {
        Path dir = root.resolve("extractors");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".part")).toList();
        }
    }
}
