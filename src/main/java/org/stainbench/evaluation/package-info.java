/**
 * Evaluation: feature extraction, FID / KID / CropFID and stain distances over seeds, comparisons.
 * The pure metric math lives in {@code org.stainbench.evaluation.metrics} (no Spring, JPA or I/O; float64;
 * tested against numpy/scipy); {@link org.stainbench.evaluation.MetricsCommand} is the jar's
 * {@code metrics} sub-command.
 */
package org.stainbench.evaluation;
