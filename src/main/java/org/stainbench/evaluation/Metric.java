package org.stainbench.evaluation;

import java.util.Arrays;
import java.util.Optional;

/**
 * The stored metrics of an evaluation. For the quality metrics lower is better and rows are ranked; {@link #KID_STD}
 * is a dispersion (the std of KID over its subsets), shown but never ranked or marked best.
 */
public enum Metric {
    FID("FID", "FID"),
    KID_MEAN("KID", "KID"),
    KID_STD("KID std (subsets)", "KID$_\\sigma$"),
    CROP_FID("CropFID", "CropFID"),
    W1_DAB_FRACTION("W1 DAB+ fraction", "W$_1$ DAB$^+$"),
    KS_DAB_FRACTION("KS DAB+ fraction", "KS DAB$^+$"),
    W1_MEAN_DAB("W1 mean DAB", "W$_1$ $\\bar{\\mathrm{DAB}}$"),
    KS_MEAN_DAB("KS mean DAB", "KS $\\bar{\\mathrm{DAB}}$");

    private final String label;
    private final String latex;

    Metric(String label, String latex) {
        this.label = label;
        this.latex = latex;
    }

    public String label() {
        return label;
    }

    public String latex() {
        return latex;
    }

    /** False for a dispersion column: it says how noisy a value is, not how good a model is. */
    public boolean ranked() {
        return this != KID_STD;
    }

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Optional<Metric> ofKey(String key) {
        return Arrays.stream(values())
                .filter(m -> m.key().equalsIgnoreCase(key) || m.name().equalsIgnoreCase(key))
                .findFirst();
    }
}
