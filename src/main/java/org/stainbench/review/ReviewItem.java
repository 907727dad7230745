package org.stainbench.review;

/**
 * One item of a session. {@code kind} GENERATED: a generated tile ({@code archiveId}, {@code tileIndex}) made by
 * {@code checkpointId} from H&amp;E tile ({@code sourceArchiveId}, {@code sourceIndex}); REAL: a real IHC control
 * tile ({@code archiveId}, {@code tileIndex}); PAIR (2AFC): the generated tile and a real one
 * ({@code realArchiveId}, {@code realIndex}), the real one on the left when {@code realLeft}. Raters see only the
 * opaque {@code token} and image tokens.
 */
record ReviewItem(long id, long sessionId, int position, String token, String kind, Long checkpointId, Long archiveId,
                  Integer tileIndex, Long sourceArchiveId, Integer sourceIndex, Long realArchiveId, Integer realIndex,
                  Boolean realLeft, String imageA, String imageB, String imageSource) {

    static final String GENERATED = "GENERATED";
    static final String REAL = "REAL";
    static final String PAIR = "PAIR";

    /** True when the item's (single) tile is a real control. */
    public boolean real() {
        return REAL.equals(kind);
    }
}
