package org.stainbench.tiles;

/**
 * What a tile array declares before its data: the layout, the number of tiles and, for plain arrays,
 * the tile size ({@code 0} where the size is only known from the tiles, as in object arrays).
 *
 * @param layout e.g. {@code "object (N, 2)"} or {@code "uint8 (N, H, W, 3)"}
 * @param key    the archive entry (npz key) holding the array, or {@code ""} for a bare .npy
 */
public record TileArrayHeader(String key, String layout, int count, int width, int height) {

    public boolean isObjectArray() {
        return layout.startsWith("object");
    }
}
