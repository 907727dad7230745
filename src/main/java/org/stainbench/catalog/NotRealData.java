package org.stainbench.catalog;

/**
 * A generated set (or a missing dataset) given where real tiles are required. An {@link IllegalArgumentException}
 * so that every form and API that shows rule violations as 400 with the message shows this one too.
 */
public final class NotRealData extends IllegalArgumentException {

    private final long datasetId;
    private final String role;

    public NotRealData(long datasetId, String role, String message) {
        super(message);
        this.datasetId = datasetId;
        this.role = role;
    }

    public long datasetId() {
        return datasetId;
    }

    /** What the dataset was given as, e.g. "the real IHC target". */
    public String role() {
        return role;
    }
}
