package org.stainbench.catalog;

import java.util.Optional;

/**
 * Names of the checkpoints that generated sets come from, for the catalog's pages (the checkpoints module owns
 * checkpoints and depends on the catalog, so it provides this; without it pages show "checkpoint #id").
 */
public interface CheckpointNames {

    /** The live checkpoint's name, or empty when there is no such checkpoint. */
    Optional<String> checkpointName(long checkpointId);
}
