package org.stainbench.training;

import java.util.Optional;

/**
 * Where a logged model's files are ({@code mlflow-artifacts:/<experiment>/models/<id>/artifacts}), for model versions
 * whose source is {@code models:/m-<id>} ({@link ModelRegistry}). Implemented by whatever keeps MLflow 3's logged models;
 * while no bean does, such a version needs its {@code run_id}, and its files are taken to be under the run's experiment.
 */
interface LoggedModelLocations {

    /** The logged model's artifact location, or empty when no logged model has this id. */
    Optional<String> artifactLocation(String modelId);
}
