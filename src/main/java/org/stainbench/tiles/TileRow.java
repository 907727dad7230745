package org.stainbench.tiles;

/**
 * The small values that accompany a tile in the lab's object arrays: {@code [tile, label]} rows, or
 * {@code (tile, coords, ratio, label)} rows in the training variant. Any of them may be null (plain arrays
 * have none).
 */
public record TileRow(Double label, long[] coords, Double ratio) {

    public static final TileRow NONE = new TileRow(null, null, null);
}
