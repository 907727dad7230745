package org.stainbench.catalog;

/** What a dataset's slides are stained with. IHC datasets name their marker (e.g. CK7). */
public enum Stain {
    HE("H&E"),
    IHC("IHC");

    private final String label;

    Stain(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
