package org.stainbench.catalog;

/**
 * What a dataset holds: tiles of real slides, or a generated set (a checkpoint applied to a source dataset).
 * Everything that needs real data (an evaluation's real target, a trainer's real IHC, a colour target, review
 * controls, training data) accepts only {@link #REAL}; see {@link Catalog#requireReal}.
 */
public enum DatasetKind {
    REAL("real"),
    GENERATED("generated");

    private final String label;

    DatasetKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
