package org.stainbench.reports;

/** The kinds of report block. */
enum BlockKind {
    TEXT("Text"),
    TABLE("Comparison table"),
    CHART("Chart"),
    GALLERY("Gallery"),
    REVIEW("Review results");

    private final String title;

    BlockKind(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static BlockKind of(String s) {
        for (BlockKind k : values()) {
            if (k.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "Unknown kind of block '" + s + "': choose text, table, chart, gallery or review.");
    }
}
