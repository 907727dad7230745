package org.stainbench.catalog;

/**
 * The names of the demo project's datasets ({@code DemoData} creates them): other modules' demo parts find the
 * datasets by these names.
 */
public final class DemoDatasets {

    /** Synthetic H&amp;E tiles, 512 px. */
    public static final String HE = "Demo H&E (synthetic)";
    /** Synthetic CK7 tiles, 512 px. */
    public static final String CK7 = "Demo CK7 (synthetic)";
    /** Real H&amp;E tissue, 256 px tiles. */
    public static final String REAL_HE = "Real tissue H&E (demo)";
    /** Real IHC tissue, 256 px tiles. */
    public static final String REAL_IHC = "Real tissue IHC (demo)";

    private DemoDatasets() {}
}
