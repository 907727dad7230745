/**
 * Neural feature extraction: ONNX models run with DJL on ONNX Runtime (offline), fed by the declared
 * {@link org.stainbench.evaluation.preprocess.Preprocessing}; known extractors recognised by sha256.
 */
package org.stainbench.evaluation.features;
