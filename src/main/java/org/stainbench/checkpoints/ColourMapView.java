package org.stainbench.checkpoints;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stainbench.tiles.ColourMap;

/**
 * A colour-map checkpoint's parameters as its page shows them: the 3×3 optical-density matrix with the offset as a
 * fourth column, one row per output channel (R, G, B), four decimals; the full-precision text stays in the database.
 */
final class ColourMapView {

    private ColourMapView() {}

    /** The rows (channel, then A's three entries and b), or null when {@code params} is no colour map. */
    static List<List<String>> rows(String params) {
        if (params == null || !params.startsWith("map=")) {
            return null;
        }
        double[] p;
        try {
            p = ColourMap.parse(params).parameters();
        } catch (IllegalArgumentException e) {
            return null;
        }
        String[] channels = {"R", "G", "B"};
        List<List<String>> out = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            List<String> row = new ArrayList<>();
            row.add(channels[r]);
            for (int c = 0; c < 3; c++) {
                row.add(String.format(Locale.ROOT, "%.4f", p[r * 3 + c]));
            }
            row.add(String.format(Locale.ROOT, "%.4f", p[9 + r]));
            out.add(row);
        }
        return out;
    }
}
