package org.stainbench.evaluation.features;

import java.util.Optional;
import org.stainbench.evaluation.preprocess.Preprocessing;

/**
 * Extractors the UI recognises by the sha256 of their ONNX file.
 * <p>The standard FID Inception-v3 ("pt_inception-2015-12-05", the weights of pytorch-fid and torch-fidelity,
 * ported from TensorFlow's 2015 graph) cannot be downloaded on the team's machines. Export it once on a machine
 * with PyTorch and internet with {@code python3 src/tools/export_fid_inception.py fid_inception.onnx} (see README),
 * and put the printed sha256 into {@link #FID_INCEPTION_SHA256}. Until then the constant is {@code null} and no
 * file is labelled "standard FID Inception": a hash is never guessed.
 */
public final class StandardExtractors {

    /** Display name of the standard FID network. */
    public static final String FID_INCEPTION_NAME = "standard FID Inception-v3 (pt_inception-2015-12-05)";

    /**
     * sha256 of {@code fid_inception.onnx} as written by {@code src/tools/export_fid_inception.py} (opset 17,
     * input 1 x 3 x 299 x 299 with a dynamic batch axis, output N x 2048 pool features); null until known.
     */
    public static final String FID_INCEPTION_SHA256 = null;

    private StandardExtractors() {}

    /** The standard name of a model file with this sha256, if it is one we know. */
    public static Optional<String> recognise(String sha256) {
        if (FID_INCEPTION_SHA256 != null && FID_INCEPTION_SHA256.equalsIgnoreCase(sha256)) {
            return Optional.of(FID_INCEPTION_NAME);
        }
        return Optional.empty();
    }

    /**
     * The input pipeline the exported FID Inception expects: 299 x 299 by TF1-compatible bilinear, values
     * (v - 128) / 128, as torch-fidelity feeds it (the export keeps the network's own input normalisation out).
     */
    public static Preprocessing fidInceptionPreprocessing() {
        return Preprocessing.torchFidelityInception();
    }
}
