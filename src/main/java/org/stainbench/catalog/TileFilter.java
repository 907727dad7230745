package org.stainbench.catalog;

/**
 * Tile browser filters; null fields do not filter.
 *
 * @param informativeOnly only tiles that pass the lab's filter
 * @param minTissue       tissue fraction (whole tile) at least this
 * @param label           this label
 * @param archiveId       tiles of this archive
 * @param side            split side, "train" or "test"
 */
public record TileFilter(Boolean informativeOnly, Double minTissue, Double label, Long archiveId, String side) {

    public static final TileFilter NONE = new TileFilter(null, null, null, null, null);

    public TileFilter {
        if (minTissue != null && (minTissue < 0 || minTissue > 1)) {
            throw new IllegalArgumentException("Tissue fraction must be between 0 and 1.");
        }
        if (side != null && side.isBlank()) {
            side = null;
        }
        if (side != null && !side.equals("train") && !side.equals("test")) {
            throw new IllegalArgumentException("Split side must be 'train' or 'test'.");
        }
        if (Boolean.FALSE.equals(informativeOnly)) {
            informativeOnly = null;
        }
    }
}
