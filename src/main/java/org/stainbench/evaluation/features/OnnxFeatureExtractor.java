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
 * Runs an ONNX feature extractor with DJL on ONNX Runtime — on the CPU, or with CUDA when asked for and present —, fully offline ({@code ai.djl.offline}
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

    /** Where the model runs: ONNX Runtime's CPU or CUDA execution provider. */
    public enum Provider {
        CPU,
        CUDA
    }

    private final Provider provider;
    private final String providerNote;

    public OnnxFeatureExtractor(Path model, Preprocessing preprocessing) throws IOException {
        this(model, preprocessing, false);
    }

    /**
     * {@code preferCuda}: use ONNX Runtime's CUDA execution provider (DJL's GPU device for the OnnxRuntime engine) when
     * CUDA is present — the ONNX Runtime on the class path has the CUDA provider (the {@code onnxruntime_gpu} build)
     * and a GPU is visible ({@code CUDA_VISIBLE_DEVICES} not set to empty, as a node agent does for a job without
     * GPUs); else, or when the CUDA session cannot be created, the CPU, with the reason in {@link #providerNote()}.
     */
    public OnnxFeatureExtractor(Path model, Preprocessing preprocessing, boolean preferCuda) throws IOException {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("no model file " + model);
        }
        this.model = model;
        this.preprocessing = preprocessing;
        this.sha256 = Sha256.of(model);
        String why = preferCuda ? cudaAbsent() : "CPU asked for";
        ZooModel<NDList, NDList> loaded = null;
        Provider used = Provider.CPU;
        if (why == null) {
            try {
                loaded = load(model, ai.djl.Device.gpu());
                used = Provider.CUDA;
                why = "CUDA execution provider";
            } catch (IllegalArgumentException | ai.djl.engine.EngineException e) {
                why = "CUDA session failed (" + e.getMessage() + "); CPU used";
            }
        }
        this.zoo = loaded != null ? loaded : load(model, ai.djl.Device.cpu());
        this.provider = used;
        this.providerNote = why;
        this.predictor = zoo.newPredictor();
        this.manager = NDManager.newBaseManager(
                used == Provider.CUDA ? ai.djl.Device.gpu() : ai.djl.Device.cpu(), "OnnxRuntime");
    }

    private static ZooModel<NDList, NDList> load(Path model, ai.djl.Device device) throws IOException {
        Criteria.Builder<NDList, NDList> b = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(model)
                .optEngine("OnnxRuntime")
                .optTranslator(new NoopTranslator());
        b = b.optDevice(device);
        try {
            return b.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IllegalArgumentException("cannot load ONNX model " + model + ": " + e.getMessage(), e);
        }
    }

    /** Null when CUDA is present (provider in the ONNX Runtime build and a visible GPU), else why not. */
    static String cudaAbsent() {
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        if (visible != null && visible.isBlank()) {
            return "no GPU visible (CUDA_VISIBLE_DEVICES is empty)";
        }
        try {
            if (!ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)) {
                return "this ONNX Runtime build has no CUDA execution provider";
            }
        } catch (RuntimeException | LinkageError e) {
            return "ONNX Runtime's providers could not be listed: " + e.getMessage();
        }
        return null;
    }

    /** The execution provider the model runs on. */
    public Provider provider() {
        return provider;
    }

    /** Why that provider: "CUDA execution provider", or why the CPU. */
    public String providerNote() {
        return providerNote;
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
