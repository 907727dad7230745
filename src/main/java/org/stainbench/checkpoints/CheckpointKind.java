package org.stainbench.checkpoints;

/**
 * A trained model adapter, one of the two classical colour baselines, or an epoch of the CPU colour map;
 * all but MODEL are applied on the CPU by the embedded baseline job.
 */
public enum CheckpointKind {
    MODEL("model"),
    REINHARD("Reinhard baseline"),
    STAIN_REMAP("stain-remap baseline"),
    /** An epoch of the CPU-trainable colour map (training module), applied on the CPU like a baseline. */
    COLOUR_MAP("CPU colour map");

    private final String label;

    CheckpointKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean baseline() {
        return this != MODEL;
    }
}
