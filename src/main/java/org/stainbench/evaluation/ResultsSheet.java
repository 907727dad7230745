package org.stainbench.evaluation;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.stainbench.evaluation.metrics.SeedSummary;

/**
 * The lab's results sheet ({@code quantitative_results.xlsx}): one row per model folder and seed
 * ({@code row_type = seed}) with FID, CropFID, KID_mean, KID_std and the protocol columns, then
 * {@code summary_mean} / {@code summary_std} rows. Seed rows become values; the summaries are recomputed from
 * them and every disagreement with the sheet's own summary rows is noted in the imported protocol.
 */
record ResultsSheet(
        Map<String, Map<Metric, Map<Long, Double>>> seedValues,
        Map<String, String> protocolColumns,
        List<String> notes) {

    static final List<String> REQUIRED =
            List.of("model_folder", "seed", "FID", "CropFID", "KID_mean", "KID_std", "row_type");
    static final Map<String, Metric> METRICS = Map.of(
            "FID", Metric.FID, "CropFID", Metric.CROP_FID, "KID_mean", Metric.KID_MEAN, "KID_std", Metric.KID_STD);
    static final List<String> PROTOCOL = List.of(
            "real_path",
            "fake_path",
            "target_total",
            "n_real",
            "n_fake",
            "npz_key",
            "real_npz_files_used",
            "fake_npz_files_used",
            "crop_size",
            "crops_per_image",
            "kid_subsets",
            "kid_subset_size");
    /** Relative difference above which a sheet summary is reported as disagreeing with the recomputed one. */
    static final double SUMMARY_REL = 1e-6;

    static ResultsSheet read(InputStream in) throws IOException {
        Workbook wb;
        try {
            wb = new XSSFWorkbook(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("The file is not a readable .xlsx workbook (" + e.getMessage() + ").");
        }
        try (wb) {
            Sheet sheet = wb.getSheetAt(0);
            DataFormatter fmt = new DataFormatter(Locale.ROOT);
            Row header = sheet.getRow(sheet.getFirstRowNum());
            if (header == null) {
                throw new IllegalArgumentException("The sheet is empty.");
            }
            Map<String, Integer> col = new LinkedHashMap<>();
            for (Cell c : header) {
                col.put(fmt.formatCellValue(c).trim(), c.getColumnIndex());
            }
            List<String> missing =
                    REQUIRED.stream().filter(r -> !col.containsKey(r)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("The sheet lacks the column" + (missing.size() == 1 ? " " : "s ")
                        + String.join(", ", missing) + " (expected the lab's quantitative_results layout).");
            }
            Map<String, Map<Metric, Map<Long, Double>>> seeds = new LinkedHashMap<>();
            Map<String, Map<Metric, Double>> sheetMean = new LinkedHashMap<>();
            Map<String, Map<Metric, Double>> sheetStd = new LinkedHashMap<>();
            Map<String, String> protocol = new LinkedHashMap<>();
            for (int r = sheet.getFirstRowNum() + 1; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                if (row == null) {
                    continue;
                }
                String model = text(row, col.get("model_folder"), fmt);
                String type = text(row, col.get("row_type"), fmt).toLowerCase(Locale.ROOT);
                if (model.isEmpty()) {
                    continue;
                }
                if (protocol.isEmpty()) {
                    for (String p : PROTOCOL) {
                        if (col.containsKey(p)) {
                            protocol.put(p, text(row, col.get(p), fmt));
                        }
                    }
                }
                switch (type) {
                    case "seed" -> {
                        long seed;
                        try {
                            seed = (long) Double.parseDouble(text(row, col.get("seed"), fmt));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("Row " + (r + 1) + ": the seed is not a number.");
                        }
                        for (Map.Entry<String, Metric> m : METRICS.entrySet()) {
                            Double v = number(row, col.get(m.getKey()));
                            if (v == null || !Double.isFinite(v)) {
                                throw new IllegalArgumentException(
                                        "Row " + (r + 1) + ": " + m.getKey() + " is not a finite number.");
                            }
                            seeds.computeIfAbsent(model, k -> new EnumMap<>(Metric.class))
                                    .computeIfAbsent(m.getValue(), k -> new TreeMap<>())
                                    .put(seed, v);
                        }
                    }
                    case "summary_mean", "summary_std" -> {
                        Map<String, Map<Metric, Double>> target = type.equals("summary_mean") ? sheetMean : sheetStd;
                        for (Map.Entry<String, Metric> m : METRICS.entrySet()) {
                            Double v = number(row, col.get(m.getKey()));
                            if (v != null) {
                                target.computeIfAbsent(model, k -> new EnumMap<>(Metric.class))
                                        .put(m.getValue(), v);
                            }
                        }
                    }
                    default -> throw new IllegalArgumentException("Row " + (r + 1) + ": unknown row_type '" + type
                            + "' (seed, summary_mean or summary_std).");
                }
            }
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("The sheet has no seed rows.");
            }
            List<String> notes = new ArrayList<>();
            for (Map.Entry<String, Map<Metric, Map<Long, Double>>> e : seeds.entrySet()) {
                for (Map.Entry<Metric, Map<Long, Double>> m : e.getValue().entrySet()) {
                    SeedSummary s = SeedSummary.of(m.getValue().values().stream()
                            .mapToDouble(Double::doubleValue)
                            .toArray());
                    Double mean = sheetMean.getOrDefault(e.getKey(), Map.of()).get(m.getKey());
                    Double std = sheetStd.getOrDefault(e.getKey(), Map.of()).get(m.getKey());
                    if (mean != null && differs(mean, s.mean())) {
                        notes.add(e.getKey() + " " + m.getKey().label() + ": sheet mean " + mean + ", recomputed "
                                + s.mean());
                    }
                    if (std != null && s.std() != null && differs(std, s.std())) {
                        notes.add(e.getKey() + " " + m.getKey().label() + ": sheet std " + std + ", recomputed (n-1) "
                                + s.std());
                    }
                }
            }
            return new ResultsSheet(seeds, protocol, notes);
        }
    }

    static boolean differs(double a, double b) {
        return Math.abs(a - b) > SUMMARY_REL * Math.max(Math.abs(a), Math.abs(b));
    }

    String protocol(String fileName) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(
                "origin",
                "IMPORTED from the lab's results sheet " + (fileName == null ? "" : fileName)
                        + "; not computed by Stainbench (the lab's scripts fed colour-inverted inputs and drew KID subsets unseeded)");
        m.putAll(protocolColumns);
        m.put("summaries", "recomputed from the seed rows (mean, sample std n-1, 95 % t interval)");
        m.put("sheet_summary_disagreements", notes.isEmpty() ? "none" : String.join("; ", notes));
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        return b.length() > 8000 ? b.substring(0, 8000) : b.toString();
    }

    private static String text(Row row, Integer col, DataFormatter fmt) {
        if (col == null) {
            return "";
        }
        Cell c = row.getCell(col);
        return c == null ? "" : fmt.formatCellValue(c).trim();
    }

    private static Double number(Row row, Integer col) {
        if (col == null) {
            return null;
        }
        Cell c = row.getCell(col);
        if (c == null) {
            return null;
        }
        if (c.getCellType() == CellType.NUMERIC
                || (c.getCellType() == CellType.FORMULA && c.getCachedFormulaResultType() == CellType.NUMERIC)) {
            return c.getNumericCellValue();
        }
        String s = c.getCellType() == CellType.STRING ? c.getStringCellValue().trim() : "";
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
