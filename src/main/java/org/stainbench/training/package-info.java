/**
 * Training runs and tracking: an MLflow-compatible REST API ({@code /api/2.0/mlflow/},
 * {@code /api/2.0/mlflow-artifacts/}) so that the team's unmodified {@code mlflow} client logs into
 * Stainbench, and pages for the runs it records.
 */
@ApplicationModule(
        allowedDependencies = {"shell", "artifacts", "accounts", "catalog", "checkpoints", "jobs", "evaluation", "tiles"
        })
package org.stainbench.training;

import org.springframework.modulith.ApplicationModule;
