package org.stainbench.evaluation.metrics;

/**
 * Where the crops of the CropFID / crop-KID stream lie. For one seed, one {@link SplitMix64} stream seeded
 * with that seed draws, for tile t = 0..tiles-1 in order and crop k = 0..perTile-1 in order, first the top
 * row {@code y = nextInt(height - size + 1)} and then the left column {@code x = nextInt(width - size + 1)}.
 * Tiles are numbered in the order of the evaluation's recorded tile list, so positions depend only on the seed,
 * the tile order, the tile size and the crop protocol — never on threads or batching.
 */
public final class CropPositions {

    private CropPositions() {}

    /** One crop: top-left corner (row y, column x), {@code size} x {@code size} pixels. */
    public record Crop(int tile, int index, int y, int x, int size) {}

    /**
     * Draws {@code perTile} crops of {@code size} x {@code size} for each of {@code tiles} tiles of
     * {@code height} x {@code width}; the result lists tile 0's crops first.
     */
    public static Crop[] draw(long seed, int tiles, int height, int width, int size, int perTile) {
        if (tiles < 0) {
            throw new IllegalArgumentException("tile count must not be negative, got " + tiles);
        }
        if (perTile < 1) {
            throw new IllegalArgumentException("need at least 1 crop per tile, got " + perTile);
        }
        if (size < 1 || size > height || size > width) {
            throw new IllegalArgumentException(
                    "crop size " + size + " does not fit a " + height + " x " + width + " tile");
        }
        SplitMix64 rng = new SplitMix64(seed);
        Crop[] out = new Crop[tiles * perTile];
        for (int t = 0; t < tiles; t++) {
            for (int k = 0; k < perTile; k++) {
                int y = rng.nextInt(height - size + 1);
                int x = rng.nextInt(width - size + 1);
                out[t * perTile + k] = new Crop(t, k, y, x, size);
            }
        }
        return out;
    }

    /** Cuts a crop out of an interleaved (height x width x channels) 8-bit tile. */
    public static byte[] cut(byte[] hwc, int height, int width, int channels, Crop crop) {
        if (hwc.length != height * width * channels) {
            throw new IllegalArgumentException(
                    "tile has " + hwc.length + " bytes, not " + height + " x " + width + " x " + channels);
        }
        if (crop.y() < 0 || crop.x() < 0 || crop.y() + crop.size() > height || crop.x() + crop.size() > width) {
            throw new IllegalArgumentException("crop " + crop + " lies outside a " + height + " x " + width + " tile");
        }
        int c = crop.size();
        byte[] out = new byte[c * c * channels];
        for (int r = 0; r < c; r++) {
            System.arraycopy(hwc, ((crop.y() + r) * width + crop.x()) * channels, out, r * c * channels, c * channels);
        }
        return out;
    }
}
