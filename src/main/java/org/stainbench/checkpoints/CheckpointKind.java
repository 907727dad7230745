package org.stainbench.checkpoints;

/** A trained model adapter, or one of the two classical colour baselines that run on the CPU. */
public enum CheckpointKind {
    MODEL("model"), REINHARD("Reinhard baseline"), STAIN_REMAP("stain-remap baseline");

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
