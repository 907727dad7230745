package org.stainbench.evaluation;

import java.time.Instant;
import java.util.Optional;
import org.stainbench.evaluation.features.StandardExtractors;
import org.stainbench.evaluation.preprocess.Preprocessing;
import org.stainbench.evaluation.preprocess.ResizeFilter;

/** A registered feature extractor: an ONNX file (sha256 recorded), its declared preprocessing and output size. */
public record Extractor(
        long id,
        String name,
        String fileName,
        String sha256,
        long sizeBytes,
        String source,
        String path,
        int inputHeight,
        int inputWidth,
        ResizeFilter filter,
        double scale,
        double offset,
        double[] mean,
        double[] std,
        int outputDim,
        String createdBy,
        Instant createdAt) {

    Preprocessing preprocessing() {
        return new Preprocessing(inputHeight, inputWidth, filter, scale, offset, mean, std);
    }

    /** "standard FID Inception-v3 …" when the file's hash is the known export's. */
    public Optional<String> standardName() {
        return StandardExtractors.recognise(sha256);
    }

    public String shortSha() {
        return sha256.substring(0, 12);
    }

    public String describePreprocessing() {
        return preprocessing().describe();
    }
}
