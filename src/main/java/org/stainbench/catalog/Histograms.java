package org.stainbench.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Histograms of the per-tile measures for the dataset page (20 bins; fractions on [0, 1]). */
final class Histograms {

    static final int BINS = 20;

    private Histograms() {
    }

    /** One map per measure: name, labels (bin ranges), counts, and the threshold if the lab's filter has one. */
    static List<Map<String, Object>> of(List<double[]> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        Double[] thresholds = {100.0, 0.10, 0.60, null, null};
        for (int m = 0; m < CatalogStore.MEASURES.length; m++) {
            double lo = 0;
            double hi = 1;
            if (m == 0) {
                double max = 0;
                for (double[] r : rows) {
                    max = Math.max(max, r[0]);
                }
                hi = Math.max(200, Math.ceil(max / 100) * 100);
            }
            long[] counts = new long[BINS];
            for (double[] r : rows) {
                int b = (int) Math.floor((r[m] - lo) / (hi - lo) * BINS);
                counts[Math.max(0, Math.min(BINS - 1, b))]++;
            }
            List<String> labels = new ArrayList<>();
            for (int b = 0; b < BINS; b++) {
                double a = lo + (hi - lo) * b / BINS;
                labels.add(m == 0 ? String.format(Locale.ROOT, "%.0f", a) : String.format(Locale.ROOT, "%.2f", a));
            }
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("name", CatalogStore.MEASURES[m]);
            h.put("labels", labels);
            h.put("counts", counts);
            h.put("threshold", thresholds[m]);
            out.add(h);
        }
        return out;
    }
}
