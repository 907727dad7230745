package org.stainbench.training;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code stainbench.tracking.*}: limits of the MLflow-compatible API.
 *
 * @param maxFilterLength    longest {@code filter} of {@code runs/search} and {@code experiments/search} (characters)
 * @param maxSearchResults   largest {@code max_results} of one search page (MLflow's own cap is 50000)
 * @param maxSearchWork      work one {@code runs/search} request may do: runs examined × clauses plus the steps of
 *                           its LIKE/ILIKE matches; a search that needs more is refused with 400
 * @param maxArtifactBytes   largest single artifact upload ({@code PUT /api/2.0/mlflow-artifacts/artifacts/…})
 * @param maxRunArtifactBytes largest total size of one run's artifacts
 */
@ConfigurationProperties("stainbench.tracking")
record TrackingProperties(
        @DefaultValue("400") int maxFilterLength,
        @DefaultValue("50000") int maxSearchResults,
        @DefaultValue("50000000") long maxSearchWork,
        @DefaultValue("1GB") DataSize maxArtifactBytes,
        @DefaultValue("20GB") DataSize maxRunArtifactBytes) {}
