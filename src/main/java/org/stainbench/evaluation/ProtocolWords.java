package org.stainbench.evaluation;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An evaluation's recorded protocol in words for its page (issue 18): the recorded keys ({@code tile_selection},
 * {@code kid_subset_size} …) as labels, and the preprocessing's {@code value*0.00392156862745098+0.0} as "each value ×
 * 1/255 + 0". Display only: the recorded (and fingerprinted) text is unchanged.
 */
public final class ProtocolWords {

    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("tile_selection", "Tile selection"),
            Map.entry("tile_stream", "Random stream of the tile draw"),
            Map.entry("tiles_per_side", "Tiles per side (real and generated)"),
            Map.entry("archives_per_side", "Archives per side"),
            Map.entry("crop_size", "Crop size (px)"),
            Map.entry("crops_per_tile", "Crops per tile (CropFID)"),
            Map.entry("seeds", "Evaluation seeds"),
            Map.entry("kid_subsets", "KID subsets"),
            Map.entry("kid_subset_size", "Tiles per KID subset"),
            Map.entry("batch_size", "Feature batch size"),
            Map.entry("inputs", "Inputs"),
            Map.entry("bootstrap", "Patient bootstrap"),
            Map.entry("bootstrap_resamples", "Bootstrap resamples"),
            Map.entry("real_dataset", "Real IHC dataset"),
            Map.entry("extractor", "Feature extractor"),
            Map.entry("extractor_sha256", "Extractor file SHA-256"),
            Map.entry("extractor_standard", "Standard FID network?"),
            Map.entry("preprocessing", "Preprocessing"),
            Map.entry("metrics", "Metrics"),
            Map.entry("n_real", "Real tiles"),
            Map.entry("n_fake", "Generated tiles"),
            Map.entry("crops_per_image", "Crops per tile (CropFID)"));

    private static final Pattern SCALE = Pattern.compile("value\\*([-0-9.Ee]+)([+-][-0-9.Ee]+)");
    private static final Pattern SIZE = Pattern.compile("^(\\d+)x(\\d+), ");

    private ProtocolWords() {}

    /** The label of a recorded key; an unknown key with its underscores as spaces, capitalised. */
    public static String label(String key) {
        String l = LABELS.get(key);
        if (l != null) {
            return l;
        }
        String s = key.replace('_', ' ');
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    /** The recorded value in words (the preprocessing's arithmetic spelled out); other values as recorded. */
    public static String value(String key, String value) {
        if (value == null || !"preprocessing".equals(key)) {
            return value;
        }
        String out = SIZE.matcher(value).replaceFirst("resized to $1 × $2 px, ");
        Matcher m = SCALE.matcher(out);
        if (m.find()) {
            double scale = Double.parseDouble(m.group(1));
            double offset = Double.parseDouble(m.group(2));
            out = out.substring(0, m.start()) + "each 0..255 value × " + fraction(scale) + " "
                    + (offset < 0 ? "− " : "+ ") + number(Math.abs(offset)) + out.substring(m.end());
        }
        return out.replace(", mean ", ", then minus the channel mean ")
                .replace(", std ", ", divided by the channel std ");
    }

    /** 1/255, 1/128 … when the scale is the reciprocal of a whole number, else the number. */
    static String fraction(double scale) {
        if (scale > 0) {
            double r = 1 / scale;
            long n = Math.round(r);
            if (n > 1 && Math.abs(r - n) < 1e-9 * n) {
                return "1/" + n;
            }
        }
        return number(scale);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
