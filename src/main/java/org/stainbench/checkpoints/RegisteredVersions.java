package org.stainbench.checkpoints;

import java.util.List;
import java.util.Map;

/**
 * The model registry's entries for a checkpoint (issue 19: a registered model version is a checkpoint), read-only.
 * Implemented by the module that keeps the registry (training); the checkpoint page calls it through this interface as
 * {@code ${@registeredVersions.of(checkpoint.id)}}, so this module does not depend on the registry.
 */
public interface RegisteredVersions {

    /** The registered model versions that are this checkpoint, oldest first; empty when it is in no registered model. */
    List<Entry> of(long checkpointId);

    /**
     * One registered model version of the checkpoint: its model's name, its number and stage, the aliases pointing at
     * it, the other versions of the same model (number → stage, newest first) and the latest metrics of its run.
     */
    record Entry(
            String modelName,
            int version,
            String stage,
            List<String> aliases,
            Map<Integer, String> allVersions,
            Map<String, Double> metrics,
            String downloadUri) {}
}
