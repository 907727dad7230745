package org.stainbench.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.stainbench.evaluation.metrics.StratifiedDraw;

/**
 * What an evaluation compares and how, recorded with it (as {@code key=value} lines) and shown on its page.
 * Tile selection rule "first tiles of each archive, spread evenly": of a side's ingested archives (sorted by file
 * name), {@code archives} are taken at evenly spread positions ({@code floor(i * available / archives)}), and
 * {@code tilesPerSide} tiles are split evenly over them (the first {@code tilesPerSide mod archives} archives take
 * one more), each archive giving its first tiles in row order. The same rule picks the real and every generated side.
 * Crops: {@code cropsPerTile} crops of {@code cropSize} per tile from {@code CropPositions} with each seed; KID:
 * {@code kidSubsets} subsets of {@code kidSubsetSize} drawn with each seed. Inputs are 8-bit RGB 0..255, checked
 * before the extractor sees them, and go through the extractor's declared preprocessing (no silent inversion).
 */
public record Protocol(
        int tilesPerSide,
        int archives,
        int cropSize,
        int cropsPerTile,
        List<Long> seeds,
        int kidSubsets,
        int kidSubsetSize,
        int batchSize,
        TileRule tileRule,
        int bootstrapResamples) {

    static final String RULE = "first tiles of each archive, archives spread evenly";
    static final String RANDOM_RULE = "random patient-stratified tiles per seed";
    /** The stream of the random rule, as recorded (and fingerprinted) with the protocol. */
    static final String RANDOM_STREAM = "StratifiedDraw: proportional largest-remainder allocation over patients "
            + "(sorted by key; a tile without a patient is its archive's own), per patient SplitMix64(seed XOR "
            + "0x74696C6573).sampleWithoutReplacement sorted; eligible = tiles of READY archives by file name and row";

    /**
     * How a side's tiles are chosen. {@code FIRST_SPREAD}: the lab's rule (see the record's comment), the same tiles for
     * every seed. {@code RANDOM_STRATIFIED}: for each seed, {@code tilesPerSide} tiles drawn from all eligible tiles,
     * stratified by patient ({@link StratifiedDraw}), so every metric varies with
     * the seed; {@code archives} is not used.
     */
    public enum TileRule {
        FIRST_SPREAD,
        RANDOM_STRATIFIED;

        public String text() {
            return this == FIRST_SPREAD ? RULE : RANDOM_RULE;
        }
    }

    /** Most bootstrap resamples a protocol may ask for. */
    public static final int MAX_BOOTSTRAP = 2000;

    /** The lab's rule and no bootstrap (protocols recorded before either option existed read back as this). */
    public Protocol(
            int tilesPerSide,
            int archives,
            int cropSize,
            int cropsPerTile,
            List<Long> seeds,
            int kidSubsets,
            int kidSubsetSize,
            int batchSize) {
        this(
                tilesPerSide,
                archives,
                cropSize,
                cropsPerTile,
                seeds,
                kidSubsets,
                kidSubsetSize,
                batchSize,
                TileRule.FIRST_SPREAD,
                0);
    }

    /** The same protocol with another tile rule and number of bootstrap resamples. */
    public Protocol with(TileRule rule, int resamples) {
        return new Protocol(
                tilesPerSide,
                archives,
                cropSize,
                cropsPerTile,
                seeds,
                kidSubsets,
                kidSubsetSize,
                batchSize,
                rule,
                resamples);
    }

    public boolean random() {
        return tileRule == TileRule.RANDOM_STRATIFIED;
    }

    public Protocol {
        if (tileRule == null) {
            throw new IllegalArgumentException("Choose a tile rule.");
        }
        if (bootstrapResamples < 0 || bootstrapResamples > MAX_BOOTSTRAP) {
            throw new IllegalArgumentException(
                    "Bootstrap resamples must be between 0 (none) and " + MAX_BOOTSTRAP + ".");
        }
        if (tilesPerSide < 2) {
            throw new IllegalArgumentException(
                    "An evaluation needs at least 2 tiles per side (FID fits a covariance).");
        }
        if (archives < 1) {
            throw new IllegalArgumentException("Take tiles from at least 1 archive per side.");
        }
        if (cropSize < 8) {
            throw new IllegalArgumentException("Crops must be at least 8 pixels wide.");
        }
        if (cropsPerTile < 1 || cropsPerTile > 64) {
            throw new IllegalArgumentException("Crops per tile must be between 1 and 64.");
        }
        if (seeds == null || seeds.isEmpty() || seeds.size() > 50) {
            throw new IllegalArgumentException("Give 1–50 seeds (e.g. 0,1,2,3,4).");
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("The seeds must be distinct.");
        }
        seeds = List.copyOf(seeds);
        if (kidSubsets < 1) {
            throw new IllegalArgumentException("KID needs at least 1 subset.");
        }
        if (kidSubsetSize < 2) {
            throw new IllegalArgumentException("KID subsets need at least 2 tiles.");
        }
        if (kidSubsetSize > tilesPerSide) {
            throw new IllegalArgumentException(
                    "Too few tiles for KID: a subset of " + kidSubsetSize + " needs at least " + kidSubsetSize
                            + " tiles per side, but the protocol takes " + tilesPerSide + ".");
        }
        if (batchSize < 1 || batchSize > 512) {
            throw new IllegalArgumentException("The batch size must be between 1 and 512.");
        }
    }

    /** The lab's protocol (2,100 tiles per side from 7 archives, 4 crops of 256, seeds 0–4, KID 50 × 100). */
    public static Protocol lab() {
        return new Protocol(2100, 7, 256, 4, List.of(0L, 1L, 2L, 3L, 4L), 50, 100, 16);
    }

    /** Seeds as typed in forms: {@code 0,1,2,3,4} or {@code 0-4} (ranges of at most 51 seeds). */
    public static List<Long> parseSeeds(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("Give the seeds, e.g. 0,1,2,3,4 or 0-4.");
        }
        List<Long> out = new ArrayList<>();
        for (String part : s.split("[,\\s]+")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                if (part.matches("\\d+-\\d+")) {
                    String[] ab = part.split("-");
                    long a = Long.parseLong(ab[0]);
                    long b = Long.parseLong(ab[1]);
                    if (b < a || b - a > 50) {
                        throw new IllegalArgumentException("'" + part + "' is not a usable seed range.");
                    }
                    for (long x = a; x <= b; x++) {
                        out.add(x);
                    }
                } else {
                    out.add(Long.parseLong(part));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part + "' is not a seed (whole numbers, e.g. 0,1,2 or 0-4).");
            }
        }
        return out;
    }

    /** The recorded form. */
    Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tile_selection", tileRule.text());
        if (random()) {
            m.put("tile_stream", RANDOM_STREAM);
        }
        m.put("tiles_per_side", Integer.toString(tilesPerSide));
        m.put("archives_per_side", Integer.toString(archives));
        m.put("crop_size", Integer.toString(cropSize));
        m.put("crops_per_tile", Integer.toString(cropsPerTile));
        m.put("seeds", seeds.stream().map(String::valueOf).collect(Collectors.joining(",")));
        m.put("kid_subsets", Integer.toString(kidSubsets));
        m.put("kid_subset_size", Integer.toString(kidSubsetSize));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("inputs", "8-bit RGB 0..255, checked; extractor's declared preprocessing");
        if (bootstrapResamples > 0) {
            m.put(
                    "bootstrap",
                    bootstrapResamples + " patient resamples, 95 % percentile interval, "
                            + "PatientBootstrap stream SplitMix64(first seed)");
            m.put("bootstrap_resamples", Integer.toString(bootstrapResamples));
        }
        return m;
    }

    String format(Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>(toMap());
        m.putAll(extra);
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"));
    }

    static Map<String, String> lines(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    /** The recorded form without extra lines; {@link #parse} reads it back. */
    public String text() {
        return format(Map.of());
    }

    /** Reads a recorded protocol back (the lines this record wrote; other lines are ignored). */
    public static Protocol parse(String text) {
        Map<String, String> m = lines(text);
        TileRule rule =
                RANDOM_RULE.equals(m.get("tile_selection")) ? TileRule.RANDOM_STRATIFIED : TileRule.FIRST_SPREAD;
        return new Protocol(
                Integer.parseInt(m.get("tiles_per_side")),
                Integer.parseInt(m.get("archives_per_side")),
                Integer.parseInt(m.get("crop_size")),
                Integer.parseInt(m.get("crops_per_tile")),
                parseSeeds(m.get("seeds")),
                Integer.parseInt(m.get("kid_subsets")),
                Integer.parseInt(m.get("kid_subset_size")),
                Integer.parseInt(m.get("batch_size")),
                rule,
                Integer.parseInt(m.getOrDefault("bootstrap_resamples", "0")));
    }

    /** Which archives (positions in the sorted list) and how many first tiles of each. */
    static int[][] plan(int available, int archives, int tilesPerSide) {
        int k = Math.min(available, archives);
        int[][] out = new int[k][2];
        for (int i = 0; i < k; i++) {
            out[i][0] = (int) ((long) i * available / k);
            out[i][1] = tilesPerSide / k + (i < tilesPerSide % k ? 1 : 0);
        }
        return out;
    }

    @Override
    public String toString() {
        return Arrays.toString(toMap().entrySet().toArray());
    }
}
