package org.stainbench.evaluation.features;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.stainbench.evaluation.metrics.Features;
import org.stainbench.evaluation.preprocess.Preprocessing;
import org.stainbench.shell.Sha256;

/**
 * Runs an ONNX feature extractor with DJL on ONNX Runtime, on the CPU, fully offline ({@code ai.djl.offline}
 * is set to true unless the JVM says otherwise): 8-bit RGB tiles go through the declared {@link Preprocessing}
 * and come out as an N x d feature matrix (the model's first output, flattened per tile, widened to float64).
 * Not thread-safe; one instance per worker. The model file's sha256 is computed on open.
 */
public final class OnnxFeatureExtractor implements AutoCloseable {

    private final Path model;
    private final Preprocessing preprocessing;
    private final String sha256;
    private final ZooModel<NDList, NDList> zoo;
    private final Predictor<NDList, NDList> predictor;
    private final NDManager manager;

    public OnnxFeatureExtractor(Path model, Preprocessing preprocessing) throws IOException {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("no model file " + model);
        }
        this.model = model;
        this.preprocessing = preprocessing;
        this.sha256 = Sha256.of(model);
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(model)
                .optEngine("OnnxRuntime")
                .optTranslator(new NoopTranslator())
                .build();
        try {
            this.zoo = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IllegalArgumentException("cannot load ONNX model " + model + ": " + e.getMessage(), e);
        }
        this.predictor = zoo.newPredictor();
        this.manager = NDManager.newBaseManager("OnnxRuntime");
    }

    public Path model() {
        return model;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** Hex sha256 of the model file, recorded with every feature set. */
    public String sha256() {
        return sha256;
    }

    /**
     * Features of interleaved RGB tiles (each {@code h x w x 3} bytes), {@code batchSize} tiles per model call.
     */
    public Features extract(List<byte[]> tiles, int h, int w, int batchSize) {
        if (tiles.isEmpty()) {
            throw new IllegalArgumentException("no tiles to extract features from");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        int per = preprocessing.valuesPerTile();
        double[] out = null;
        int dim = -1;
        for (int b0 = 0; b0 < tiles.size(); b0 += batchSize) {
            int n = Math.min(batchSize, tiles.size() - b0);
            float[] input = new float[n * per];
            for (int i = 0; i < n; i++) {
                preprocessing.toChannelsFirst("tile " + (b0 + i), tiles.get(b0 + i), h, w, input, i * per);
            }
            float[] f = run(input, n);
            int d = f.length / n;
            if (out == null) {
                dim = d;
                out = new double[tiles.size() * d];
            } else if (d != dim) {
                throw new IllegalStateException("model output changed size from " + dim + " to " + d);
            }
            for (int i = 0; i < f.length; i++) {
                out[b0 * dim + i] = f[i];
            }
        }
        return Features.adopt("features of " + model.getFileName(), tiles.size(), dim, out);
    }

    /** One model call on an already preprocessed NCHW batch of {@code n} tiles; returns n x d values. */
    public float[] run(float[] nchw, int n) {
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.create(nchw, new Shape(n, 3, preprocessing.height(), preprocessing.width()));
            NDList result = predictor.predict(new NDList(x));
            NDArray y = result.get(0);
            long count = y.getShape().size();
            if (y.getShape().dimension() < 1 || y.getShape().get(0) != n || count % n != 0) {
                throw new IllegalStateException("model output of shape " + y.getShape() + " is not one row per tile");
            }
            float[] f = y.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            for (float v : f) {
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException("model " + model.getFileName() + " produced a non-finite feature");
                }
            }
            result.close();
            return f;
        } catch (TranslateException e) {
            throw new IllegalStateException("model " + model.getFileName() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        zoo.close();
        manager.close();
    }
}
