package org.stainbench.review;

import java.util.List;

/**
 * How a session's tiles were drawn and are shown (issue 17), fixed at creation: the eligibility rule, whether real
 * controls were matched to the generated tiles on tissue fraction, the one size every image is served at, the least
 * distance between an item and its repeat, the mean tissue fraction of the drawn tiles by kind and the pools drawn from.
 * Sessions created before it have none.
 */
record ReviewSampling(
        long sessionId,
        Eligibility rule,
        boolean matchTissue,
        int repeatMinDistance,
        int imageWidth,
        int imageHeight,
        Double generatedTissue,
        Double realTissue,
        List<Pool> pools) {

    static final String POOL_GENERATED = "GENERATED";
    static final String POOL_ROWS = "ROWS";
    static final String POOL_REAL = "REAL";

    /** One pool: {@code eligible} of {@code total} tiles (or rows) passed the rule. */
    record Pool(String kind, Long checkpointId, int eligible, int total) {}

    public String imageSize() {
        return imageWidth + " × " + imageHeight + " px";
    }
}
