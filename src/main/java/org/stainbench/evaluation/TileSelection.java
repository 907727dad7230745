package org.stainbench.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.stainbench.catalog.Archive;
import org.stainbench.evaluation.metrics.StratifiedDraw;

/**
 * The eligible tiles of the rule "random patient-stratified tiles per seed" and each seed's draw from them. Eligible:
 * every row of a side's READY archives (sorted by file name), grouped by patient (patient keys sorted; an archive
 * whose name gave no patient is a patient of its own, {@code "archive <file name>"}), each group in archive then row
 * order. The draw is {@link StratifiedDraw} with the seed. Pure.
 */
final class TileSelection {

    private TileSelection() {}

    /** One eligible tile: an archive and a row of it. */
    record Row(Archive archive, int row) {}

    static String patientKey(Archive a) {
        return a.patient() == null || a.patient().isBlank() ? "archive " + a.fileName() : a.patient();
    }

    /** Patient key → its eligible rows (see the class comment); archives must be sorted by file name. */
    static Map<String, List<Row>> eligible(List<Archive> sortedArchives) {
        Map<String, List<Row>> out = new TreeMap<>();
        for (Archive a : sortedArchives) {
            List<Row> rows = out.computeIfAbsent(patientKey(a), k -> new ArrayList<>());
            for (int r = 0; r < a.tilesTotal(); r++) {
                rows.add(new Row(a, r));
            }
        }
        return out;
    }

    /** The seed's {@code k} tiles: per patient in key order, the drawn rows in ascending order. */
    static List<Row> draw(Map<String, List<Row>> eligible, long seed, int k) {
        List<List<Row>> groups = new ArrayList<>(eligible.values());
        int[] per = groups.stream().mapToInt(List::size).toArray();
        long total = java.util.Arrays.stream(per).asLongStream().sum();
        if (total < k) {
            throw new IllegalArgumentException(
                    "the protocol draws " + k + " tiles per side, but only " + total + " are eligible");
        }
        int[][] d = StratifiedDraw.draw(seed, per, k);
        List<Row> out = new ArrayList<>(k);
        for (int p = 0; p < groups.size(); p++) {
            for (int i : d[p]) {
                out.add(groups.get(p).get(i));
            }
        }
        return out;
    }
}
