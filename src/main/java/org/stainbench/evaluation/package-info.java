/**
 * Evaluation: feature extraction, FID / KID / CropFID and stain distances over seeds, comparisons.
 * The pure metric math lives in {@code org.stainbench.evaluation.metrics} (no Spring, JPA or I/O; float64;
 * tested against numpy/scipy); {@link org.stainbench.evaluation.MetricsCommand} is the jar's
 * {@code metrics} sub-command. {@link org.stainbench.evaluation.Agreements} ranks the metrics by their agreement with
 * the pathologists, whose per-checkpoint outcomes other modules (review) contribute through
 * {@link org.stainbench.evaluation.PathologistOutcomes}: this module never reads review's tables. JSON API:
 * {@code /api/evaluations} ({@code EvaluationApiController}). With {@code stainbench.evaluation.features-on=node}
 * an evaluation's features are computed by a node agent running the jar's {@code features --job} command
 * ({@code NodeFeatures}, {@code FeatureJobApiController}, {@code FeaturesJobClient}), issue 21.
 */
@ApplicationModule(allowedDependencies = {"shell", "accounts", "artifacts", "catalog", "checkpoints", "jobs", "tiles"})
package org.stainbench.evaluation;

import org.springframework.modulith.ApplicationModule;
