package org.stainbench.review;

/** What a rater answers for each item. */
enum ReviewMode {
    TWO_AFC("Two-alternative forced choice", "A real and a generated tile side by side: which is real?"),
    REAL_OR_VIRTUAL("Real or virtual", "One tile: real or virtual, with a confidence from 1 to 5."),
    LIKERT("Likert criteria", "One tile: each criterion scored 1 (poor) to 5 (excellent), with a free-text note."),
    MARKER(
            "Marker score",
            "One tile: CK7 score negative / weak / moderate / strong and the estimated positive fraction.");

    private final String title;
    private final String description;

    ReviewMode(String title, String description) {
        this.title = title;
        this.description = description;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** The CK7 Likert criteria a new session starts with (editable per session). */
    static final java.util.List<String> CK7_CRITERIA = java.util.List.of(
            "Cytoplasmic/membranous staining pattern plausible",
            "DAB specificity versus background",
            "Counterstain and nuclear detail",
            "Free of artefacts or hallucinated structures",
            "Usable for diagnosis");

    /** Marker score categories in order (stored as their position 0–3). */
    static final java.util.List<String> MARKER_SCORES = java.util.List.of("NEGATIVE", "WEAK", "MODERATE", "STRONG");
}
