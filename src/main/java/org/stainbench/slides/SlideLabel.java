package org.stainbench.slides;

import java.util.Locale;

/**
 * Slide-level labels of the lab's renal cohort, with the numeric code written as each tile's label in the
 * archive's {@code [tile, label]} rows (Stainbench's codes: the order of this list).
 */
public enum SlideLabel {
    CCRCC("ccRCC"),
    PRCC("pRCC"),
    CHROMOPHOBE("chromophobe"),
    ONCOCYTOMA("oncocytoma"),
    NORMAL("normal"),
    NECROSIS("necrosis"),
    FIBER("fiber"),
    DEFAULT("default");

    private final String text;

    SlideLabel(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public int code() {
        return ordinal();
    }

    public static SlideLabel parse(String s) {
        if (s == null || s.isBlank()) {
            return DEFAULT;
        }
        for (SlideLabel l : values()) {
            if (l.text.equalsIgnoreCase(s.trim()) || l.name().equalsIgnoreCase(s.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("Unknown slide label '" + s
                + "': use one of ccRCC, pRCC, chromophobe, oncocytoma, normal, necrosis, fiber, default.");
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
