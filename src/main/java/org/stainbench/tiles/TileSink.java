package org.stainbench.tiles;

/** Receives the tiles of an array one at a time, in order, while the array is being read. */
@FunctionalInterface
public interface TileSink {

    /** Called once, before the first tile, with what the array's header says. */
    default void begin(TileArrayHeader header) throws Exception {}

    /** Tile {@code index} (0-based row of the array). The tile's bytes may be reused after this returns. */
    void accept(int index, RgbTile tile) throws Exception;
}
