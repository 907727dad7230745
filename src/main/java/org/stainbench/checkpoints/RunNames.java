package org.stainbench.checkpoints;

/**
 * The name of a training run by its id (issue 18: pages show run names, not hashes). Implemented by the module that
 * records runs (training); the pages of modules that only hold a checkpoint's run id (checkpoints, evaluation, their
 * tables, chart legends and lineage) call it through this interface, as {@code ${@runNames.label(uuid)}} in templates.
 */
public interface RunNames {

    /** The run's name; when the run is unknown (or has none), its id's first 8 characters. Null for a null id. */
    String label(String runUuid);
}
