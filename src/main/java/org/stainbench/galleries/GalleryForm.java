package org.stainbench.galleries;

import java.util.List;

/**
 * The gallery form's fields as the pages, permalinks and exports send them (all optional), bound as one record by
 * every gallery endpoint; {@link GalleryQuery} checks them and fills the defaults.
 */
record GalleryForm(
        Long source,
        List<Long> ck,
        Integer rows,
        Long seed,
        Double minTissue,
        Double minCenter,
        Long rank,
        Integer scan,
        Integer k) {

    /** The query as sent (a random gallery without a seed is redirected to a seeded permalink). */
    GalleryQuery query() {
        return GalleryQuery.of(source, ck, rows, seed, minTissue, minCenter, rank, scan, k);
    }

    /** The query with seed 0 when none is given: the compare view and the exports, which never redirect. */
    GalleryQuery pinned() {
        return GalleryQuery.of(source, ck, rows, seed == null ? 0L : seed, minTissue, minCenter, rank, scan, k);
    }

    /** After a refused field: the source, checkpoints, seed and rank as sent, everything else at its default. */
    GalleryQuery fallback() {
        return GalleryQuery.of(source, ck, null, seed, null, null, rank, null, null);
    }
}
