package org.stainbench.tiles;

import java.util.List;

/** The result of reading a tile array: its header, the tile size and one {@link TileRow} per tile. */
public record TileArray(TileArrayHeader header, int width, int height, List<TileRow> rows) {

    public int count() {
        return header.count();
    }
}
