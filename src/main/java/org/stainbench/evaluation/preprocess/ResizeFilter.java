package org.stainbench.evaluation.preprocess;

/** How a tile is resized to the extractor's input size; each matches one reference implementation. */
public enum ResizeFilter {

    /** No resize: the tile must already have the input size. */
    NONE("none: tile size must equal the input size"),

    /**
     * Bilinear with antialiasing, as {@code torch.nn.functional.interpolate(x, size, mode="bilinear",
     * align_corners=False, antialias=True)} (current torchmetrics) and PIL's BILINEAR: a triangle filter whose
     * support widens by the downscaling factor, half-pixel centres, weights normalised per output pixel.
     */
    BILINEAR_ANTIALIAS("bilinear, antialias (torch interpolate antialias=True / PIL BILINEAR)"),

    /**
     * TensorFlow 1.x {@code tf.image.resize_bilinear(align_corners=False)} as reproduced by torch-fidelity's
     * {@code interpolate_bilinear_2d_like_tensorflow1x}: source coordinate = destination * (in / out), no
     * half-pixel offset, no antialiasing, last row/column clamped.
     */
    TF1_BILINEAR("bilinear like TensorFlow 1.x (torch-fidelity)"),

    /**
     * PIL's BICUBIC resample (Keys cubic, a = -0.5, support 2 widened by the downscaling factor) on float values,
     * as clean-fid ({@code Image.fromarray(x, mode="F").resize(size, Image.BICUBIC)} per channel).
     */
    PIL_BICUBIC("bicubic like PIL on float values (clean-fid)");

    private final String description;

    ResizeFilter(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
