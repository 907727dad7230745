package org.stainbench.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Histograms of the per-tile measures for the dataset page (20 bins; fractions on [0, 1]). */
final class Histograms {

    static final int BINS = 20;

    private Histograms() {}

    /**
     * One map per measure: name, labels (bin starts), counts, and the threshold if the lab's filter has one.
     * Counted by the database (one grouped query per measure), so a 50,000-tile dataset is not read into memory.
     */
    static List<Map<String, Object>> of(CatalogStore store, long datasetId) {
        List<Map<String, Object>> out = new ArrayList<>();
        Double[] thresholds = {100.0, 0.10, 0.60, null, null};
        for (int m = 0; m < CatalogStore.MEASURES.length; m++) {
            double lo = 0;
            double hi = m == 0 ? Math.max(200, Math.ceil(store.maxMeasure(datasetId, 0) / 100) * 100) : 1;
            long[] counts = store.histogram(datasetId, m, lo, hi, BINS);
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
