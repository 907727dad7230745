package org.stainbench.review;

/**
 * One item of a session. {@code kind} GENERATED: a generated tile ({@code archiveId}, {@code tileIndex}) made by
 * {@code checkpointId} from H&amp;E tile ({@code sourceArchiveId}, {@code sourceIndex}); REAL: a real IHC control
 * tile ({@code archiveId}, {@code tileIndex}); PAIR (2AFC): the generated tile and a real one
 * ({@code realArchiveId}, {@code realIndex}), the real one on the left when {@code realLeft}. Raters see only the
 * opaque {@code token} and image tokens. New items are made with {@link #builder()} (named steps, not sixteen
 * positional values); the canonical constructor is for reading rows.
 */
record ReviewItem(
        long id,
        long sessionId,
        int position,
        String token,
        String kind,
        Long checkpointId,
        Long archiveId,
        Integer tileIndex,
        Long sourceArchiveId,
        Integer sourceIndex,
        Long realArchiveId,
        Integer realIndex,
        Boolean realLeft,
        String imageA,
        String imageB,
        String imageSource) {

    static final String GENERATED = "GENERATED";
    static final String REAL = "REAL";
    static final String PAIR = "PAIR";

    /** A tile of an ingested archive. */
    record TileRef(long archiveId, int index) {}

    /** True when the item's (single) tile is a real control. */
    public boolean real() {
        return REAL.equals(kind);
    }

    static Builder builder() {
        return new Builder();
    }

    /** The same item at another position of the session. */
    ReviewItem atPosition(int p) {
        return new ReviewItem(
                id,
                sessionId,
                p,
                token,
                kind,
                checkpointId,
                archiveId,
                tileIndex,
                sourceArchiveId,
                sourceIndex,
                realArchiveId,
                realIndex,
                realLeft,
                imageA,
                imageB,
                imageSource);
    }

    /** The item as one rater's repeat showing presents it: the repeat's own token, image tokens and sides. */
    ReviewItem asShownIn(ReviewStore.Repeat r) {
        return new ReviewItem(
                id,
                sessionId,
                position,
                r.token(),
                kind,
                checkpointId,
                archiveId,
                tileIndex,
                sourceArchiveId,
                sourceIndex,
                realArchiveId,
                realIndex,
                r.realLeft(),
                r.imageA(),
                r.imageB(),
                r.imageSource());
    }

    /** Builds a new item: session, token, one of generated / real / pair, then its image tokens. */
    static final class Builder {
        private long sessionId;
        private int position;
        private String token;
        private String kind;
        private Long checkpointId;
        private TileRef tile;
        private TileRef source;
        private TileRef real;
        private Boolean realLeft;
        private String imageA;
        private String imageB;
        private String imageSource;

        Builder session(long id) {
            this.sessionId = id;
            return this;
        }

        Builder position(int p) {
            this.position = p;
            return this;
        }

        Builder token(String t) {
            this.token = t;
            return this;
        }

        /** A generated tile made by the checkpoint from the H&amp;E source tile. */
        Builder generated(long checkpoint, TileRef generated, TileRef sourceTile) {
            this.kind = GENERATED;
            this.checkpointId = checkpoint;
            this.tile = generated;
            this.source = sourceTile;
            return this;
        }

        /** A real IHC control tile on its own. */
        Builder real(TileRef realTile) {
            this.kind = REAL;
            this.tile = realTile;
            return this;
        }

        /** A 2AFC pair: the generated tile (with its source) and a real tile, the real one on the left when asked. */
        Builder pair(long checkpoint, TileRef generated, TileRef sourceTile, TileRef realTile, boolean realOnLeft) {
            generated(checkpoint, generated, sourceTile);
            this.kind = PAIR;
            this.real = realTile;
            this.realLeft = realOnLeft;
            return this;
        }

        /** The image tokens: A (the tile; left of a pair), B (right of a pair) and the H&amp;E source (or null). */
        Builder images(String a, String b, String sourceImage) {
            this.imageA = a;
            this.imageB = b;
            this.imageSource = sourceImage;
            return this;
        }

        ReviewItem build() {
            if (kind == null || token == null || imageA == null || (PAIR.equals(kind) && imageB == null)) {
                throw new IllegalStateException("an item needs a kind, a token and its image tokens");
            }
            return new ReviewItem(
                    0,
                    sessionId,
                    position,
                    token,
                    kind,
                    checkpointId,
                    tile.archiveId(),
                    tile.index(),
                    source == null ? null : source.archiveId(),
                    source == null ? null : source.index(),
                    real == null ? null : real.archiveId(),
                    real == null ? null : real.index(),
                    realLeft,
                    imageA,
                    imageB,
                    imageSource);
        }
    }
}
