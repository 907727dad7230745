package org.stainbench.shell;

/**
 * What an {@link Activity} is about. The label is what the trail stores in {@code activity.subject_type} and shows
 * in its filter, so a module names its subjects with these constants, never with the strings.
 */
public enum ActivitySubject {
    DATASET("dataset"),
    ARCHIVE("archive"),
    SLIDE("slide"),
    CHECKPOINT("checkpoint"),
    GENERATED_SET("generated set"),
    GALLERY("gallery"),
    FEATURE_EXTRACTOR("feature extractor"),
    FEATURES("features"),
    EVALUATION("evaluation"),
    EXPERIMENT("experiment"),
    RUN("run"),
    REVIEW_SESSION("review session"),
    REPORT("report"),
    JOB("job"),
    COMMAND_TEMPLATE("command template"),
    USER("user"),
    TOKEN("token");

    private final String label;

    ActivitySubject(String label) {
        this.label = label;
    }

    /** The stored and shown name, e.g. "review session". */
    public String label() {
        return label;
    }
}
